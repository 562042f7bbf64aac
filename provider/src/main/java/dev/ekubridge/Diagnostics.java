package dev.ekubridge;

import dev.ekubridge.EkuBridgeException.Reason;
import dev.ekubridge.internal.CertificateText;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;

/**
 * Writes the certificates in use as PEM files, as Expressway's diagnostic bundle does: one file per
 * role identity (its chain) and one per trust anchor. Never a private key.
 */
final class Diagnostics {
    private Diagnostics() {
    }

    static void write(String label, Path directory, EkuBridge bridge) {
        try {
            Files.createDirectories(directory);
            for (Role role : Role.values()) {
                List<Identity> identities = bridge.keyManager().identities(role);
                for (int i = 0; i < identities.size(); i++) {
                    Identity identity = identities.get(i);
                    write(directory.resolve(role + "-" + i + "-" + CertificateText.serial(identity.certificate()) + ".pem"),
                        identity.chain());
                }
            }
            X509Certificate[] anchors = bridge.trustManager().getAcceptedIssuers();
            for (X509Certificate anchor : anchors) {
                write(directory.resolve("ca-" + CertificateText.serial(anchor) + ".pem"), anchor);
            }
        } catch (IOException | CertificateEncodingException e) {
            throw new EkuBridgeException(Reason.UNREADABLE_FILE, label + ": cannot write the diagnostic PEM files: " + e, e);
        }
    }

    private static void write(Path file, X509Certificate... chain) throws IOException, CertificateEncodingException {
        StringBuilder pem = new StringBuilder();
        for (X509Certificate certificate : chain) {
            pem.append("# ").append(CertificateText.describe(certificate)).append('\n')
                .append("-----BEGIN CERTIFICATE-----\n")
                .append(Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(certificate.getEncoded()))
                .append("\n-----END CERTIFICATE-----\n");
        }
        Files.write(file, pem.toString().getBytes(StandardCharsets.US_ASCII));
    }
}
