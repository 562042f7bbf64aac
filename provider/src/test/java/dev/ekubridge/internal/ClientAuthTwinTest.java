package dev.ekubridge.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ekubridge.EkuPolicy;
import dev.ekubridge.EkuPolicyTrustManager;
import dev.ekubridge.testsupport.pki.Ca;
import dev.ekubridge.testsupport.pki.Issued;
import dev.ekubridge.testsupport.pki.KeyKind;
import dev.ekubridge.testsupport.pki.LeafEku;
import dev.ekubridge.testsupport.pki.TestPki;
import dev.ekubridge.testsupport.pki.Twins;
import dev.ekubridge.testsupport.tls.HandshakeLoop;
import dev.ekubridge.testsupport.tls.Jsse;
import java.io.ByteArrayInputStream;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The clientAuth twin view of a leaf: only its EKU list differs, and it never leaves the one trust manager call. */
class ClientAuthTwinTest {
    private static final Ca CA = TestPki.root("Twin View CA", KeyKind.EC_P256);
    private static final Issued SERVER_AUTH_ONLY = CA.leaf("twin-view.example").eku(LeafEku.SERVER_AUTH).dnsNames("twin-view.example").issue();
    private static final Issued SERVER = CA.leaf("server.twin-view.example").eku(LeafEku.SERVER_AUTH).issue();
    private static final KeyStore TRUST = TestPki.trustStore(CA.certificate());
    private static final String NETSCAPE_CERT_TYPE = "2.16.840.1.113730.1.1";
    /** serverAuth only, with a non-critical Netscape certificate type that does not parse (NULL, not a BIT STRING). */
    private static final Twins.Pair MALFORMED_NETSCAPE_TYPE = Twins.Spec.of("nsct-malformed.twin-view.example", CA,
            KeyKind.EC_P256.pooledKeyPair())
        .extension(new ASN1ObjectIdentifier(NETSCAPE_CERT_TYPE), false, DERNull.INSTANCE).issue();

    @Test
    void onlyTheEkuListDiffersAndItGainsClientAuth() throws Exception {
        X509Certificate leaf = SERVER_AUTH_ONLY.certificate();
        X509Certificate twin = ClientAuthTwin.of(new X509Certificate[] {leaf, CA.certificate()})[0];

        assertThat(leaf.getExtendedKeyUsage()).containsExactly(Eku.SERVER_AUTH);
        assertThat(twin.getExtendedKeyUsage()).containsExactly(Eku.SERVER_AUTH, Eku.CLIENT_AUTH);
        assertThat(twin.getEncoded()).isEqualTo(leaf.getEncoded());
        assertThat(twin.getExtensionValue("2.5.29.37")).isEqualTo(leaf.getExtensionValue("2.5.29.37"));
        assertThat(twin.getPublicKey()).isEqualTo(leaf.getPublicKey());
        assertThat(twin.getKeyUsage()).isEqualTo(leaf.getKeyUsage());
        assertThat(twin.getSubjectAlternativeNames()).isEqualTo(leaf.getSubjectAlternativeNames());
        assertThat(twin.getCriticalExtensionOIDs()).isEqualTo(leaf.getCriticalExtensionOIDs());
        assertThat(twin.getSerialNumber()).isEqualTo(leaf.getSerialNumber());
        twin.verify(CA.certificate().getPublicKey());
    }

