package dev.ekubridge;

import dev.ekubridge.EkuBridgeException.Reason;
import dev.ekubridge.internal.CertificateText;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;

/**
 * Writes the certificates in use as PEM files, as Expressway's diagnostic bundle does: one file per
 * role identity (its chain) and one per configured trust anchor. Never a private key.
 */
final class Diagnostics {
    private Diagnostics() {
    }

    /**
     * One file per identity of each role (its chain), named by role, rank and fingerprint, and one per
     * trust anchor when {@code anchors} is not {@code null} (trust from a configured store).
     */
    static void write(String label, Path directory, List<Identity> server, List<Identity> client, X509Certificate[] anchors) {
        try {
            Files.createDirectories(directory);
            writeIdentities(directory, Role.SERVER, server);
            writeIdentities(directory, Role.CLIENT, client);
            if (anchors != null) {
                for (X509Certificate anchor : anchors) {
                    write(directory.resolve("ca-" + fingerprint(anchor) + ".pem"), anchor);
                }
            }
        } catch (IOException | CertificateEncodingException e) {
            throw new EkuBridgeException(Reason.UNREADABLE_FILE, label + ": cannot write the diagnostic PEM files: " + e, e);
        }
    }

    private static void writeIdentities(Path directory, Role role, List<Identity> identities)
            throws IOException, CertificateEncodingException {
        for (int i = 0; i < identities.size(); i++) {
            Identity identity = identities.get(i);
            write(directory.resolve(role + "-" + i + "-" + fingerprint(identity.certificate()) + ".pem"), identity.chain());
        }
    }

    /** The first 16 hex digits of the SHA-256 fingerprint: unique where serials may repeat across CAs. */
    private static String fingerprint(X509Certificate certificate) throws CertificateEncodingException {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            StringBuilder hex = new StringBuilder();
            for (int i = 0; i < 8; i++) {
                hex.append(String.format("%02x", digest[i]));
            }
            return hex.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
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
