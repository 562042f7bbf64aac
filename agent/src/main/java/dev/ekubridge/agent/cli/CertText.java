package dev.ekubridge.agent.cli;

import dev.ekubridge.internal.CertificateText;
import dev.ekubridge.internal.Eku;
import dev.ekubridge.internal.KeyTypes;
import java.security.PublicKey;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.DSAPublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Date;
import java.util.List;
import java.util.Map;

/** How the command line names certificates: serials, EKUs, keys and validity, in ASCII. */
final class CertText {
    private static final long DAY = 24 * 3600_000L;

    private CertText() {
    }

    /** Upper-case hexadecimal, as {@code openssl x509 -serial} prints it (the provider's own rule). */
    static String serial(X509Certificate certificate) {
        return CertificateText.serial(certificate);
    }

    /** The EKU OIDs of a certificate, or {@code null} when it has no EKU extension. */
    static List<String> ekus(X509Certificate certificate) {
        try {
            return Eku.of(certificate);
        } catch (CertificateParsingException e) {
            throw new IllegalArgumentException("unreadable EKU extension in certificate " + serial(certificate) + ": " + e.getMessage(), e);
        }
    }

    /** {@code serverAuth, clientAuth}; {@code none (no EKU extension: every usage permitted)}. */
    static String ekuNames(List<String> ekus) {
        return ekus == null ? "none (no EKU extension: every usage permitted)" : Eku.describe(ekus);
    }

    static String ekuName(String oid) {
        return Eku.name(oid);
    }

    /** {@code EC P-256}, {@code RSA 2048 bits}, {@code Ed25519}... */
    static String key(PublicKey key) {
        if (key instanceof RSAPublicKey) {
            return key.getAlgorithm() + " " + ((RSAPublicKey) key).getModulus().bitLength() + " bits";
        }
        if (key instanceof ECPublicKey) {
            String curve = KeyTypes.curveDisplayName(key);
            int bits = ((ECPublicKey) key).getParams().getCurve().getField().getFieldSize();
            return "EC " + (curve != null ? curve : bits + " bits");
        }
        if (key instanceof DSAPublicKey && ((DSAPublicKey) key).getParams() != null) {
            return "DSA " + ((DSAPublicKey) key).getParams().getP().bitLength() + " bits";
        }
        return key.getAlgorithm();
    }

    /** {@code 2026-01-01T00:00:00Z .. 2026-04-01T00:00:00Z (89 days left)}. */
    static String validity(X509Certificate certificate, Date now) {
        Date from = certificate.getNotBefore();
        Date until = certificate.getNotAfter();
        String state;
        if (now.before(from)) {
            state = "NOT YET VALID: starts in " + days(from.getTime() - now.getTime());
        } else if (now.after(until)) {
            state = "EXPIRED " + days(now.getTime() - until.getTime()) + " ago";
        } else {
            state = days(until.getTime() - now.getTime()) + " left";
        }
        return from.toInstant() + " .. " + until.toInstant() + " (" + state + ")";
    }

    private static String days(long millis) {
        long days = millis / DAY;
        return days == 1 ? "1 day" : days + " days";
    }

    /** Whole days from {@code now} until the certificate expires; negative once it has. */
    static long daysLeft(X509Certificate certificate, Date now) {
        return Math.floorDiv(certificate.getNotAfter().getTime() - now.getTime(), DAY);
    }

    /** The EKU names of a certificate for JSON: a list, or {@code null} when it has no EKU extension. */
    static List<Object> ekuList(List<String> ekus) {
        if (ekus == null) {
            return null;
        }
        List<Object> names = Json.array();
        for (String oid : ekus) {
            names.add(Eku.name(oid));
        }
        return names;
    }

    /** A certificate as a JSON object: subject, serial, issuer, validity, EKUs (names; {@code null}: no extension), key. */
    static Map<String, Object> json(X509Certificate certificate, Date now) {
        Map<String, Object> json = Json.object();
        json.put("subject", certificate.getSubjectX500Principal().getName());
        json.put("serial", serial(certificate));
        json.put("issuer", certificate.getIssuerX500Principal().getName());
        json.put("notBefore", certificate.getNotBefore().toInstant().toString());
        json.put("notAfter", certificate.getNotAfter().toInstant().toString());
        json.put("daysLeft", daysLeft(certificate, now));
        json.put("eku", ekuList(ekus(certificate)));
        json.put("key", key(certificate.getPublicKey()));
        return json;
    }

    /** The first CN of a distinguished name, or the whole name. */
    static String commonName(String distinguishedName) {
        for (String part : distinguishedName.split(",")) {
            String trimmed = part.trim();
            if (trimmed.startsWith("CN=")) {
                return trimmed.substring(3);
            }
        }
        return distinguishedName;
    }

    /** {@code text} padded with spaces to {@code width}, or cut to it. */
    static String pad(String text, int width) {
        if (text.length() >= width) {
            return text.substring(0, width);
        }
        StringBuilder padded = new StringBuilder(width).append(text);
        while (padded.length() < width) {
            padded.append(' ');
        }
        return padded.toString();
    }

    /**
     * One row of a table: each cell padded (or cut) to its column's width in {@code widths}, two spaces between
     * columns, the cells after the last width as they are, and no trailing spaces.
     */
    static String row(int[] widths, String... cells) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            line.append(i == 0 ? "" : "  ").append(i < widths.length ? pad(cells[i], widths[i]) : cells[i]);
        }
        int end = line.length();
        while (end > 0 && line.charAt(end - 1) == ' ') {
            end--;
        }
        return line.substring(0, end);
    }

    static String repeat(char c, int count) {
        StringBuilder text = new StringBuilder(count);
        for (int i = 0; i < count; i++) {
            text.append(c);
        }
        return text.toString();
    }
}
