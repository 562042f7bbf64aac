package dev.ekubridge.it.support;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The run's PKI, generated with Bouncy Castle's certificate builders (EC P-256, SHA-256 with ECDSA),
 * written as the files the applications and peers read: PKCS#12 key stores for the Java nodes and the
 * agent, PEM certificate chains and PKCS#8 keys for OpenSSL and Kamailio.
 *
 * <p>Serial numbers are small positive integers (below 2^31), unique in the run, so that every tool
 * shows them the same way (Kamailio's {@code $tls_peer_serial} prints a serial as a decimal
 * {@code long}); {@link Leaf#serialHex()} is the form the SIP node and the agent print.
 */
public final class Pki {
    public static final String PASSWORD = "changeit";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Set<Long> SERIALS = new HashSet<>();

    private final Path dir;
    private final List<KeyPair> leafKeys = new ArrayList<>();
    private int nextLeafKey;

    public Pki(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path dir() {
        return dir;
    }

    /** The EKU a leaf carries. */
    public enum Usage {
        SERVER_AUTH_ONLY(KeyPurposeId.id_kp_serverAuth),
        CLIENT_AND_SERVER_AUTH(KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth);

        private final KeyPurposeId[] purposes;

        Usage(KeyPurposeId... purposes) {
            this.purposes = purposes;
        }

        public boolean clientAuth() {
            return this == CLIENT_AND_SERVER_AUTH;
        }

        public String text() {
            return this == SERVER_AUTH_ONLY ? "serverAuth" : "serverAuth+clientAuth";
        }
    }

    public final class Ca {
        public final String name;
        public final X509Certificate certificate;
        private final KeyPair keys;
        private final X500Name subject;

        private Ca(String name, X509Certificate certificate, KeyPair keys, X500Name subject) {
            this.name = name;
            this.certificate = certificate;
            this.keys = keys;
            this.subject = subject;
        }

        /** A leaf valid from an hour ago for 30 days. */
        public Leaf leaf(String file, String cn, Usage usage) {
            return leaf(file, cn, usage, Instant.now().minus(Duration.ofHours(1)));
        }

        /** A leaf issued at {@code notBefore} (e.g. before 2025, when public CAs still added clientAuth), valid until 30 days from now. */
        public Leaf leaf(String file, String cn, Usage usage, Instant notBefore) {
            try {
                KeyPair leafKeys = nextLeafKey();
                long serial = newSerial();
                X500Name leafSubject = new X500Name("CN=" + cn + ",O=EKU Bridge it");
                X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, BigInteger.valueOf(serial),
                    Date.from(notBefore), Date.from(Instant.now().plus(Duration.ofDays(30))), leafSubject, leafKeys.getPublic());
                JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
                builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
                builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(usage.purposes));
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                    new GeneralName(GeneralName.dNSName, cn),
                    new GeneralName(GeneralName.iPAddress, InetAddress.getByName("127.0.0.1").getHostAddress())}));
                builder.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(leafKeys.getPublic()));
                builder.addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(certificate));
                X509Certificate leaf = sign(builder, keys.getPrivate());
                Leaf issued = new Leaf(file, cn, usage, this, leaf, leafKeys.getPrivate());
                issued.write();
                return issued;
            } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
                throw new IllegalStateException("cannot issue " + cn, e);
            }
        }

        public String shortName() {
            return name.substring(0, 3);
        }
    }

    public final class Leaf {
        public final String file;
        public final String cn;
        public final Usage usage;
        public final Ca issuer;
        public final X509Certificate certificate;
        public final PrivateKey privateKey;

        private Leaf(String file, String cn, Usage usage, Ca issuer, X509Certificate certificate, PrivateKey privateKey) {
            this.file = file;
            this.cn = cn;
            this.usage = usage;
            this.issuer = issuer;
            this.certificate = certificate;
            this.privateKey = privateKey;
        }

        /** Upper-case hexadecimal, as the SIP node, the agent and {@code openssl x509 -serial} print it. */
        public String serialHex() {
            return certificate.getSerialNumber().toString(16).toUpperCase(Locale.ROOT);
        }

        public String serialDecimal() {
            return certificate.getSerialNumber().toString();
        }

        /** PKCS#12 with one key entry, alias {@code file}, password {@link #PASSWORD}. */
        public Path p12() {
            return dir.resolve(file + ".p12");
        }

        /** Leaf then issuing CA, PEM. */
        public Path chainPem() {
            return dir.resolve(file + ".chain.pem");
        }

        public Path certPem() {
            return dir.resolve(file + ".crt.pem");
        }

        /** Unencrypted PKCS#8, PEM. */
        public Path keyPem() {
            return dir.resolve(file + ".key.pem");
        }

        /** {@code 1A2B (CA2; serverAuth)}. */
        public String describe() {
            return serialHex() + " (" + issuer.shortName() + "; " + usage.text() + ")";
        }

        private void write() throws GeneralSecurityException, IOException {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(file, privateKey, PASSWORD.toCharArray(), new X509Certificate[] {certificate, issuer.certificate});
            try (OutputStream out = Files.newOutputStream(p12())) {
                store.store(out, PASSWORD.toCharArray());
            }
            Files.writeString(certPem(), pem(certificate));
            Files.writeString(chainPem(), pem(certificate) + pem(issuer.certificate));
            StringWriter key = new StringWriter();
            try (JcaPEMWriter writer = new JcaPEMWriter(key)) {
                writer.writeObject(new JcaPKCS8Generator(privateKey, null));
            }
            Files.writeString(keyPem(), key.toString());
        }

        @Override
        public String toString() {
            return file + " " + describe();
        }
    }

    /** A self-signed root valid from 2020 for 20 years. */
    public Ca ca(String name) {
        try {
            KeyPair keys = ecKeyPair();
            X500Name subject = new X500Name("CN=" + name + ",O=EKU Bridge it");
            Instant from = ZonedDateTime.of(2020, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC).toInstant();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, BigInteger.valueOf(newSerial()),
                Date.from(from), Date.from(from.plus(Duration.ofDays(365 * 20))), subject, keys.getPublic());
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            builder.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(keys.getPublic()));
            return new Ca(name, sign(builder, keys.getPrivate()), keys, subject);
        } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
            throw new IllegalStateException("cannot create CA " + name, e);
        }
    }

    /** A PKCS#12 trust store (certificate entries only) and the same anchors as one PEM file for OpenSSL. */
    public TrustFiles trust(String file, Ca... anchors) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            StringBuilder pem = new StringBuilder();
            for (Ca ca : anchors) {
                store.setCertificateEntry(ca.name.toLowerCase(Locale.ROOT).replace(' ', '-'), ca.certificate);
                pem.append(pem(ca.certificate));
            }
            Path p12 = dir.resolve(file + ".p12");
            try (OutputStream out = Files.newOutputStream(p12)) {
                store.store(out, PASSWORD.toCharArray());
            }
            Path pemFile = dir.resolve(file + ".pem");
            Files.writeString(pemFile, pem.toString());
            return new TrustFiles(p12, pemFile);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot write trust store " + file, e);
        }
    }

    public record TrustFiles(Path p12, Path pem) {
    }

    private synchronized KeyPair nextLeafKey() throws GeneralSecurityException {
        // a few key pairs shared by the leaves (key generation is the slow part); CAs have their own
        if (leafKeys.size() < 4) {
            leafKeys.add(ecKeyPair());
        }
        return leafKeys.get(nextLeafKey++ % leafKeys.size());
    }

    private static KeyPair ecKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return generator.generateKeyPair();
    }

    private static synchronized long newSerial() {
        while (true) {
            long serial = 0x1000 + RANDOM.nextInt(0x7FFF0000);
            if (SERIALS.add(serial)) {
                return serial;
            }
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key)
            throws OperatorCreationException, GeneralSecurityException {
        return new JcaX509CertificateConverter().getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key)));
    }

    static String pem(X509Certificate certificate) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(certificate);
        }
        return text.toString();
    }
}
