package dev.ekubridge.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ekubridge.EkuPolicy;
import dev.ekubridge.EkuPolicyTrustManager;
import dev.ekubridge.testsupport.pki.Ca;
import dev.ekubridge.testsupport.pki.Issued;
import dev.ekubridge.testsupport.pki.KeyKind;
import dev.ekubridge.testsupport.pki.LeafEku;
import dev.ekubridge.testsupport.pki.TestPki;
import dev.ekubridge.testsupport.tls.Handshake;
import dev.ekubridge.testsupport.tls.HandshakeResult;
import dev.ekubridge.testsupport.tls.Jsse;
import dev.ekubridge.testing.RecordingTrustManager;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Outbound (the peer is the TLS server): SunJSSE takes the legacy Server Gated Cryptography OIDs as serverAuth,
 * so EKU Bridge must not refuse a server certificate whose EKU is only SGC, in any mode; a codeSigning-only
 * server certificate is refused by both.
 */
class OutboundSgcTest {

    private static final String NETSCAPE_SGC = "2.16.840.1.113730.4.1";
    private static final String MICROSOFT_SGC = "1.3.6.1.4.1.311.10.3.3";
    private static final String AUTH_TYPE = "ECDHE_ECDSA";

    private static final Ca ROOT = TestPki.root("SGC Root", KeyKind.EC_P256);
    private static final Issued NETSCAPE_SGC_SERVER = ROOT.leaf("netscape-sgc").eku(purpose(NETSCAPE_SGC)).issue();
    private static final Issued MICROSOFT_SGC_SERVER = ROOT.leaf("microsoft-sgc").eku(purpose(MICROSOFT_SGC)).issue();
    private static final Issued CODE_SIGNING_SERVER = ROOT.leaf("code-signing").eku(LeafEku.CODE_SIGNING).issue();
    private static final KeyStore TRUST = TestPki.trustStore(ROOT.certificate());

    private static KeyPurposeId purpose(String oid) {
        return KeyPurposeId.getInstance(new ASN1ObjectIdentifier(oid));
    }

    private static X509ExtendedTrustManager sunPkix() {
        return Jsse.SUN.trustManager("PKIX", TRUST);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"netscape", "microsoft"})
    void theJdkTrustManagerAcceptsAnSgcOnlyServerCertificate(String which) throws Exception {
        Issued server = "netscape".equals(which) ? NETSCAPE_SGC_SERVER : MICROSOFT_SGC_SERVER;
        assertThat(server.certificate().getExtendedKeyUsage()).as("only the SGC OID")
                .containsExactly("netscape".equals(which) ? NETSCAPE_SGC : MICROSOFT_SGC);

        assertThatCode(() -> sunPkix().checkServerTrusted(server.chain(), AUTH_TYPE)).doesNotThrowAnyException();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(EkuPolicy.class)
    void ekuBridgeAcceptsAnSgcOnlyServerCertificateInEveryMode(EkuPolicy policy) {
        EkuPolicyTrustManager bridge = EkuPolicyTrustManager.wrap(sunPkix(), policy);

        assertThatCode(() -> bridge.checkServerTrusted(NETSCAPE_SGC_SERVER.chain(), AUTH_TYPE)).doesNotThrowAnyException();
        assertThatCode(() -> bridge.checkServerTrusted(MICROSOFT_SGC_SERVER.chain(), AUTH_TYPE)).doesNotThrowAnyException();
        assertThatCode(() -> bridge.checkServerTrusted(NETSCAPE_SGC_SERVER.chain(), AUTH_TYPE, (javax.net.ssl.SSLEngine) null))
                .doesNotThrowAnyException();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(EkuPolicy.class)
    void ekuBridgeConnectsToAnSgcOnlyServerInARealHandshake(EkuPolicy policy) {
        SSLContext client = Jsse.SUN.context(null, new TrustManager[] {EkuPolicyTrustManager.wrap(sunPkix(), policy)});
        SSLContext server = Jsse.SUN.context(new KeyManager[] {TestPki.fixedKeyManager(NETSCAPE_SGC_SERVER)}, new TrustManager[] {sunPkix()});

        HandshakeResult result = Handshake.run(client, server, "TLSv1.3", false);

        assertThat(result.succeeded()).as(result.toString()).isTrue();
        assertThat(result.serialSeenByClient()).isEqualTo(NETSCAPE_SGC_SERVER.serial());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(EkuPolicy.class)
    void aCodeSigningOnlyServerCertificateIsRefusedByTheJdkAndByEkuBridge(EkuPolicy policy) {
        assertThatThrownBy(() -> sunPkix().checkServerTrusted(CODE_SIGNING_SERVER.chain(), AUTH_TYPE))
                .isInstanceOf(CertificateException.class)
                .hasMessageContaining("Extended key usage does not permit use for TLS server authentication");

        EkuPolicyTrustManager bridge = EkuPolicyTrustManager.wrap(sunPkix(), policy);
        assertThatThrownBy(() -> bridge.checkServerTrusted(CODE_SIGNING_SERVER.chain(), AUTH_TYPE))
                .isInstanceOf(CertificateException.class)
                .hasMessageContaining("Extended key usage does not permit use for TLS server authentication");
    }

    /**
     * The wrapper's own serverAuth rule (which matters for a wrapped manager that does not check EKU): with a
     * delegate that accepts everything, SGC-only still passes and codeSigning-only is refused by the policy.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(EkuPolicy.class)
    void theWrappersOwnServerRuleTakesSgcAndRefusesCodeSigning(EkuPolicy policy) {
        EkuPolicyTrustManager bridge = EkuPolicyTrustManager.wrap(RecordingTrustManager.acceptingEverything(), policy);

        assertThatCode(() -> bridge.checkServerTrusted(NETSCAPE_SGC_SERVER.chain(), AUTH_TYPE)).doesNotThrowAnyException();
        assertThatCode(() -> bridge.checkServerTrusted(MICROSOFT_SGC_SERVER.chain(), AUTH_TYPE)).doesNotThrowAnyException();
        assertThatThrownBy(() -> bridge.checkServerTrusted(CODE_SIGNING_SERVER.chain(), AUTH_TYPE))
                .isInstanceOf(CertificateException.class)
                .hasMessageContaining("Extended key usage does not permit use for TLS server authentication: peer")
                .hasMessageContaining("codeSigning");
    }
}
