package dev.ekubridge.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ekubridge.EkuPolicy;
import dev.ekubridge.EkuPolicyTrustManager;
import dev.ekubridge.testsupport.pki.Ca;
import dev.ekubridge.testsupport.pki.Issued;
import dev.ekubridge.testsupport.pki.KeyKind;
import dev.ekubridge.testsupport.pki.LeafEku;
import dev.ekubridge.testsupport.pki.TestPki;
import dev.ekubridge.testsupport.tls.HandshakeLoop;
import dev.ekubridge.testsupport.tls.Jsse;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.HashSet;
import java.util.Set;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** The clientAuth twin view of a leaf: only its EKU list differs, and it never leaves the one trust manager call. */
class ClientAuthTwinTest {
    private static final Ca CA = TestPki.root("Twin View CA", KeyKind.EC_P256);
    private static final Issued SERVER_AUTH_ONLY = CA.leaf("twin-view.example").eku(LeafEku.SERVER_AUTH).dnsNames("twin-view.example").issue();
    private static final Issued SERVER = CA.leaf("server.twin-view.example").eku(LeafEku.SERVER_AUTH).issue();
    private static final KeyStore TRUST = TestPki.trustStore(CA.certificate());

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
        assertThat(ClientAuthTwin.understoodBy(jsse.trustManager("PKIX", TRUST))).isTrue();
        // any other manager, even one with the engine's inside (here a policy around it), is not
        assertThat(ClientAuthTwin.understoodBy(EkuPolicyTrustManager.wrap(jsse.trustManager("PKIX", TRUST), EkuPolicy.LENIENT))).isFalse();
    }

    @Test
    void sunX509ManagersAreTheEnginesOwnToo() throws Exception {
        javax.net.ssl.TrustManagerFactory factory = javax.net.ssl.TrustManagerFactory.getInstance("SunX509");
        factory.init(TRUST);
        assertThat(ClientAuthTwin.understoodBy(factory.getTrustManagers()[0])).isTrue();
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
