package dev.ekubridge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ekubridge.testsupport.pki.Ca;
import dev.ekubridge.testsupport.pki.Issued;
import dev.ekubridge.testsupport.pki.KeyKind;
import dev.ekubridge.testsupport.pki.LeafEku;
import dev.ekubridge.testsupport.pki.TestPki;
import dev.ekubridge.testsupport.pki.Twins;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.PolicyInformation;
import org.junit.jupiter.api.Test;

/**
 * What the agent does to the managers a factory hands out and to those an application initialises a context with:
 * every path is idempotent, whichever met a manager first, and the trust side knows the factory it came from.
 */
class AgentSupportTest {
    private static final char[] PW = "agent-support".toCharArray();
    private static final Ca CA = TestPki.root("Agent Support CA", KeyKind.EC_P256);
    private static final Issued CLIENT = CA.leaf("client").eku(LeafEku.CLIENT_AUTH).issue();
    private static final Issued APP = CA.leaf("app").eku(LeafEku.SERVER_AUTH).issue();

    private static AgentSupport retrofit(EkuPolicy mode) {
        Identity client = Identity.of("client", "test", CLIENT.privateKey(), CLIENT.chain());
        return AgentSupport.of(EkuBridge.builder().clientIdentity(client).inboundEku(mode).build());
    }

    private static TrustManagerFactory pkix() throws Exception {
        TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
        factory.init(TestPki.trustStore(CA.certificate()));
        return factory;
    }

    @Test
    void factoryManagersAreRetrofittedOnceWhicheverPathMeetsThemFirst() throws Exception {
        AgentSupport retrofit = retrofit(EkuPolicy.LENIENT);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("SunX509");
        kmf.init(TestPki.keyStore("PKCS12", PW, "app", APP), PW);
        KeyManager[] fromFactory = retrofit.keyManagers(kmf.getKeyManagers());
        TrustManagerFactory tmf = pkix();
        TrustManager[] trustFromFactory = retrofit.factoryTrustManagers(tmf.getTrustManagers());

        assertThat(fromFactory[0]).isInstanceOf(RoleAwareKeyManager.class);
        assertThat(trustFromFactory[0]).isInstanceOf(EkuPolicyTrustManager.class);
        // then SSLContext.init with them, or the factory path again: the same objects come back
        assertThat(retrofit.keyManagers(fromFactory)).isSameAs(fromFactory);
        assertThat(retrofit.trustManagers(trustFromFactory)).isSameAs(trustFromFactory);
        assertThat(retrofit.factoryTrustManagers(trustFromFactory)).isSameAs(trustFromFactory);
        // and a policy is never wrapped around a policy when EKU Bridge asks a factory the agent already hooked
        X509TrustManager again = EkuPolicyTrustManager.overFactoryManager((X509TrustManager) trustFromFactory[0],
                PolicyScope.of(EkuPolicy.LENIENT), false);
        assertThat(((EkuPolicyTrustManager) again).delegate()).isSameAs(((EkuPolicyTrustManager) trustFromFactory[0]).delegate())
                .isNotInstanceOf(EkuPolicyTrustManager.class);
    }

    /**
     * SunJSSE's PKIX and SunX509 managers are one class that judges a leaf's critical extensions differently; the
     * relaxed path asks the engine about the twin, so each judges as it would the twin, however its manager reached
     * the policy (from a factory the agent hooked, or handed to {@code SSLContext.init} by the application).
     */
    @Test
    void eachEngineManagerJudgesTheTwinsCriticalExtensionsItself() throws Exception {
        Twins.Pair pair = Twins.Spec.of("policies", CA, KeyKind.EC_P256.pooledKeyPair())
                .extension(Extension.certificatePolicies, true, new DERSequence(new PolicyInformation(new ASN1ObjectIdentifier("2.5.29.32.0"))))
                .issue();
        X509Certificate[] chain = pair.chain();
        TrustManagerFactory sunX509 = TrustManagerFactory.getInstance("SunX509");
        sunX509.init(TestPki.trustStore(CA.certificate()));
        AgentSupport retrofit = retrofit(EkuPolicy.LENIENT);

        X509TrustManager fromFactory = (X509TrustManager) retrofit.factoryTrustManagers(pkix().getTrustManagers())[0];
        X509TrustManager fromApplication = (X509TrustManager) retrofit.trustManagers(pkix().getTrustManagers())[0];
        X509TrustManager simple = (X509TrustManager) retrofit.factoryTrustManagers(sunX509.getTrustManagers())[0];

        fromFactory.checkClientTrusted(chain, "EC");
        fromApplication.checkClientTrusted(chain, "EC");
        ((X509TrustManager) pkix().getTrustManagers()[0]).checkClientTrusted(pair.twinChain(), "EC");
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> simple.checkClientTrusted(chain, "EC")))
                .hasMessageContaining("unsupported critical extensions")
                .hasMessage(org.assertj.core.api.Assertions.catchThrowable(
                    () -> ((X509TrustManager) sunX509.getTrustManagers()[0]).checkClientTrusted(pair.twinChain(), "EC")).getMessage());
    }

    @Test
    void withAConfiguredTrustStoreTheFactoryHandsOutTheBridgesOwnPolicyManager() throws Exception {
        KeyStore ours = TestPki.trustStore(CA.certificate());
        EkuBridge bridge = EkuBridge.builder().clientIdentity(Identity.of("client", "test", CLIENT.privateKey(), CLIENT.chain()))
                .trustStore(ours).build();
        TrustManager[] handedOut = AgentSupport.of(bridge).factoryTrustManagers(pkix().getTrustManagers());
        assertThat(handedOut[0]).isSameAs(bridge.trustManager());
    }
}
