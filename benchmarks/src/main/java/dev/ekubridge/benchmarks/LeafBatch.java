package dev.ekubridge.benchmarks;

import dev.ekubridge.testsupport.pki.Ca;
import dev.ekubridge.testsupport.pki.Issued;
import dev.ekubridge.testsupport.pki.KeyKind;
import dev.ekubridge.testsupport.pki.LeafEku;
import dev.ekubridge.testsupport.pki.TestPki;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/**
 * The key selection benchmark's identities: {@code count} EC P-256 leaves with serverAuth and clientAuth from one CA
 * (test-support's {@link TestPki}), sharing one key pair (only the certificates differ), with their aliases
 * {@code identity-0}, {@code identity-1}...
 *
 * <p>Issuing 10,000 takes seconds in a fresh JVM (ECDSA signing, interpreted at first), and every forked trial
 * needs them: when the system property {@code benchmarks.pki.cacheDir} names a directory, the batch is kept there
 * and reused while its certificates stay valid.
 */
final class LeafBatch {
    final X509Certificate ca;
    final Issued[] leaves;
    final String[] aliases;

    private LeafBatch(X509Certificate ca, Issued[] leaves) {
        this.ca = ca;
        this.leaves = leaves;
        this.aliases = new String[leaves.length];
        for (int i = 0; i < leaves.length; i++) {
            aliases[i] = "identity-" + i;
        }
    }

    static LeafBatch of(int count) {
        String dir = System.getProperty("benchmarks.pki.cacheDir");
        Path file = dir == null ? null : Paths.get(dir, "key-selection-" + count + ".bin");
        if (file != null && Files.isRegularFile(file)) {
            try {
                return read(file, count);
            } catch (IOException | GeneralSecurityException | RuntimeException e) {
                System.out.println("[setup] ignoring the cached batch " + file + ": " + e);
            }
        }
        Ca ca = TestPki.root("Key Selection CA", KeyKind.EC_P256);
        KeyPair shared = KeyKind.EC_P256.freshKeyPair();
        Issued[] leaves = new Issued[count];
        for (int i = 0; i < count; i++) {
            leaves[i] = Bench.leaf(ca, "identity-" + i + ".bench.example", LeafEku.BOTH, shared);
        }
        LeafBatch batch = new LeafBatch(ca.certificate(), leaves);
        if (file != null) {
            try {
                batch.write(file, shared);
            } catch (IOException | GeneralSecurityException e) {
                System.out.println("[setup] cannot cache the batch in " + file + ": " + e);
            }
        }
        return batch;
    }

    private void write(Path file, KeyPair shared) throws IOException, GeneralSecurityException {
        Files.createDirectories(file.getParent());
        Path temporary = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(temporary)))) {
            out.writeInt(leaves.length);
            writeBytes(out, shared.getPublic().getEncoded());
            writeBytes(out, shared.getPrivate().getEncoded());
            writeBytes(out, ca.getEncoded());
            for (Issued leaf : leaves) {
                writeBytes(out, leaf.certificate().getEncoded());
            }
        }
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static LeafBatch read(Path file, int count) throws IOException, GeneralSecurityException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            if (in.readInt() != count) {
                throw new IOException("wrong count");
            }
            KeyFactory keys = KeyFactory.getInstance("EC");
            PublicKey publicKey = keys.generatePublic(new X509EncodedKeySpec(readBytes(in)));
            PrivateKey privateKey = keys.generatePrivate(new PKCS8EncodedKeySpec(readBytes(in)));
            KeyPair shared = new KeyPair(publicKey, privateKey);
            X509Certificate ca = parse(readBytes(in));
            Issued[] leaves = new Issued[count];
            Date soon = Date.from(Instant.now().plus(Duration.ofDays(1)));
            for (int i = 0; i < count; i++) {
                X509Certificate certificate = parse(readBytes(in));
                if (!certificate.getPublicKey().equals(publicKey)) {
                    throw new IOException("certificate " + i + " is not for the cached key");
                }
                certificate.checkValidity(soon);
                leaves[i] = Issued.of(shared, certificate);
            }
            return new LeafBatch(ca, leaves);
        }
    }

    private static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        return bytes;
    }

    private static X509Certificate parse(byte[] encoded) throws GeneralSecurityException {
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(encoded));
    }
}
