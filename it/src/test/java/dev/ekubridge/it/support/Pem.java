package dev.ekubridge.it.support;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Certificates that OpenSSL printed as PEM in its output, parsed back. */
public final class Pem {
    private Pem() {
    }

    /** Every PEM certificate that follows a line equal to {@code marker} (e.g. "Client certificate"), in order. */
    public static List<X509Certificate> certificatesAfter(List<String> lines, String marker) {
        List<X509Certificate> found = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).trim().equals(marker) || i + 1 >= lines.size() || !lines.get(i + 1).startsWith("-----BEGIN CERTIFICATE-----")) {
                continue;
            }
            StringBuilder pem = new StringBuilder();
            int j = i + 1;
            for (; j < lines.size(); j++) {
                pem.append(lines.get(j)).append('\n');
                if (lines.get(j).startsWith("-----END CERTIFICATE-----")) {
                    break;
                }
            }
            if (j < lines.size()) {
                found.add(parse(pem.toString()));
            }
        }
        return found;
    }

    static X509Certificate parse(String pem) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("OpenSSL printed a certificate that does not parse", e);
        }
    }

    public static String serialHex(X509Certificate certificate) {
        return certificate.getSerialNumber().toString(16).toUpperCase(Locale.ROOT);
    }
}
