package dev.ekubridge.internal;

import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.util.Locale;

/** How certificates are named in messages and logs: subject and serial, as an operator compares them. Internal. */
public final class CertificateText {
    private CertificateText() {
    }

    /** {@code subject "CN=sip.example.com,O=Example" serial 1A2B3C}. */
    public static String describe(X509Certificate certificate) {
        return "subject \"" + certificate.getSubjectX500Principal().getName() + "\" serial " + serial(certificate);
    }

    /** Upper-case hexadecimal serial, the form {@code openssl x509 -serial} prints. */
    public static String serial(X509Certificate certificate) {
        return serial(certificate.getSerialNumber());
    }

    public static String serial(BigInteger serial) {
        return serial.toString(16).toUpperCase(Locale.ROOT);
    }
}
