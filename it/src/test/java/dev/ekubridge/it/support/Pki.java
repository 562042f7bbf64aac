package dev.ekubridge.it.support;

import dev.ekubridge.testsupport.pki.Issued;
import dev.ekubridge.testsupport.pki.KeyKind;
import dev.ekubridge.testsupport.pki.Pem;
import dev.ekubridge.testsupport.pki.TestPki;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.HashSet;
import java.util.Set;
import org.bouncycastle.asn1.x509.KeyPurposeId;

/**
 * The run's PKI (test-support's {@link TestPki}: EC P-256, SHA-256 with ECDSA), written as the files the
 * applications and peers read: PKCS#12 key stores for the Java nodes and the agent, PEM certificate chains and
 * PKCS#8 keys for OpenSSL and Kamailio.
 *
 * <p>Serial numbers of leaves are small positive integers (below 2^31), unique in the run, so that every tool
 * shows them the same way (Kamailio's {@code $tls_peer_serial} prints a serial as a decimal {@code long});
 * {@link Leaf#serialHex()} is the form the SIP node and the agent print.
 */
public final class Pki {
    public static final String PASSWORD = "changeit";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Set<Long> SERIALS = new HashSet<>();

    private final Path dir;

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
        private final dev.ekubridge.testsupport.pki.Ca ca;

        private Ca(String name, dev.ekubridge.testsupport.pki.Ca ca) {
            this.name = name;
            this.certificate = ca.certificate();
            this.ca = ca;
        }

        /** A leaf valid from an hour ago for 30 days. */
        public Leaf leaf(String file, String cn, Usage usage) {
            return leaf(file, cn, usage, Instant.now().minus(Duration.ofHours(1)));
        }

        /** A leaf issued at {@code notBefore} (e.g. before 2025, when public CAs still added clientAuth), valid until 30 days from now. */
        public Leaf leaf(String file, String cn, Usage usage, Instant notBefore) {
            Issued issued = ca.leaf("CN=" + cn + ",O=EKU Bridge it").eku(usage.purposes)
                .dnsNames(cn).ipAddresses("127.0.0.1")
                .validity(notBefore, Instant.now().plus(Duration.ofDays(30)))
                .serial(BigInteger.valueOf(newSerial()))
                .issue();
            Leaf leaf = new Leaf(file, cn, usage, this, issued.certificate(), issued.privateKey());
            leaf.write();
            return leaf;
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
            return Issued.serialHex(certificate);
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

        private void write() {
            TestPki.writePkcs12(p12(), PASSWORD.toCharArray(), file, privateKey, certificate, issuer.certificate);
            Pem.writeChain(certPem(), certificate);
            Pem.writeChain(chainPem(), certificate, issuer.certificate);
            Pem.writePkcs8(keyPem(), privateKey);
        }

        @Override
        public String toString() {
            return file + " " + describe();
        }
    }

    /** A self-signed root valid from 2020 for 20 years. */
    public Ca ca(String name) {
        Instant from = ZonedDateTime.of(2020, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC).toInstant();
        return new Ca(name, TestPki.root("CN=" + name + ",O=EKU Bridge it", KeyKind.EC_P256, from,
            from.plus(Duration.ofDays(365 * 20))));
    }

    /** A PKCS#12 trust store (certificate entries only) and the same anchors as one PEM file for OpenSSL. */
    public TrustFiles trust(String file, Ca... anchors) {
        X509Certificate[] certificates = new X509Certificate[anchors.length];
        for (int i = 0; i < anchors.length; i++) {
            certificates[i] = anchors[i].certificate;
        }
        Path p12 = TestPki.writeTrustStore(dir.resolve(file + ".p12"), "PKCS12", PASSWORD.toCharArray(), certificates);
        Path pem = Pem.writeChain(dir.resolve(file + ".pem"), certificates);
        return new TrustFiles(p12, pem);
    }

    public record TrustFiles(Path p12, Path pem) {
    }

    private static synchronized long newSerial() {
        while (true) {
            long serial = 0x1000 + RANDOM.nextInt(0x7FFF0000);
            if (SERIALS.add(serial)) {
                return serial;
            }
        }
    }
}
