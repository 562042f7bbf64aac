package dev.ekubridge.policy;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.security.KeyStore;
import java.util.function.Consumer;
import java.util.stream.Stream;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An application that sets an endpoint identification algorithm on its SERVER engine. The relaxed path asks
 * the JDK trust manager about the client's clientAuth twin, so the JDK applies its own endpoint identification
 * to it and refuses it exactly as it refuses a client that permits clientAuth ("Endpoint Identification
 * Algorithm HTTPS is not supported on the server side"); an earlier EKU Bridge validated relaxed peers in the
 * server direction, where that setting would have checked the peer against the server's own SNI name and
 * passed. Where no relaxation is involved, the verdict is exactly the JDK trust manager's.
 *
 * <p>Real SunJSSE engine handshakes. The client connects to {@link Handshake#PEER_HOST} and so sends it as SNI;
 * the serverAuth-only client certificate names that same host, so a server-direction host check would pass.
 */
class ServerSideEndpointIdentificationTest {

    private static final Ca ROOT = TestPki.root("Server EI Root", KeyKind.EC_P256);
    private static final Issued SERVER = ROOT.leaf(Handshake.PEER_HOST).eku(LeafEku.SERVER_AUTH).dnsNames(Handshake.PEER_HOST).issue();
    /** serverAuth only, and its SAN is the SNI name the client sends (the server's own name). */
    private static final Issued SERVER_AUTH_ONLY_CLIENT = ROOT.leaf("serverauth-only-client").eku(LeafEku.SERVER_AUTH)
            .dnsNames(Handshake.PEER_HOST).issue();
    private static final Issued DUAL_EKU_CLIENT = ROOT.leaf("dual-eku-client").eku(LeafEku.BOTH).dnsNames(Handshake.PEER_HOST).issue();
    private static final KeyStore TRUST = TestPki.trustStore(ROOT.certificate());

    private static final Consumer<SSLEngine> SERVER_SETS_HTTPS = engine -> {
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        engine.setSSLParameters(parameters);
    };

    private static X509ExtendedTrustManager sunPkix() {
        return Jsse.SUN.trustManager("PKIX", TRUST);
    }

    private static HandshakeResult run(Issued client, X509TrustManager serverTrust, String protocol, boolean serverSetsHttps) {
        SSLContext clientContext = Jsse.SUN.context(new KeyManager[] {TestPki.fixedKeyManager(client)}, new TrustManager[] {sunPkix()});
        SSLContext serverContext = Jsse.SUN.context(new KeyManager[] {TestPki.fixedKeyManager(SERVER)}, new TrustManager[] {serverTrust});
        return Handshake.run(clientContext, serverContext, protocol, true, null, serverSetsHttps ? SERVER_SETS_HTTPS : null);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void lenientRefusesAServerAuthOnlyClientWhenTheServerSideSetsHttpsAsTheJdkRefusesAClientAuthOne(String protocol) {
        HandshakeResult relaxed = run(SERVER_AUTH_ONLY_CLIENT, EkuPolicyTrustManager.wrap(sunPkix(), EkuPolicy.LENIENT), protocol, true);
        HandshakeResult jdk = run(DUAL_EKU_CLIENT, sunPkix(), protocol, true);

        assertThat(relaxed.succeeded()).as(relaxed.toString()).isFalse();
        assertThat(relaxed.serverFailure()).as(relaxed.toString()).isNotNull();
        assertThat(message(relaxed)).as(relaxed.toString()).contains("Endpoint Identification Algorithm HTTPS").isEqualTo(message(jdk));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void controlLenientAcceptsTheSameClientWhenTheServerSideSetsNoAlgorithm(String protocol) {
        HandshakeResult result = run(SERVER_AUTH_ONLY_CLIENT, EkuPolicyTrustManager.wrap(sunPkix(), EkuPolicy.LENIENT), protocol, false);

        assertThat(result.succeeded()).as(result.toString()).isTrue();
        assertThat(result.serialSeenByServer()).isEqualTo(SERVER_AUTH_ONLY_CLIENT.serial());
    }

    static Stream<Arguments> clientAuthPathCases() {
        return Stream.of(EkuPolicy.STRICT, EkuPolicy.LENIENT, EkuPolicy.AUDIT)
                .flatMap(policy -> Stream.of("TLSv1.2", "TLSv1.3").flatMap(protocol ->
                        Stream.of(true, false).map(https -> Arguments.of(policy, protocol, https))));
    }

    /** A dual-EKU client takes the clientAuth path: the wrapper's verdict and message are the JDK's own. */
    @ParameterizedTest(name = "{0} {1} server sets HTTPS: {2}")
    @MethodSource("clientAuthPathCases")
    void aDualEkuClientGetsExactlyTheJdkVerdict(EkuPolicy policy, String protocol, boolean serverSetsHttps) {
        HandshakeResult jdk = run(DUAL_EKU_CLIENT, sunPkix(), protocol, serverSetsHttps);
        HandshakeResult bridge = run(DUAL_EKU_CLIENT, EkuPolicyTrustManager.wrap(sunPkix(), policy), protocol, serverSetsHttps);

        // observed on JDK 17: with the server-side setting the JDK refuses every client certificate
        // ("Endpoint Identification Algorithm HTTPS is not supported on the server side"); without it, it accepts
        assertThat(jdk.succeeded()).as(jdk.toString()).isEqualTo(!serverSetsHttps);
        assertThat(bridge.succeeded()).as("JDK: " + jdk + "\nEKU Bridge: " + bridge).isEqualTo(jdk.succeeded());
        assertThat(bridge.serialSeenByServer()).as(bridge.toString()).isEqualTo(jdk.serialSeenByServer());
        assertThat(message(bridge)).as("the server's refusal, if any, is the JDK's").isEqualTo(message(jdk));
    }

    private static String message(HandshakeResult result) {
        return result.serverFailure() == null ? null : String.valueOf(result.serverFailure().getMessage());
    }
}
