package dev.ekubridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.ekubridge.testing.LogCapture;
import dev.ekubridge.testsupport.pki.Ca;
import dev.ekubridge.testsupport.pki.Issued;
import dev.ekubridge.testsupport.pki.KeyKind;
import dev.ekubridge.testsupport.pki.LeafEku;
import dev.ekubridge.testsupport.pki.TestPki;
import dev.ekubridge.testing.RecordingTrustManager;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.junit.jupiter.api.Test;

/**
 * Netty's {@code SslProvider.JDK} server context (issue 9) puts each trust manager its {@code TrustManagerFactory}
 * handed out inside its own {@code EnhancingX509ExtendedTrustManager}, then calls {@code SSLContext.init}. Under the
 * agent the factory's manager already applies the policy, and the init retrofit, which cannot see through Netty's
 * wrapper, wraps it again. Two policies then judge every handshake: they agree, but each wrote its decision line
 * (measured in the it module's NettyInboundEkuIT: two lines per accepted peer) and each would audit. The inner one now
 * leaves the lines to the outer one, and the outer one passes the inner verdict on unchanged.
 */
class NestedPolicyTrustManagerTest {
    private static final Ca CA = TestPki.root("Nested Policy CA", KeyKind.EC_P256);
    private static final Ca UNTRUSTED = TestPki.root("Nested Policy Untrusted CA", KeyKind.EC_P256);
    private static final Issued CLIENT = CA.leaf("client").eku(LeafEku.CLIENT_AUTH).issue();
    private static final Issued PUBLIC = CA.leaf("public").eku(LeafEku.SERVER_AUTH).issue();
    private static final Issued ROGUE = UNTRUSTED.leaf("rogue").eku(LeafEku.SERVER_AUTH).issue();

    /** What the agent builds for a Netty JDK server: policy(Netty's wrapper(policy(PKIX))), both from one bridge. */
    private record Stack(EkuPolicyTrustManager inner, X509ExtendedTrustManager outer) {
    }

    private static Stack stack(EkuPolicy mode) throws Exception {
        EkuBridge bridge = EkuBridge.builder().clientIdentity(Identity.of("client", "test", CLIENT.privateKey(), CLIENT.chain()))
                .inboundEku(mode).logHandshakes(true).build();
        AgentSupport retrofit = AgentSupport.of(bridge);
        TrustManagerFactory pkix = TrustManagerFactory.getInstance("PKIX");
        pkix.init(TestPki.trustStore(CA.certificate()));
        EkuPolicyTrustManager inner = (EkuPolicyTrustManager) retrofit.factoryTrustManagers(pkix.getTrustManagers())[0];
        TrustManager[] outer = retrofit.trustManagers(new TrustManager[] {RecordingTrustManager.around(inner)});
        assertThat(outer[0]).as("the init retrofit cannot see through the wrapper").isInstanceOf(EkuPolicyTrustManager.class)
                .isNotSameAs(inner);
        return new Stack(inner, (X509ExtendedTrustManager) outer[0]);
    }

    private interface Check {
        void run() throws CertificateException;
    }

    /** The check's failure (or null) and the decision and audit lines it wrote. */
    private record Outcome(Throwable failure, List<String> decisions, List<String> audits) {
    }

    private static Outcome run(Check check) {
        LogCapture.Captured<Throwable> captured = LogCapture.capture(() -> catchThrowable(check::run));
        List<String> lines = Arrays.asList(captured.text().split("\\R"));
        return new Outcome(captured.result(), lines.stream().filter(l -> l.contains("ekubridge.handshakes")).collect(Collectors.toList()),
                lines.stream().filter(l -> l.contains("ekubridge.audit")).collect(Collectors.toList()));
    }

    @Test
    void lenientAcceptsAServerAuthOnlyClientWithOneDecisionLine() throws Exception {
        Stack stack = stack(EkuPolicy.LENIENT);
        Outcome outcome = run(() -> stack.outer().checkClientTrusted(PUBLIC.chain(), "EC", (SSLEngine) null));
        assertThat(outcome.failure()).isNull();
        assertThat(outcome.decisions()).singleElement().satisfies(l -> assertThat(l)
                .contains("inbound peer").contains("accepted (serverAuth instead of clientAuth) (inbound.eku=lenient)"));
    }

