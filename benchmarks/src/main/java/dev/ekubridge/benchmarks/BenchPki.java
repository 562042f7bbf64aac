package dev.ekubridge.benchmarks;

import dev.ekubridge.Identity;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The benchmarks' own run-time PKI: a root CA and leaves issued directly by it, built with Bouncy
 * Castle's certificate builders, signed and parsed by the JDK's providers (Bouncy Castle is never
 * registered as a JCA provider), so every variant of a benchmark sees the same JDK objects.
 *
 * <p>Issuing is cheap enough for 10,000 leaves at {@code @Setup}: a leaf may reuse a key pair (only
 * the certificate differs), and each CA keeps one signer. Public only because JMH parameters
 * ({@link KeyKind}) must be.
 */
public final class BenchPki {
    static final char[] PASSWORD = "bench".toCharArray();

    private static final SecureRandom RANDOM = new SecureRandom();
    /** Serials count up from a random start, so they are unique without bookkeeping. */
    private static final AtomicLong SERIALS = new AtomicLong(1_000_000L + (RANDOM.nextLong() >>> 20));

    private BenchPki() {
    }

    /** The key kinds the handshake is measured with. */
    public enum KeyKind {
        EC_P256("EC", "SHA256withECDSA"),
        RSA_2048("RSA", "SHA256withRSA");

        private final String algorithm;
        private final String signatureAlgorithm;

        KeyKind(String algorithm, String signatureAlgorithm) {
            this.algorithm = algorithm;
            this.signatureAlgorithm = signatureAlgorithm;
        }

        /** The JSSE key type, equal to {@code PublicKey.getAlgorithm()}. */
        String keyType() {
            return algorithm;
        }

        KeyPair newKeyPair() {
            try {
                KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
                if (this == EC_P256) {
                    generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
                } else {
                    generator.initialize(2048, RANDOM);
                }
                return generator.generateKeyPair();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot generate a " + this + " key pair", e);
            }
        }
    }

    /** The Extended Key Usage of a leaf. */
    enum Usage {
        SERVER_AUTH(KeyPurposeId.id_kp_serverAuth),
        CLIENT_AUTH(KeyPurposeId.id_kp_clientAuth),
        /** serverAuth and clientAuth: what public CAs issued until 2025, and what the JDK accepts on both sides. */
        BOTH(KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth);

        private final KeyPurposeId[] purposes;

        Usage(KeyPurposeId... purposes) {
            this.purposes = purposes;
        }
    }