    /**
     * Present, absent, unparseable, written oddly: every extension value is the leaf's, for the JDK's certificate
     * class (whose absent extensions the twin answers itself) and for Bouncy Castle's.
     */
    @ParameterizedTest
    @ValueSource(strings = {"SUN", "BC"})
    void everyExtensionValueIsTheLeafs(String certificateProvider) throws Exception {
        X509Certificate leaf = (X509Certificate) ("SUN".equals(certificateProvider) ? CertificateFactory.getInstance("X.509")
            : CertificateFactory.getInstance("X.509", new BouncyCastleProvider()))
            .generateCertificate(new ByteArrayInputStream(MALFORMED_NETSCAPE_TYPE.leaf().getEncoded()));
        X509Certificate twin = ClientAuthTwin.of(new X509Certificate[] {leaf})[0];
        Set<String> oids = new HashSet<>(leaf.getNonCriticalExtensionOIDs());
        oids.addAll(leaf.getCriticalExtensionOIDs());
        assertThat(oids).contains(NETSCAPE_CERT_TYPE, "2.5.29.37", "2.5.29.15");
        oids.addAll(List.of("2.5.29.17", "1.3.6.1.4.1.55555.1")); // absent: no subject alternative names; a name no one knows
        oids.addAll(List.of("2.5.29.037", "02.5.29.37", "2.5.29.+37", "2.5.29.15.", "2..5.29.15", "", "2")); // odd forms

        for (String oid : oids) {
            assertThat(extensionValue(twin, oid)).as(oid).isEqualTo(extensionValue(leaf, oid));
        }
        assertThat(extensionValue(twin, null)).isEqualTo(extensionValue(leaf, null));
        assertThat(twin.getExtensionValue(NETSCAPE_CERT_TYPE)).isNotNull();
        assertThat(twin.getExtensionValue("2.5.29.17")).isNull();
    }

    /** The value, or the exception's class when the certificate refuses the question (Bouncy Castle, for an odd OID). */
    private static Object extensionValue(X509Certificate certificate, String oid) {
        try {
            return certificate.getExtensionValue(oid);
        } catch (RuntimeException e) {
            return e.getClass();
        }
    }

    @Test
    void onlyADottedDecimalOidIsCanonical() {
        assertThat(List.of("2.5.29.37", "1.3.6.1.4.1.55555.1", "0.0", "2.16.840.1.113730.1.1")).allMatch(ClientAuthTwin::canonical);
        assertThat(Arrays.asList(null, "", "2", "2.5.29.037", "02.5", "2.5.", ".2.5", "2..5", "2.+5", "2.-5", "2.5a", "2. 5"))
            .noneMatch(ClientAuthTwin::canonical);
    }

    /**
     * The one known difference from the twin's verdict, documented in README, and it fails closed: SunJSSE ignores a
     * non-critical Netscape type that did not parse on its own certificate objects, so the re-signed twin passes, but
     * through any other X509Certificate it reads the extension's bytes and refuses them. BCJSSE does not read the
     * Netscape type: both pass.
     */
    @ParameterizedTest
    @EnumSource(Jsse.class)
    void aNetscapeTypeThatDoesNotParseFailsClosed(Jsse jsse) throws Exception {
        X509TrustManager stock = jsse.trustManager("PKIX", TRUST);
        X509TrustManager lenient = EkuPolicyTrustManager.wrap(jsse.trustManager("PKIX", TRUST), EkuPolicy.LENIENT);

        stock.checkClientTrusted(MALFORMED_NETSCAPE_TYPE.twinChain(), "EC");
        if (jsse == Jsse.SUN) {
            assertThatThrownBy(() -> lenient.checkClientTrusted(MALFORMED_NETSCAPE_TYPE.chain(), "EC"))
                .hasMessageContaining("Netscape cert type does not permit use for SSL client");
        } else {
            lenient.checkClientTrusted(MALFORMED_NETSCAPE_TYPE.chain(), "EC");
        }
    }

    @Test
    void itEqualsTheRealCertificateBothWaysSoAPinnedLeafIsFoundAmongTheAnchors() {
        X509Certificate leaf = SERVER_AUTH_ONLY.certificate();
        X509Certificate twin = ClientAuthTwin.of(new X509Certificate[] {leaf})[0];
        Set<Certificate> anchors = new HashSet<>();
        anchors.add(leaf);

        assertThat(twin).isEqualTo(leaf).hasSameHashCodeAs(leaf);
        assertThat(leaf).isEqualTo(twin);
        assertThat(anchors).contains(twin);
    }