    @Test
    void strictRefusesItWithOneDecisionLine() throws Exception {
        Stack stack = stack(EkuPolicy.STRICT);
        Outcome outcome = run(() -> stack.outer().checkClientTrusted(PUBLIC.chain(), "EC", (Socket) null));
        assertThat(outcome.failure()).isInstanceOf(CertificateException.class)
                .hasMessageStartingWith("Extended key usage does not permit use for TLS client authentication (clientAuth)");
        assertThat(outcome.decisions()).singleElement().satisfies(l -> assertThat(l).contains("refused: Extended key usage"));

        Outcome clientAuth = run(() -> stack.outer().checkClientTrusted(CLIENT.chain(), "EC"));
        assertThat(clientAuth.failure()).isNull();
        assertThat(clientAuth.decisions()).singleElement().satisfies(l -> assertThat(l).contains("accepted (clientAuth)"));
    }

    /**
     * The inner policy refuses for a reason other than EKU: its refusal is the verdict, as it is; before, the outer one,
     * not knowing Netty's wrapper, replaced it with advice to let EKU Bridge wrap the engine's manager, which it did.
     */
    @Test
    void anUntrustedIssuerIsRefusedWithTheWrappedManagersOwnMessage() throws Exception {
        Stack stack = stack(EkuPolicy.LENIENT);
        Outcome outcome = run(() -> stack.outer().checkClientTrusted(ROGUE.chain(), "EC", (SSLEngine) null));
        assertThat(outcome.failure()).isInstanceOf(CertificateException.class).hasMessageNotContaining("[EKU Bridge:");
        assertThat(outcome.decisions()).singleElement().satisfies(l -> assertThat(l).contains("refused: "));
    }

    @Test
    void auditAuditsOnce() throws Exception {
        Stack stack = stack(EkuPolicy.AUDIT);
        Outcome outcome = run(() -> stack.outer().checkClientTrusted(PUBLIC.chain(), "EC"));
        assertThat(outcome.failure()).isNull();
        assertThat(outcome.audits()).hasSize(1);
        assertThat(outcome.decisions()).hasSize(1);
        // both read the bridge's one counter (the JMX view), which the outermost manager alone counted
        assertThat(((EkuPolicyTrustManager) stack.outer()).auditedCount()).isEqualTo(1);
        assertThat(stack.inner().auditedCount()).isEqualTo(1);
    }

    @Test
    void outboundDecisionsAreLoggedOnce() throws Exception {
        Stack stack = stack(EkuPolicy.STRICT);
        Outcome outcome = run(() -> stack.outer().checkServerTrusted(PUBLIC.chain(), "ECDHE_ECDSA", (SSLEngine) null));
        assertThat(outcome.failure()).isNull();
        assertThat(outcome.decisions()).singleElement().satisfies(l -> assertThat(l).contains("outbound peer").contains("accepted (serverAuth)"));
    }

    /** Nesting is per decision: afterwards the inner manager, asked on its own, writes its line again. */
    @Test
    void theInnerManagerStillSpeaksWhenItIsAskedDirectly() throws Exception {
        Stack stack = stack(EkuPolicy.LENIENT);
        run(() -> stack.outer().checkClientTrusted(PUBLIC.chain(), "EC"));
        Outcome direct = run(() -> stack.inner().checkClientTrusted(PUBLIC.chain(), "EC"));
        assertThat(direct.decisions()).hasSize(1);
        Outcome refused = run(() -> stack.outer().checkClientTrusted(ROGUE.chain(), "EC"));
        assertThat(refused.failure()).isNotNull();
        Outcome afterRefusal = run(() -> stack.inner().checkClientTrusted(CLIENT.chain(), "EC"));
        assertThat(afterRefusal.decisions()).hasSize(1);
    }

    /** An outer policy that writes no lines leaves them to the inner one, which does. */
    @Test
    void aSilentOuterPolicyLeavesTheLinesToTheInnerOne() throws Exception {
        Stack stack = stack(EkuPolicy.LENIENT);
        EkuPolicyTrustManager silent = EkuPolicyTrustManager.wrap(RecordingTrustManager.around(stack.inner()), EkuPolicy.LENIENT, false);
        Outcome outcome = run(() -> silent.checkClientTrusted(PUBLIC.chain(), "EC"));
        assertThat(outcome.failure()).isNull();
        assertThat(outcome.decisions()).hasSize(1);
    }
}
