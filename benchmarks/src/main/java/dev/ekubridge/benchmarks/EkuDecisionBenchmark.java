package dev.ekubridge.benchmarks;

import dev.ekubridge.EkuPolicyTrustManager;
import dev.ekubridge.testsupport.pki.Ca;
import dev.ekubridge.testsupport.pki.KeyKind;
import dev.ekubridge.testsupport.pki.TestPki;
import dev.ekubridge.testsupport.tls.Jsse;
import dev.ekubridge.testsupport.tls.OneCheckTrustManager;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * The EKU decision alone: the inbound path of {@link EkuPolicyTrustManager} ({@code checkClientTrusted}) over a
 * delegate, against that delegate called directly ({@code BARE_DELEGATE}, with a dual-EKU client). The difference is
 * what the policy costs per handshake.
 *
 * <ul>
 * <li>{@code ACCEPT_ALL}: a delegate that accepts everything, called with an engine as SunJSSE calls it: the policy's
 * own work without path validation (reading the EKU, the rule, counting).</li>
 * <li>{@code SUNJSSE_PKIX}, {@code BCJSSE_PKIX}: the engines' own PKIX trust managers over the issuing CA, called
 * without an engine (an engine's trust manager wants a handshake session). There {@code LENIENT_RELAXED} is the whole
 * relaxed path: the wrapped manager validates the serverAuth-only client's clientAuth twin in the client direction.
 * Its cost over {@code BARE_DELEGATE} is what a relaxed handshake costs more than a dual-EKU one.</li>
 * </ul>
 */
public class EkuDecisionBenchmark extends NanosPerCallBenchmark {

    public enum Decision {
        /** The accept-everything delegate called directly: the baseline. */
        BARE_DELEGATE,
        STRICT,
        LENIENT,
        AUDIT,
        SERVER_AUTH,
        /**
         * Lenient with a serverAuth-only client certificate; the accept-everything delegate does not check its EKU,
         * so this is the decision alone (the engines' own managers, asked about the twin, are {@code SUNJSSE_PKIX} and
         * {@code BCJSSE_PKIX}).
         */
        LENIENT_RELAXED;

        /** The policy and client certificate: the bare delegate has no policy, every other decision is its namesake. */
        Inbound inbound() {
            return this == BARE_DELEGATE ? Inbound.NO_POLICY : Inbound.valueOf(name());
        }
    }

    @Param({"BARE_DELEGATE", "STRICT", "LENIENT", "AUDIT", "SERVER_AUTH", "LENIENT_RELAXED"})
    public Decision decision;

    /** What the policy wraps. */
    public enum Delegate {
        ACCEPT_ALL, SUNJSSE_PKIX, BCJSSE_PKIX
    }

    @Param({"ACCEPT_ALL", "SUNJSSE_PKIX", "BCJSSE_PKIX"})
    public Delegate delegate;

    private X509ExtendedTrustManager trustManager;
    private X509Certificate[] chain;
    private String authType;
    private SSLEngine engine;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        Ca ca = TestPki.root("EKU Decision CA", KeyKind.EC_P256);
        chain = Bench.leaf(ca, "peer.bench.example", decision.inbound().clientUsage).chain();
        authType = KeyKind.EC_P256.jcaAlgorithm();
        SSLContext context = SSLContext.getInstance("TLS", "SunJSSE");
        context.init(null, null, null);
        engine = context.createSSLEngine();
        X509ExtendedTrustManager wrapped;
        if (delegate == Delegate.ACCEPT_ALL) {
            AcceptingTrustManager accepting = new AcceptingTrustManager();
            wrapped = accepting;
            trustManager = decision.inbound().policy == null ? wrapped : EkuPolicyTrustManager.wrap(wrapped, decision.inbound().policy);
            trustManager.checkClientTrusted(chain, authType, engine);
            if (accepting.calls == 0) {
                throw new IllegalStateException(decision + " did not reach the delegate");
            }
            return;
        }
        engine = null;
        Jsse jsse = delegate == Delegate.SUNJSSE_PKIX ? Jsse.SUN : Jsse.BC;
        wrapped = jsse.trustManager("PKIX", TestPki.trustStore(ca.certificate()));
        trustManager = decision.inbound().policy == null ? wrapped : EkuPolicyTrustManager.wrap(wrapped, decision.inbound().policy);
        trustManager.checkClientTrusted(chain, authType, engine);
        if (decision == Decision.LENIENT_RELAXED) {
            try {
                wrapped.checkClientTrusted(chain, authType, engine);
                throw new IllegalStateException(delegate + " accepted a serverAuth-only client: the relaxed path would not be taken");
            } catch (CertificateException expected) {
                // the engine refuses the real leaf for its EKU; the policy asks it about the twin
            }
        }
    }

    @Benchmark
    public X509Certificate[] checkClientTrusted() throws CertificateException {
        trustManager.checkClientTrusted(chain, authType, engine);
        return chain;
    }

    /** Accepts every chain; counts calls so that the work cannot be dropped and set-up can see it was reached. */
    static final class AcceptingTrustManager extends OneCheckTrustManager {
        int calls;

        @Override
        protected void check(boolean client, X509Certificate[] chain, String authType, Via via, Socket socket, SSLEngine engine) {
            calls++;
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
