package dev.ekubridge.testsupport.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.ekubridge.testsupport.pki.Ca;
import dev.ekubridge.testsupport.pki.Issued;
import dev.ekubridge.testsupport.pki.KeyKind;
import dev.ekubridge.testsupport.pki.LeafEku;
import dev.ekubridge.testsupport.pki.LeafSpec;
import dev.ekubridge.testsupport.pki.Pem;
import dev.ekubridge.testsupport.pki.TestPki;

/** Proves the test harness itself: {@link TestPki} certificates and real {@link Handshake}s with plain managers. */
class HandshakeHarnessTest {

    private static final char[] PASSWORD = "changeit".toCharArray();
    private static final Map<KeyKind, Ca> ISSUING = new EnumMap<>(KeyKind.class);

    private static synchronized Ca issuing(KeyKind kind) {
        return ISSUING.computeIfAbsent(kind,
                k -> TestPki.root("Harness Root " + k, k).intermediate("Harness Issuing CA " + k));
    }

    static Stream<Arguments> matrix() {
        return Stream.of(Jsse.values()).flatMap(jsse -> Stream.of("TLSv1.2", "TLSv1.3").flatMap(protocol ->
                Stream.of(KeyKind.values()).map(kind -> Arguments.of(jsse, protocol, kind))));
    }