    @Test
    void theChainGivenIsNotChanged() {
        X509Certificate[] chain = {SERVER_AUTH_ONLY.certificate(), CA.certificate()};
        X509Certificate[] twins = ClientAuthTwin.of(chain);

        assertThat(chain[0]).isSameAs(SERVER_AUTH_ONLY.certificate()).isNotInstanceOf(ClientAuthTwin.class);
        assertThat(twins[0]).isInstanceOf(ClientAuthTwin.class);
        assertThat(twins[1]).isSameAs(CA.certificate());
    }

    @ParameterizedTest
    @EnumSource(Jsse.class)
    void onlyTheEnginesOwnManagersAreAskedAboutTwins(Jsse jsse) {
        X509TrustManager engineManager = jsse.trustManager("PKIX", TRUST);
        assertThat(ClientAuthTwin.engineManagerIn(engineManager)).isSameAs(engineManager);
        // any other manager, even one with the engine's inside (here a policy around it), is not
        assertThat(ClientAuthTwin.engineManagerIn(EkuPolicyTrustManager.wrap(engineManager, EkuPolicy.LENIENT))).isNull();
    }

    @Test
    void sunX509ManagersAreTheEnginesOwnToo() throws Exception {
        javax.net.ssl.TrustManagerFactory factory = javax.net.ssl.TrustManagerFactory.getInstance("SunX509");
        factory.init(TRUST);
        assertThat(ClientAuthTwin.engineManagerIn(factory.getTrustManagers()[0])).isNotNull();
    }

    /** Behind a forwarding manager (a reloadable trust store) the manager in service is read once per decision, and asked. */
    @Test
    void behindAForwardingManagerTheManagerInServiceIsReadOnceAndAsked() throws Exception {
        X509ExtendedTrustManager engineManager = (X509ExtendedTrustManager) Jsse.SUN.trustManager("PKIX", TRUST);
        AtomicInteger reads = new AtomicInteger();
        ForwardingTrustManager forwarding = new ForwardingTrustManager() {
            @Override
            public X509ExtendedTrustManager current() {
                reads.incrementAndGet();
                return engineManager;
            }
        };
        X509TrustManager lenient = EkuPolicyTrustManager.wrap(forwarding, EkuPolicy.LENIENT);
        assertThat(ClientAuthTwin.engineManagerIn(forwarding)).isSameAs(engineManager);
        reads.set(0);

        lenient.checkClientTrusted(new X509Certificate[] {SERVER_AUTH_ONLY.certificate(), CA.certificate()}, "EC");
        assertThat(reads).hasValue(1);
        X509Certificate[] untrusted = {TestPki.root("Twin View Other CA", KeyKind.EC_P256).leaf("other.twin-view.example")
            .eku(LeafEku.SERVER_AUTH).issue().certificate()};
        assertThatThrownBy(() -> lenient.checkClientTrusted(untrusted, "EC")).hasMessageContaining("PKIX path");
    }

    /** In a real relaxed handshake the server's session holds the peer's real certificate, not the twin. */
    @ParameterizedTest
    @EnumSource(Jsse.class)
    void theSessionKeepsThePeersRealCertificate(Jsse jsse) throws Exception {
        X509TrustManager lenient = EkuPolicyTrustManager.wrap(jsse.trustManager("PKIX", TRUST), EkuPolicy.LENIENT);
        SSLContext server = jsse.context(new KeyManager[] {TestPki.fixedKeyManager(SERVER)}, new TrustManager[] {lenient});
        SSLContext client = jsse.context(new KeyManager[] {TestPki.fixedKeyManager(SERVER_AUTH_ONLY)},
            new TrustManager[] {jsse.trustManager("PKIX", TRUST)});

        SSLSession session = new HandshakeLoop("TLSv1.3").run(client, server);

        assertThat(session.getPeerCertificates()[0]).isEqualTo(SERVER_AUTH_ONLY.certificate()).isNotInstanceOf(ClientAuthTwin.class);
    }
}
