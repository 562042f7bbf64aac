package dev.ekubridge.internal;

import java.security.cert.X509Certificate;

/**
 * The Netscape certificate type extension ({@code 2.16.840.1.113730.1.1}), read as SunJSSE's
 * {@code SimpleValidator.getNetscapeCertTypeBit} reads it: absent permits every use; present, its bit 0
 * (SSL client) must be set; an extension that cannot be parsed permits nothing. Internal.
 */
final class NetscapeCertType {
    static final String OID = "2.16.840.1.113730.1.1";

    private static final int OCTET_STRING = 0x04;
    private static final int BIT_STRING = 0x03;

    private NetscapeCertType() {
    }

    /** Whether the certificate may be used as an SSL client by this extension. */
    static boolean permitsSslClient(X509Certificate certificate) {
        byte[] value = certificate.getExtensionValue(OID);
        if (value == null) {
            return true;
        }
        // OCTET STRING { BIT STRING { unused-bits, bits... } }; bit 0 is the most significant bit of the first byte.
        int[] octets = content(value, 0, OCTET_STRING);
        if (octets == null || octets[0] + octets[1] != value.length) {
            return false;
        }
        int[] bits = content(value, octets[0], BIT_STRING);
        if (bits == null || bits[0] + bits[1] != value.length || bits[1] < 1 || (value[bits[0]] & 0xff) > 7) {
            return false;
        }
        return bits[1] > 1 && (value[bits[0] + 1] & 0x80) != 0;
    }

    /** {offset of the content, its length} of the DER element with {@code tag} at {@code at}, or {@code null}. */
    private static int[] content(byte[] der, int at, int tag) {
        if (at + 2 > der.length || (der[at] & 0xff) != tag) {
            return null;
        }
        int first = der[at + 1] & 0xff;
        if (first < 0x80) {
            return new int[] {at + 2, first};
        }
        int count = first & 0x7f;
        if (count == 0 || count > 3 || at + 2 + count > der.length) {
            return null;
        }
        int length = 0;
        for (int i = 0; i < count; i++) {
            length = (length << 8) | (der[at + 2 + i] & 0xff);
        }
        return new int[] {at + 2 + count, length};
    }
}
