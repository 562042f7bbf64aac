package dev.ekubridge.benchmarks;

import dev.ekubridge.EkuPolicy;
import dev.ekubridge.EkuPolicyTrustManager;
import dev.ekubridge.testsupport.pki.Ca;
import dev.ekubridge.testsupport.pki.KeyKind;
import dev.ekubridge.testsupport.pki.LeafEku;
import dev.ekubridge.testsupport.pki.TestPki;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The EKU decision alone: the inbound path of {@link EkuPolicyTrustManager} ({@code checkClientTrusted}
 * with an engine, as SunJSSE calls it) over a delegate that accepts everything, against that delegate
 * called directly. The difference is what the policy costs per handshake, without path validation.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class EkuDecisionBenchmark {

    public enum Decision {
        /** The accept-everything delegate called directly: the baseline. */
        BARE_DELEGATE(null, LeafEku.BOTH),
        STRICT(EkuPolicy.STRICT, LeafEku.BOTH),
        LENIENT(EkuPolicy.LENIENT, LeafEku.BOTH),
        AUDIT(EkuPolicy.AUDIT, LeafEku.BOTH),
        SERVER_AUTH(EkuPolicy.SERVER_AUTH, LeafEku.BOTH),
        /**
         * Lenient with a serverAuth-only client certificate; the accept-everything delegate does not refuse it for
         * its EKU, so this is the decision alone (the refusal that a real engine throws is in the handshake benchmark).
         */
        LENIENT_RELAXED(EkuPolicy.LENIENT, LeafEku.SERVER_AUTH);

        final EkuPolicy policy;
        final LeafEku usage;

        Decision(EkuPolicy policy, LeafEku usage) {
            this.policy = policy;
            this.usage = usage;
        }
    }

    @Param({"BARE_DELEGATE", "STRICT", "LENIENT", "AUDIT", "SERVER_AUTH", "LENIENT_RELAXED"})
    public Decision decision;

    private X509ExtendedTrustManager trustManager;
    private X509Certificate[] chain;
    private String authType;
    private SSLEngine engine;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        Ca ca = TestPki.root("EKU Decision CA", KeyKind.EC_P256);
        chain = Bench.leaf(ca, "peer.bench.example", decision.usage).chain();
        authType = KeyKind.EC_P256.jcaAlgorithm();
        SSLContext context = SSLContext.getInstance("TLS", "SunJSSE");
        context.init(null, null, null);
        engine = context.createSSLEngine();
        AcceptingTrustManager delegate = new AcceptingTrustManager();
        trustManager = decision.policy == null ? delegate : EkuPolicyTrustManager.wrap(delegate, decision.policy);
        trustManager.checkClientTrusted(chain, authType, engine);
        if (delegate.calls == 0) {
            throw new IllegalStateException(decision + " did not reach the delegate");
        }
    }

    @Benchmark
    public X509Certificate[] checkClientTrusted() throws CertificateException {
        trustManager.checkClientTrusted(chain, authType, engine);
        return chain;
    }

    /** Accepts every chain; counts calls so that the work cannot be dropped and set-up can see it was reached. */
    static final class AcceptingTrustManager extends X509ExtendedTrustManager {
        int calls;

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
            calls++;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
            calls++;
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            calls++;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            calls++;
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            calls++;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            calls++;
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
