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
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
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
 * Wrapping a plain {@link X509TrustManager} (one that is not an {@link X509ExtendedTrustManager}) must not
 * remove the checks that SunJSSE adds around such a trust manager: host name verification (when the client
 * sets an endpoint identification algorithm) and algorithm constraints. So
 * {@link EkuPolicyTrustManager#wrap(X509TrustManager, EkuPolicy)} returns a plain trust manager for a plain
 * delegate, and SunJSSE keeps adding them. A plain application manager is not an engine's own, so EKU Bridge
 * does not ask it about the twin and its refusal stands (fail closed) unless the JDK manager inside
 * it is itself wrapped by EKU Bridge (what the agent does to the managers that trust manager factories hand out).
 *
 * <p>Real SunJSSE engine handshakes; the client connects to {@link Handshake#PEER_HOST}.
 */
class PlainTrustManagerWrapTest {

    private static final Ca ROOT = TestPki.root("Plain Wrap Root", KeyKind.EC_P256);
    /** A server certificate for another host than the one the client connects to. */
    private static final Issued EVIL_SERVER = ROOT.leaf("evil.example").eku(LeafEku.SERVER_AUTH).dnsNames("evil.example").issue();
    /** A server certificate for the host the client connects to. */
    private static final Issued RIGHT_SERVER = ROOT.leaf(Handshake.PEER_HOST).eku(LeafEku.SERVER_AUTH).dnsNames(Handshake.PEER_HOST).issue();
    /** A client certificate without clientAuth: the case the relaxed modes exist for. */
    private static final Issued SERVER_AUTH_ONLY_CLIENT = ROOT.leaf("serverauth-only-client").eku(LeafEku.SERVER_AUTH).issue();
    private static final KeyStore TRUST = TestPki.trustStore(ROOT.certificate());

    private static final String HOST_NAME_REFUSAL = "No subject alternative DNS name matching " + Handshake.PEER_HOST;
    private static final String JDK_CLIENT_EKU_REFUSAL = "Extended key usage does not permit use for TLS client authentication";

    /**
     * An application's own trust manager of the old style: it implements only {@link X509TrustManager} and
     * forwards to the JDK's PKIX trust manager's two-argument methods (which know nothing of the connection).
     */
    static final class PlainAdapter implements X509TrustManager {
        private final X509TrustManager pkix;

        PlainAdapter(X509TrustManager pkix) {
            this.pkix = pkix;
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            pkix.checkClientTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            pkix.checkServerTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return pkix.getAcceptedIssuers();
        }
    }

    static X509ExtendedTrustManager sunPkix() {
        return Jsse.SUN.trustManager("PKIX", TRUST);
    }

    private static X509TrustManager plainAdapter() {
        return new PlainAdapter(sunPkix());
    }

    /** The static type X509TrustManager selects the plain overload, as an application holding such a manager would. */
    private static X509TrustManager wrapPlain(EkuPolicy policy) {
        X509TrustManager plain = plainAdapter();
        return EkuPolicyTrustManager.wrap(plain, policy);
    }

    private static final Consumer<SSLEngine> CLIENT_CHECKS_HOST_NAME = engine -> {
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        engine.setSSLParameters(parameters);
    };

    /** Client (with the given trust manager, endpoint identification HTTPS) connects to a server presenting {@code server}. */
    private static HandshakeResult connect(X509TrustManager clientTrust, Issued server, String protocol) {
        SSLContext client = Jsse.SUN.context(null, new TrustManager[] {clientTrust});
        SSLContext serverContext = Jsse.SUN.context(new KeyManager[] {TestPki.fixedKeyManager(server)}, new TrustManager[] {sunPkix()});
        return Handshake.run(client, serverContext, protocol, false, CLIENT_CHECKS_HOST_NAME, null);
    }

    static Stream<Arguments> policiesAndProtocols() {
        return Stream.of(EkuPolicy.values()).flatMap(policy -> Stream.of("TLSv1.2", "TLSv1.3").map(protocol -> Arguments.of(policy, protocol)));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void theUnwrappedPlainAdapterRefusesAServerCertificateForAnotherHost(String protocol) {
        HandshakeResult result = connect(plainAdapter(), EVIL_SERVER, protocol);

        assertThat(result.succeeded()).as(result.toString()).isFalse();
        assertThat(result.failureText()).as(result.toString()).contains(HOST_NAME_REFUSAL);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("policiesAndProtocols")
    void theWrappedPlainAdapterIsStillPlainAndStillRefusesAServerCertificateForAnotherHost(EkuPolicy policy, String protocol) {
        X509TrustManager wrapped = wrapPlain(policy);
        assertThat(wrapped).as("a plain delegate stays plain, so that SunJSSE adds its checks")
                .isNotInstanceOf(X509ExtendedTrustManager.class);

        HandshakeResult result = connect(wrapped, EVIL_SERVER, protocol);

        assertThat(result.succeeded()).as("host name verification must survive wrapping: " + result).isFalse();
        assertThat(result.clientFailure()).as("the client refuses: " + result).isNotNull();
        assertThat(result.failureText()).as(result.toString()).contains(HOST_NAME_REFUSAL);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("policiesAndProtocols")
    void controlTheWrappedPlainAdapterConnectsToTheRightHost(EkuPolicy policy, String protocol) {
        HandshakeResult result = connect(wrapPlain(policy), RIGHT_SERVER, protocol);

        assertThat(result.succeeded()).as(result.toString()).isTrue();
        assertThat(result.serialSeenByClient()).isEqualTo(RIGHT_SERVER.serial());
    }

    /** Mutual TLS: the server's trust manager decides on a serverAuth-only client certificate. */
    private static HandshakeResult serverJudgesServerAuthOnlyClient(X509TrustManager serverTrust, String protocol) {
        SSLContext client = Jsse.SUN.context(new KeyManager[] {TestPki.fixedKeyManager(SERVER_AUTH_ONLY_CLIENT)},
                new TrustManager[] {sunPkix()});
        SSLContext server = Jsse.SUN.context(new KeyManager[] {TestPki.fixedKeyManager(RIGHT_SERVER)}, new TrustManager[] {serverTrust});
        return Handshake.run(client, server, protocol, true);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void lenientDoesNotOverrideThePlainAdaptersRefusalAndSaysWhy(String protocol) {
        X509TrustManager lenient = wrapPlain(EkuPolicy.LENIENT);
        assertThat(lenient).isNotInstanceOf(X509ExtendedTrustManager.class);

        HandshakeResult result = serverJudgesServerAuthOnlyClient(lenient, protocol);

        assertThat(result.succeeded()).as(result.toString()).isFalse();
        assertThat(result.failureText()).as(result.toString())
                .contains(JDK_CLIENT_EKU_REFUSAL + " [EKU Bridge: inbound.eku=lenient accepts this peer's")
                .contains(PlainAdapter.class.getName())
                .contains("set truststore or truststore.pem");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void lenientAcceptsAServerAuthOnlyClientWhenThePlainAdaptersJdkManagerIsWrapped(String protocol) {
        X509TrustManager adapter = new PlainAdapter(EkuPolicyTrustManager.wrap(sunPkix(), EkuPolicy.LENIENT));

        HandshakeResult result = serverJudgesServerAuthOnlyClient(EkuPolicyTrustManager.wrap(adapter, EkuPolicy.LENIENT), protocol);

        assertThat(result.succeeded()).as(result.toString()).isTrue();
        assertThat(result.serialSeenByServer()).isEqualTo(SERVER_AUTH_ONLY_CLIENT.serial());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void controlThePlainAdapterAloneAndStrictThroughThePlainWrapperRefuseThatClient(String protocol) {
        HandshakeResult alone = serverJudgesServerAuthOnlyClient(plainAdapter(), protocol);
        assertThat(alone.succeeded()).as(alone.toString()).isFalse();
        assertThat(alone.failureText()).as(alone.toString()).contains(JDK_CLIENT_EKU_REFUSAL);

        HandshakeResult strict = serverJudgesServerAuthOnlyClient(wrapPlain(EkuPolicy.STRICT), protocol);
        assertThat(strict.succeeded()).as(strict.toString()).isFalse();
        assertThat(strict.failureText()).as(strict.toString()).contains("(inbound.eku=strict)");
    }
}
