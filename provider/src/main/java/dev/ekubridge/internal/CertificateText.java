package dev.ekubridge.internal;

import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.util.Locale;

/**
 * How certificates and other peer-supplied text are named in messages and logs: subject and serial,
 * as an operator compares them, with every character that could break or forge a log line shown as
 * a visible escape ({@link #printable}). Internal.
 */
public final class CertificateText {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private CertificateText() {
    }

    /** {@code subject "CN=sip.example.com,O=Example" serial 1A2B3C}; the subject is {@link #printable}. */
    public static String describe(X509Certificate certificate) {
        return "subject \"" + printable(certificate.getSubjectX500Principal().getName()) + "\" serial " + serial(certificate);
    }

    /** Upper-case hexadecimal serial, the form {@code openssl x509 -serial} prints. */
    public static String serial(X509Certificate certificate) {
        return serial(certificate.getSerialNumber());
    }

    public static String serial(BigInteger serial) {
        return serial.toString(16).toUpperCase(Locale.ROOT);
    }

    /**
     * {@code text} with control characters and other non-printables as visible escapes, so that text a
     * peer or a file chose can never start a new log line, move the cursor or reorder what follows:
     * {@code \n}, {@code \r} and {@code \t} as such, every other C0/C1 control (NUL, ESC, DEL, U+0085...),
     * line and paragraph separator (U+2028, U+2029), format character (bidirectional overrides, zero-width
     * characters), unassigned code point and lone surrogate as {@code \}{@code uXXXX}. Anything else,
     * accented letters and CJK included, is kept. Returns {@code text} itself, without allocating, when
     * nothing needs escaping; {@code null} stays {@code null}.
     */
    public static String printable(String text) {
        if (text == null) {
            return null;
        }
        int length = text.length();
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if ((c < 0x20 || c >= 0x7f) && needsEscape(text, i)) {
                return escape(text, i);
            }
        }
        return text;
    }

    /** Whether the code point at {@code i} (a non-ASCII-printable char) must be escaped. */
    private static boolean needsEscape(String text, int i) {
        char c = text.charAt(i);
        if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
            return needsEscape(text.codePointAt(i));
        }
        return needsEscape(c);
    }

    private static boolean needsEscape(int codePoint) {
        switch (Character.getType(codePoint)) {
            case Character.CONTROL:
            case Character.FORMAT:
            case Character.LINE_SEPARATOR:
            case Character.PARAGRAPH_SEPARATOR:
            case Character.SURROGATE:
            case Character.UNASSIGNED:
                return true;
            default:
                return false;
        }
    }

    private static String escape(String text, int from) {
        StringBuilder out = new StringBuilder(text.length() + 16).append(text, 0, from);
        int i = from;
        while (i < text.length()) {
            char c = text.charAt(i);
            boolean pair = Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1));
            if ((c >= 0x20 && c < 0x7f) || !needsEscape(text, i)) {
                out.append(c);
                if (pair) {
                    out.append(text.charAt(i + 1));
                }
            } else if (c == '\n') {
                out.append("\\n");
            } else if (c == '\r') {
                out.append("\\r");
            } else if (c == '\t') {
                out.append("\\t");
            } else {
                unicodeEscape(out, c);
                if (pair) {
                    unicodeEscape(out, text.charAt(i + 1));
                }
            }
            i += pair ? 2 : 1;
        }
        return out.toString();
    }

    private static void unicodeEscape(StringBuilder out, char c) {
        out.append("\\u").append(HEX[(c >> 12) & 0xf]).append(HEX[(c >> 8) & 0xf]).append(HEX[(c >> 4) & 0xf]).append(HEX[c & 0xf]);
    }
}