    static Ca root(String cn, KeyKind kind) {
        KeyPair keyPair = kind.newKeyPair();
        X500Name name = new X500Name("CN=" + cn + ",O=EKU Bridge benchmarks");
        Instant now = Instant.now();
        try {
            ContentSigner signer = new JcaContentSignerBuilder(kind.signatureAlgorithm).build(keyPair.getPrivate());
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, nextSerial(),
                Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(3650))), name, keyPair.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            return new Ca(kind, keyPair, parse(builder.build(signer).getEncoded()), signer);
        } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot create root CA " + cn, e);
        }
    }

    /** A self-signed root that issues leaves. Not thread-safe (one signer). */
    static final class Ca {
        private final KeyKind kind;
        private final KeyPair keyPair;
        private final X509Certificate certificate;
        private final ContentSigner signer;

        private Ca(KeyKind kind, KeyPair keyPair, X509Certificate certificate, ContentSigner signer) {
            this.kind = kind;
            this.keyPair = keyPair;
            this.certificate = certificate;
            this.signer = signer;
        }

        X509Certificate certificate() {
            return certificate;
        }

        KeyKind kind() {
            return kind;
        }

        /** A leaf with a key pair of its own, of this CA's kind. */
        Issued issue(String cn, Usage usage) {
            return issue(cn, usage, kind.newKeyPair());
        }

        /**
         * A leaf for {@code keyPair} (which may be shared by many leaves), valid for 30 days, with a DNS
         * name equal to its CN. KeyUsage is digitalSignature plus keyEncipherment (RSA) or keyAgreement
         * (EC): the profile the JDK's PKIX key manager rates OK for servers. Without keyAgreement it rates
         * an EC server entry a mismatch, keeps scanning the whole store for a better one and only then
         * settles for it, which would make the JDK look worse than it is at its best.
         */
        Issued issue(String cn, Usage usage, KeyPair keyPair) {
            Instant now = Instant.now();
            boolean rsa = "RSA".equals(keyPair.getPublic().getAlgorithm());
            try {
                X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(certificate, nextSerial(),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(30))),
                    new X500Name("CN=" + cn), keyPair.getPublic())
                    .addExtension(Extension.basicConstraints, false, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature
                        | (rsa ? KeyUsage.keyEncipherment : KeyUsage.keyAgreement)))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(usage.purposes))
                    .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName(GeneralName.dNSName, cn)));
                return new Issued(parse(builder.build(signer).getEncoded()), keyPair.getPrivate());
            } catch (IOException | GeneralSecurityException e) {
                throw new IllegalStateException("cannot issue leaf " + cn, e);
            }
        }
    }

    /** A leaf and its private key; the chain is the leaf alone (the root is the trust anchor). */
    static final class Issued {
        private final X509Certificate certificate;
        private final PrivateKey privateKey;

        Issued(X509Certificate certificate, PrivateKey privateKey) {
            this.certificate = certificate;
            this.privateKey = privateKey;
        }

        X509Certificate certificate() {
            return certificate;
        }

        PrivateKey privateKey() {
            return privateKey;
        }

        X509Certificate[] chain() {
            return new X509Certificate[] {certificate};
        }

        Identity identity(String name) {
            return Identity.of(name, "benchmark PKI", privateKey, certificate);
        }
    }

    /** Many leaves of one CA sharing one key pair, with their aliases. */
    static final class Batch {
        final X509Certificate ca;
        final Issued[] leaves;
        final String[] aliases;

        Batch(X509Certificate ca, Issued[] leaves) {
            this.ca = ca;
            this.leaves = leaves;
            this.aliases = new String[leaves.length];
            for (int i = 0; i < leaves.length; i++) {
                aliases[i] = "identity-" + i;
            }
        }
    }

    /**
     * {@code count} EC P-256 leaves with serverAuth and clientAuth from one CA, sharing one key pair.
     * Issuing 10,000 takes seconds in a fresh JVM (ECDSA signing, interpreted at first), and every
     * forked trial needs them: when the system property {@code benchmarks.pki.cacheDir} names a
     * directory, the batch is kept there and reused while its certificates stay valid.
     */
    static Batch batch(int count) {
        String dir = System.getProperty("benchmarks.pki.cacheDir");
        Path file = dir == null ? null : Paths.get(dir, "key-selection-" + count + ".bin");
        if (file != null && Files.isRegularFile(file)) {
            try {
                return readBatch(file, count);
            } catch (IOException | GeneralSecurityException | RuntimeException e) {
                System.out.println("[setup] ignoring the cached batch " + file + ": " + e);
            }
        }
        Ca ca = root("Key Selection CA", KeyKind.EC_P256);
        KeyPair shared = KeyKind.EC_P256.newKeyPair();
        Issued[] leaves = new Issued[count];
        for (int i = 0; i < count; i++) {
            leaves[i] = ca.issue("identity-" + i + ".bench.example", Usage.BOTH, shared);
        }
        Batch batch = new Batch(ca.certificate(), leaves);
        if (file != null) {
            try {
                writeBatch(file, batch, shared);
            } catch (IOException | GeneralSecurityException e) {
                System.out.println("[setup] cannot cache the batch in " + file + ": " + e);
            }
        }
        return batch;
    }

    private static void writeBatch(Path file, Batch batch, KeyPair shared) throws IOException, GeneralSecurityException {
        Files.createDirectories(file.getParent());
        Path temporary = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(temporary)))) {
            out.writeInt(batch.leaves.length);
            writeBytes(out, shared.getPublic().getEncoded());
            writeBytes(out, shared.getPrivate().getEncoded());
            writeBytes(out, batch.ca.getEncoded());
            for (Issued leaf : batch.leaves) {
                writeBytes(out, leaf.certificate().getEncoded());
            }
        }
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static Batch readBatch(Path file, int count) throws IOException, GeneralSecurityException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            if (in.readInt() != count) {
                throw new IOException("wrong count");
            }
            KeyFactory keys = KeyFactory.getInstance("EC");
            PublicKey publicKey = keys.generatePublic(new X509EncodedKeySpec(readBytes(in)));
            PrivateKey privateKey = keys.generatePrivate(new PKCS8EncodedKeySpec(readBytes(in)));
            X509Certificate ca = parse(readBytes(in));
            Issued[] leaves = new Issued[count];
            Date soon = Date.from(Instant.now().plus(Duration.ofDays(1)));
            for (int i = 0; i < count; i++) {
                X509Certificate certificate = parse(readBytes(in));
                if (!certificate.getPublicKey().equals(publicKey)) {
                    throw new IOException("certificate " + i + " is not for the cached key");
                }
                certificate.checkValidity(soon);
                leaves[i] = new Issued(certificate, privateKey);
            }
            return new Batch(ca, leaves);
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

    /** An in-memory PKCS12 store holding the anchors as trusted certificate entries. */
    static KeyStore trustStore(X509Certificate... anchors) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            for (int i = 0; i < anchors.length; i++) {
                store.setCertificateEntry("anchor-" + i, anchors[i]);
            }
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot build a trust store", e);
        }
    }

    /**
     * An in-memory key store of {@code type} with one private key entry per leaf, protected by
     * {@link #PASSWORD}. JKS for thousands of entries: PKCS12 encrypts each key with 10,000 PBKDF2
     * iterations, which would make a 10,000-entry store take minutes to build.
     */
    static KeyStore keyStore(String type, String[] aliases, Issued[] leaves) {
        try {
            KeyStore store = KeyStore.getInstance(type);
            store.load(null, null);
            for (int i = 0; i < leaves.length; i++) {
                store.setKeyEntry(aliases[i], leaves[i].privateKey(), PASSWORD, leaves[i].chain());
            }
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot build a " + type + " key store", e);
        }
    }

    private static BigInteger nextSerial() {
        return BigInteger.valueOf(SERIALS.incrementAndGet());
    }

    private static X509Certificate parse(byte[] encoded) throws GeneralSecurityException {
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(encoded));
    }
}