    private static KeyManager[] keyManagers(Provider provider, String algorithm, Issued issued) throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(algorithm, provider);
        kmf.init(TestPki.keyStore("PKCS12", PASSWORD, "entry", issued), PASSWORD);
        return kmf.getKeyManagers();
    }

    private static TrustManager[] trustManagers(Provider provider, Ca ca) throws Exception {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX", provider);
        tmf.init(TestPki.trustStore(ca.root().certificate()));
        return tmf.getTrustManagers();
    }

    /** {@code jsse}'s context presenting {@code identity} through its own PKIX key manager and trusting {@code ca}'s root. */
    private static SSLContext pkixContext(Jsse jsse, Ca ca, Issued identity) throws Exception {
        return jsse.context(keyManagers(jsse.provider(), "PKIX", identity), trustManagers(jsse.provider(), ca));
    }

    private static Issued serverCert(KeyKind kind) {
        return issuing(kind).leaf("server").eku(LeafEku.SERVER_AUTH).dnsNames(Handshake.PEER_HOST).issue();
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("matrix")
    void mutualTlsSucceedsForDualEkuClient(Jsse jsse, String protocol, KeyKind kind) throws Exception {
        Ca ca = issuing(kind);
        Issued server = serverCert(kind);
        Issued client = ca.leaf("client").eku(LeafEku.BOTH).issue();
        SSLContext serverCtx = pkixContext(jsse, ca, server);
        SSLContext clientCtx = pkixContext(jsse, ca, client);

        HandshakeResult result = Handshake.run(clientCtx, serverCtx, protocol, true);

        assertThat(result.succeeded()).as(result.toString()).isTrue();
        assertThat(result.clientFailure()).isNull();
        assertThat(result.serverFailure()).isNull();
        assertThat(result.failureText()).isEmpty();
        assertThat(result.negotiatedProtocol()).isEqualTo(protocol);
        assertThat(result.serialSeenByServer()).isEqualTo(client.serial());
        assertThat(result.serialSeenByClient()).isEqualTo(server.serial());
        assertThat(result.certificatesSeenByServer()).containsExactly(client.chain());
        assertThat(result.clientSession().getPeerHost()).isEqualTo(Handshake.PEER_HOST);
    }

    /**
     * The JDK behaviour the product works around: a client certificate whose EKU lacks clientAuth is refused
     * by the server's PKIX trust manager. The client must actually present it: under SunJSSE the JDK's
     * SunX509 key manager does; BCJSSE's own key manager would withhold it (see {@link ObservedStackBehaviour}),
     * so there the client uses {@link TestPki#fixedKeyManager}.
     */
    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("matrix")
    void serverAuthOnlyClientCertificateIsRefused(Jsse jsse, String protocol, KeyKind kind) throws Exception {
        Ca ca = issuing(kind);
        Issued server = serverCert(kind);
        Issued client = ca.leaf("client").eku(LeafEku.SERVER_AUTH).issue();
        SSLContext serverCtx = pkixContext(jsse, ca, server);
        KeyManager[] clientKeyManagers = jsse == Jsse.SUN
                ? keyManagers(Providers.sunJsse(), "SunX509", client)
                : new KeyManager[] {TestPki.fixedKeyManager(client)};
        SSLContext clientCtx = jsse.context(clientKeyManagers, trustManagers(jsse.provider(), ca));

        HandshakeResult result = Handshake.run(clientCtx, serverCtx, protocol, true);

        assertThat(result.succeeded()).as(result.toString()).isFalse();
        assertThat(result.serverFailure()).as(result.toString()).isNotNull();
        assertThat(result.serverHandshakeDone()).isFalse();
        assertThat(result.serialSeenByServer()).isNull();
        assertThat(result.clientFailure()).as("client records the alert: " + result).isNotNull();
        if (jsse == Jsse.SUN) {
            assertThat(result.failureText()).contains("Extended key usage");
        } else {
            assertThat(result.failureText()).contains("clientAuth");
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Jsse.class)
    void jdkTrustManagerRefusesServerAuthOnlyClientInsideEitherEngine(Jsse jsse) throws Exception {
        Ca ca = issuing(KeyKind.EC_P256);
        Issued server = serverCert(KeyKind.EC_P256);
        Issued client = ca.leaf("client").eku(LeafEku.SERVER_AUTH).issue();
        SSLContext serverCtx = jsse.context(keyManagers(jsse.provider(), "PKIX", server),
                trustManagers(Providers.sunJsse(), ca));
        SSLContext clientCtx = jsse.context(new KeyManager[] {TestPki.fixedKeyManager(client)},
                trustManagers(Providers.sunJsse(), ca));

        HandshakeResult result = Handshake.run(clientCtx, serverCtx, "TLSv1.3", true);

        assertThat(result.succeeded()).as(result.toString()).isFalse();
        assertThat(result.serverFailure()).as(result.toString()).isNotNull();
        assertThat(result.failureText())
                .contains("Extended key usage does not permit use for TLS client authentication");
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("matrix")
    void withoutClientAuthTheServerSeesNoClientCertificate(Jsse jsse, String protocol, KeyKind kind)
            throws Exception {
        Ca ca = issuing(kind);
        Issued server = serverCert(kind);
        SSLContext serverCtx = pkixContext(jsse, ca, server);
        SSLContext clientCtx = jsse.context(null, trustManagers(jsse.provider(), ca));

        HandshakeResult result = Handshake.run(clientCtx, serverCtx, protocol, false);

        assertThat(result.succeeded()).as(result.toString()).isTrue();
        assertThat(result.serialSeenByServer()).isNull();
        assertThat(result.serialSeenByClient()).isEqualTo(server.serial());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Jsse.class)
    void clientRefusesServerWithCorruptSignature(Jsse jsse) throws Exception {
        Ca ca = issuing(KeyKind.EC_P256);
        Issued server = ca.leaf("server").eku(LeafEku.SERVER_AUTH).corruptSignature().issue();
        SSLContext serverCtx = pkixContext(jsse, ca, server);
        SSLContext clientCtx = jsse.context(null, trustManagers(jsse.provider(), ca));

        HandshakeResult result = Handshake.run(clientCtx, serverCtx, "TLSv1.2", false);

        assertThat(result.succeeded()).as(result.toString()).isFalse();
        assertThat(result.clientFailure()).as(result.toString()).isNotNull();
        assertThat(result.serverFailure()).as("server records the alert: " + result).isNotNull();
    }

    @Test
    void customizersAreAppliedAfterDefaults() throws Exception {
        Ca ca = issuing(KeyKind.EC_P256);
        Issued server = serverCert(KeyKind.EC_P256);
        SSLContext serverCtx = Jsse.SUN.context(keyManagers(Providers.sunJsse(), "PKIX", server),
                trustManagers(Providers.sunJsse(), ca));
        SSLContext clientCtx = Jsse.SUN.context(null, trustManagers(Providers.sunJsse(), ca));

        // the client demands host name verification against a name the server certificate lacks
        HandshakeResult result = Handshake.run(clientCtx, serverCtx, "TLSv1.3", false, client -> {
            javax.net.ssl.SSLParameters p = client.getSSLParameters();
            p.setEndpointIdentificationAlgorithm("HTTPS");
            client.setSSLParameters(p);
        }, null);
        assertThat(result.succeeded()).isTrue(); // peer.example is in the SAN

        Issued otherName = ca.leaf("server").eku(LeafEku.SERVER_AUTH).dnsNames("other.example").issue();
        SSLContext otherServer = Jsse.SUN.context(keyManagers(Providers.sunJsse(), "PKIX", otherName),
                trustManagers(Providers.sunJsse(), ca));
        HandshakeResult refused = Handshake.run(clientCtx, otherServer, "TLSv1.3", false, client -> {
            javax.net.ssl.SSLParameters p = client.getSSLParameters();
            p.setEndpointIdentificationAlgorithm("HTTPS");
            client.setSSLParameters(p);
        }, null);
        assertThat(refused.succeeded()).isFalse();
        assertThat(refused.clientFailure()).isNotNull();
        assertThat(refused.failureText()).contains("No subject alternative DNS name matching peer.example");
    }

    /** What the stock managers of each stack do, pinned so that a JDK or BC upgrade that changes it shows. */
    @Nested
    class ObservedStackBehaviour {

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
        void sunJssePkixKeyManagerStillOffersServerAuthOnlyClientCertificate(String protocol) throws Exception {
            Ca ca = issuing(KeyKind.EC_P256);
            Issued client = ca.leaf("client").eku(LeafEku.SERVER_AUTH).issue();
            SSLContext serverCtx = Jsse.SUN.context(keyManagers(Providers.sunJsse(), "PKIX",
                    serverCert(KeyKind.EC_P256)), trustManagers(Providers.sunJsse(), ca));
            SSLContext clientCtx = Jsse.SUN.context(keyManagers(Providers.sunJsse(), "PKIX", client),
                    trustManagers(Providers.sunJsse(), ca));

            HandshakeResult result = Handshake.run(clientCtx, serverCtx, protocol, true);

            // offered as a last-resort match, then refused by the server's trust manager (JDK 17.0.17 and later
            // put the alert's name in brackets before the message)
            assertThat(result.failureText()).as(result.toString())
                    .containsPattern("server: javax.net.ssl.SSLHandshakeException: (\\(certificate_unknown\\) )?Extended key"
                            + " usage does not permit use for TLS client authentication")
                    .containsPattern("client: javax.net.ssl.SSLHandshakeException: (\\(certificate_unknown\\) )?Received fatal"
                            + " alert: certificate_unknown");
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
        void bcJsseKeyManagerWithholdsServerAuthOnlyClientCertificate(String protocol) throws Exception {
            Ca ca = issuing(KeyKind.EC_P256);
            Issued client = ca.leaf("client").eku(LeafEku.SERVER_AUTH).issue();
            Provider bc = Jsse.BC.provider();
            SSLContext serverCtx = Jsse.BC.context(keyManagers(bc, "PKIX", serverCert(KeyKind.EC_P256)),
                    trustManagers(bc, ca));
            SSLContext clientCtx = Jsse.BC.context(keyManagers(bc, "PKIX", client), trustManagers(bc, ca));

            HandshakeResult result = Handshake.run(clientCtx, serverCtx, protocol, true);

            assertThat(result.serverFailure()).as(result.toString()).isNotNull();
            assertThat(result.clientFailure()).as(result.toString()).isNotNull();
            assertThat(result.failureText()).doesNotContain("clientAuth")
                    .contains(protocol.equals("TLSv1.3") ? "certificate_required(116)" : "handshake_failure(40)");
        }

        @Test
        void bcJsseAsksJdkKeyManagersForCurveQualifiedKeyTypesInTls13() throws Exception {
            // BCJSSE asks for "EC/secp256r1" etc. in TLS 1.3, which the JDK's SunX509 key manager does not know
            Ca ca = issuing(KeyKind.EC_P256);
            Issued client = ca.leaf("client").eku(LeafEku.BOTH).issue();
            Provider bc = Jsse.BC.provider();
            SSLContext serverCtx = Jsse.BC.context(keyManagers(bc, "PKIX", serverCert(KeyKind.EC_P256)),
                    trustManagers(bc, ca));
            SSLContext clientCtx = Jsse.BC.context(keyManagers(Providers.sunJsse(), "SunX509", client),
                    trustManagers(bc, ca));

            HandshakeResult tls13 = Handshake.run(clientCtx, serverCtx, "TLSv1.3", true);
            assertThat(tls13.succeeded()).isFalse();
            assertThat(tls13.failureText()).contains("certificate_required(116)");

            HandshakeResult tls12 = Handshake.run(clientCtx, serverCtx, "TLSv1.2", true);
            assertThat(tls12.succeeded()).as(tls12.toString()).isTrue();
        }
    }

    /** Shorthand for the installed JDK providers used above. */
    private static final class Providers {
        static Provider sunJsse() {
            return Jsse.SUN.provider();
        }
    }

    @Nested
    class Pki {

        @ParameterizedTest
        @EnumSource(KeyKind.class)
        void certificatesAndKeysAreJdkObjects(KeyKind kind) throws Exception {
            Ca root = TestPki.root("Pki Root", kind);
            Ca sub = root.intermediate("Pki Sub");
            Issued leaf = sub.leaf("leaf").eku(LeafEku.CLIENT_AUTH).issue();

            assertThat(leaf.certificate().getPublicKey().getAlgorithm()).isEqualTo(kind.jcaAlgorithm());
            assertThat(leaf.privateKey().getAlgorithm()).isEqualTo(kind.jcaAlgorithm());
            assertThat(leaf.certificate().getClass().getName()).startsWith("sun.security.");
            assertThat(leaf.chain()).containsExactly(leaf.certificate(), sub.certificate());
            assertThat(leaf.chainWithRoot()).endsWith(root.certificate());
            assertThat(leaf.serial()).isEqualTo(leaf.certificate().getSerialNumber()).isPositive();
            assertThat(leaf.certificate().getPublicKey()).isNotEqualTo(sub.keyPair().getPublic());
            assertThat(sub.keyPair().getPublic()).isNotEqualTo(root.keyPair().getPublic());
            assertThat(root.certificate().getBasicConstraints()).isEqualTo(Integer.MAX_VALUE);
            assertThat(leaf.certificate().getBasicConstraints()).isEqualTo(-1);
            assertThat(root.certificate().getCriticalExtensionOIDs()).contains("2.5.29.19", "2.5.29.15");

            validate(leaf, root); // does not throw
        }

        @Test
        void ekuVariants() throws Exception {
            Ca ca = issuing(KeyKind.EC_P256);
            assertThat(ca.leaf("n").eku(LeafEku.NONE).issue().certificate().getExtendedKeyUsage()).isNull();
            assertThat(ca.leaf("n").noEku().issue().certificate().getExtendedKeyUsage()).isNull();
            assertThat(ca.leaf("s").eku(LeafEku.SERVER_AUTH).issue().certificate().getExtendedKeyUsage())
                    .containsExactly("1.3.6.1.5.5.7.3.1");
            assertThat(ca.leaf("b").eku(LeafEku.BOTH).issue().certificate().getExtendedKeyUsage())
                    .containsExactly("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
            assertThat(ca.leaf("a").eku(LeafEku.ANY).issue().certificate().getExtendedKeyUsage())
                    .containsExactly("2.5.29.37.0");
            assertThat(ca.leaf("c").eku(LeafEku.CODE_SIGNING).issue().certificate().getExtendedKeyUsage())
                    .containsExactly("1.3.6.1.5.5.7.3.3");
            assertThat(ca.leaf("e").eku(LeafEku.EMAIL_AND_SERVER_AUTH).issue().certificate()
                    .getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.4", "1.3.6.1.5.5.7.3.1");
            assertThat(ca.leaf("k").eku(KeyPurposeId.id_kp_clientAuth).issue().certificate()
                    .getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
        }

        @Test
        void keyUsageSanValiditySerialAndKeys() throws Exception {
            Ca rsa = issuing(KeyKind.RSA_2048);
            boolean[] rsaDefault = rsa.leaf("r").issue().certificate().getKeyUsage();
            assertThat(rsaDefault[0]).isTrue(); // digitalSignature
            assertThat(rsaDefault[2]).isTrue(); // keyEncipherment
            boolean[] ecDefault = rsa.leaf("e").keyKind(KeyKind.EC_P256).issue().certificate().getKeyUsage();
            assertThat(ecDefault[0]).isTrue();
            assertThat(ecDefault[2]).isFalse();
            assertThat(rsa.leaf("n").noKeyUsage().issue().certificate().getKeyUsage()).isNull();
            boolean[] custom = rsa.leaf("c").keyUsage(KeyUsage.keyAgreement).issue().certificate().getKeyUsage();
            assertThat(custom[4]).isTrue();
            assertThat(custom[0]).isFalse();

            X509Certificate withSan = rsa.leaf("s").dnsNames("a.example", "b.example").issue().certificate();
            assertThat(withSan.getSubjectAlternativeNames().stream().map(l -> (Object) l.get(1)))
                    .containsExactly("a.example", "b.example");
            assertThat(rsa.leaf("x").issue().certificate().getSubjectAlternativeNames()).isNull();

            Instant from = Instant.now().minus(10, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
            Instant until = Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
            X509Certificate expired = rsa.leaf("old").validity(from, until).issue().certificate();
            assertThat(expired.getNotBefore().toInstant()).isEqualTo(from);
            assertThat(expired.getNotAfter().toInstant()).isEqualTo(until);

            assertThat(rsa.leaf("sn").serial(java.math.BigInteger.valueOf(4242)).issue().serial()).isEqualTo(4242);
            LeafSpec template = rsa.leaf("t").eku(LeafEku.CLIENT_AUTH);
            assertThat(template.issue().serial()).isNotEqualTo(template.issue().serial());

            java.security.KeyPair fresh = KeyKind.EC_P256.freshKeyPair();
            Issued own = rsa.leaf("own").keyPair(fresh).issue();
            assertThat(own.certificate().getPublicKey()).isEqualTo(fresh.getPublic());
            assertThat(own.privateKey()).isSameAs(fresh.getPrivate());
        }

        @Test
        void corruptSignatureFailsValidation() throws Exception {
            Ca ca = issuing(KeyKind.RSA_2048);
            Issued bad = ca.leaf("bad").corruptSignature().issue();
            assertThatThrownBy(() -> bad.certificate().verify(ca.keyPair().getPublic()))
                    .isInstanceOf(java.security.SignatureException.class);
            Issued badEc = issuing(KeyKind.EC_P256).leaf("bad").corruptSignature().issue();
            assertThatThrownBy(() -> validate(badEc, badEc.issuer().root()))
                    .isInstanceOf(java.security.cert.CertPathValidatorException.class);
        }

        @Test
        void keyStoresInMemoryAndOnDisk(@TempDir Path dir) throws Exception {
            Issued a = issuing(KeyKind.EC_P256).leaf("a").eku(LeafEku.CLIENT_AUTH).issue();
            Issued b = issuing(KeyKind.RSA_2048).leaf("b").eku(LeafEku.SERVER_AUTH).issue();
            Map<String, Issued> entries = new LinkedHashMap<>();
            entries.put("a", a);
            entries.put("b", b);

            for (String type : List.of("PKCS12", "JKS")) {
                KeyStore ks = TestPki.keyStore(type, PASSWORD, entries);
                assertThat(Collections.list(ks.aliases())).containsExactlyInAnyOrder("a", "b");
                assertThat(ks.getCertificateChain("a")).containsExactly(a.chain());
            }

            Path p12 = TestPki.writePkcs12(dir.resolve("sub/ks.p12"), PASSWORD, entries);
            Path jks = TestPki.writeJks(dir.resolve("ks.jks"), PASSWORD, entries);
            for (Map.Entry<String, Path> file : Map.of("PKCS12", p12, "JKS", jks).entrySet()) {
                KeyStore loaded = KeyStore.getInstance(file.getKey());
                try (InputStream in = Files.newInputStream(file.getValue())) {
                    loaded.load(in, PASSWORD);
                }
                assertThat(loaded.getKey("b", PASSWORD)).isEqualTo(b.privateKey());
                assertThat(loaded.getCertificateChain("b")).containsExactly(b.chain());
            }

            KeyStore trust = TestPki.trustStore(a.issuer().root().certificate(), b.issuer().root().certificate());
            assertThat(trust.getType()).isEqualTo("PKCS12");
            assertThat(trust.isCertificateEntry("anchor-0")).isTrue();
            assertThat(trust.isCertificateEntry("anchor-1")).isTrue();
            Path trustFile = TestPki.writeTrustStore(dir.resolve("trust.jks"), "JKS", PASSWORD,
                    a.issuer().root().certificate());
            KeyStore loadedTrust = KeyStore.getInstance("JKS");
            try (InputStream in = Files.newInputStream(trustFile)) {
                loadedTrust.load(in, PASSWORD);
            }
            assertThat(loadedTrust.getCertificate("anchor-0")).isEqualTo(a.issuer().root().certificate());
        }

        @ParameterizedTest
        @EnumSource(KeyKind.class)
        void pemFilesRoundTrip(KeyKind kind, @TempDir Path dir) throws Exception {
            Issued leaf = issuing(kind).leaf("pem").eku(LeafEku.BOTH).issue();
            PrivateKey key = leaf.privateKey();

            Path chain = Pem.writeChain(dir.resolve("chain.pem"), leaf.chain());
            try (InputStream in = Files.newInputStream(chain)) {
                assertThat(new java.util.ArrayList<Object>(
                        CertificateFactory.getInstance("X.509").generateCertificates(in)))
                        .containsExactly((Object[]) leaf.chain());
            }

            Path pkcs8 = Pem.writePkcs8(dir.resolve("key.pem"), key);
            assertThat(Files.readString(pkcs8)).startsWith("-----BEGIN PRIVATE KEY-----");
            assertThat(converter().getPrivateKey((PrivateKeyInfo) readPem(pkcs8))).isEqualTo(key);

            Path traditional = Pem.writePkcs1OrSec1(dir.resolve("key-trad.pem"), key);
            assertThat(Files.readString(traditional)).startsWith(kind == KeyKind.RSA_2048
                    ? "-----BEGIN RSA PRIVATE KEY-----" : "-----BEGIN EC PRIVATE KEY-----");
            PEMKeyPair pair = (PEMKeyPair) readPem(traditional);
            java.security.KeyPair decoded = converter().getKeyPair(pair);
            assertThat(decoded.getPublic()).isEqualTo(leaf.certificate().getPublicKey());
            assertSameKey(decoded.getPrivate(), leaf);

            char[] keyPassword = "s3cret".toCharArray();
            Path encrypted = Pem.writeEncryptedPkcs8(dir.resolve("key-enc.pem"), key, keyPassword);
            String text = Files.readString(encrypted);
            assertThat(text).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");
            PKCS8EncryptedPrivateKeyInfo info = (PKCS8EncryptedPrivateKeyInfo) readPem(encrypted);
            assertThat(info.getEncryptionAlgorithm().getAlgorithm().getId())
                    .isEqualTo("1.2.840.113549.1.5.13"); // PBES2
            PrivateKeyInfo plain = info.decryptPrivateKeyInfo(new JceOpenSSLPKCS8DecryptorProviderBuilder()
                    .setProvider(new BouncyCastleProvider()).build(keyPassword));
            assertThat(converter().getPrivateKey(plain)).isEqualTo(key);
            // the JDK alone can decrypt it too
            javax.crypto.EncryptedPrivateKeyInfo jdkInfo = new javax.crypto.EncryptedPrivateKeyInfo(info.getEncoded());
            String jdkAlgorithm = jdkInfo.getAlgParameters().toString(); // getAlgName() is just "PBES2"
            assertThat(jdkAlgorithm).isEqualTo("PBEWithHmacSHA256AndAES_256");
            javax.crypto.SecretKeyFactory skf = javax.crypto.SecretKeyFactory.getInstance(jdkAlgorithm);
            javax.crypto.Cipher cipher = javax.crypto.Cipher.getInstance(jdkAlgorithm);
            cipher.init(javax.crypto.Cipher.DECRYPT_MODE,
                    skf.generateSecret(new javax.crypto.spec.PBEKeySpec(keyPassword)), jdkInfo.getAlgParameters());
            assertThat(jdkInfo.getKeySpec(cipher).getEncoded()).isEqualTo(key.getEncoded());
        }

        /** Same private key as the leaf's: signs something the certificate's public key verifies. */
        private void assertSameKey(PrivateKey candidate, Issued leaf) throws Exception {
            String alg = leaf.certificate().getPublicKey().getAlgorithm().equals("EC")
                    ? "SHA256withECDSA" : "SHA256withRSA";
            java.security.Signature signer = java.security.Signature.getInstance(alg);
            signer.initSign(candidate);
            signer.update(new byte[] {1, 2, 3});
            byte[] signature = signer.sign();
            java.security.Signature verifier = java.security.Signature.getInstance(alg);
            verifier.initVerify(leaf.certificate());
            verifier.update(new byte[] {1, 2, 3});
            assertThat(verifier.verify(signature)).isTrue();
        }

        private Object readPem(Path file) throws IOException {
            try (Reader reader = Files.newBufferedReader(file); PEMParser parser = new PEMParser(reader)) {
                return parser.readObject();
            }
        }

        private JcaPEMKeyConverter converter() {
            return new JcaPEMKeyConverter(); // JDK providers
        }

        private void validate(Issued leaf, Ca root) throws Exception {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            PKIXParameters params = new PKIXParameters(Collections.singleton(new TrustAnchor(root.certificate(), null)));
            params.setRevocationEnabled(false);
            CertPathValidator.getInstance("PKIX").validate(cf.generateCertPath(Arrays.asList(leaf.chain())), params);
        }
    }
}
