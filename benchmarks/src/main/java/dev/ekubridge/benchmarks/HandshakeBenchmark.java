package dev.ekubridge.benchmarks;

import dev.ekubridge.EkuBridge;
import dev.ekubridge.EkuPolicy;
import dev.ekubridge.testsupport.pki.Ca;
import dev.ekubridge.testsupport.pki.Issued;
import dev.ekubridge.testsupport.pki.KeyKind;
import dev.ekubridge.testsupport.pki.LeafEku;
import dev.ekubridge.testsupport.pki.TestPki;
import dev.ekubridge.testsupport.tls.HandshakeLoop;
import dev.ekubridge.testsupport.tls.Jsse;
import dev.ekubridge.testsupport.tls.OneCheckTrustManager;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Provider;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
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
 * A full mutual-TLS handshake in memory, the JDK's own managers against EKU Bridge in each inbound
 * mode. Everything but the managers is the same in every variant: one PKI per trial (root CA, a
 * serverAuth server certificate, a serverAuth+clientAuth client certificate, a serverAuth-only client
 * certificate for the relaxed path), the same JSSE engine, new engines for every handshake and no
 * session resumption. The EKU Bridge variants use EKU Bridge on both sides, as an application that
 * adopts it does.
 *
 * <p>run.sh runs the JDK_SUNX509 variant a second time with the agent attached
 * ({@code -jvmArgsAppend -javaagent:ekubridge-agent.jar=inbound.eku=lenient}): the agent then wraps
 * EKU Bridge's policy around the JDK trust manager in {@code SSLContext.init}, which the set-up
 * verifies before measuring.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 12, time = 1) // EC P-256 handshakes reach full speed after ~10 s of compilation
@Measurement(iterations = 8, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class HandshakeBenchmark {

    /** Whose key and trust managers both sides use, and which client certificate. */
    public enum Managers {
        /**
         * PKIX key manager and the default-algorithm (PKIX) trust manager over the same stores (PKCS12, the
         * JDK's default type); dual-EKU client. This key manager reads the private key from the store on
         * every handshake, which for PKCS12 means a PBKDF2 derivation (10,000 iterations): see JDK_SUNX509.
         */
        JDK,
        /**
         * The JDK's default key manager algorithm (SunX509, which decrypts keys once, at init) over the
         * same PKCS12 stores, and the same trust manager: the faster JDK baseline, so that a ratio is not
         * flattered by the PKIX key manager's per-handshake key decryption.
         */
        JDK_SUNX509,
        EKU_BRIDGE_STRICT,
        EKU_BRIDGE_LENIENT,
        /** Dual-EKU client, so the audit path (a log line per handshake) is not taken; its cost is the relaxed path's plus logging. */
        EKU_BRIDGE_AUDIT,
        EKU_BRIDGE_SERVER_AUTH,
        /** Lenient mode accepting a serverAuth-only client through the relaxed path (validated with the serverAuth rule). */
        EKU_BRIDGE_LENIENT_RELAXED;

        /** The JDK's managers have no policy; each EKU Bridge variant is the inbound case its name ends with. */
        Inbound inbound() {
            return name().startsWith("JDK") ? Inbound.NO_POLICY : Inbound.valueOf(name().substring("EKU_BRIDGE_".length()));
        }
    }

    @Param({"EC_P256", "RSA_2048"})
    public KeyKind keyKind;

    @Param({"TLSv1.2", "TLSv1.3"})
    public String protocol;

    @Param({"JDK", "JDK_SUNX509", "EKU_BRIDGE_STRICT", "EKU_BRIDGE_LENIENT", "EKU_BRIDGE_AUDIT", "EKU_BRIDGE_SERVER_AUTH",
        "EKU_BRIDGE_LENIENT_RELAXED"})
    public Managers managers;

    /** The JSSE engine; SunJSSE unless asked for BCJSSE on the command line ({@code -p jsse=BCJSSE}). */
    @Param({"SunJSSE"})
    public String jsse;

    private SSLContext clientContext;
    private SSLContext serverContext;
    private HandshakeLoop handshake;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        long start = System.nanoTime();
        Ca root = TestPki.root("Handshake Root " + keyKind, keyKind);
        Issued server = Bench.leaf(root, "server.bench.example", LeafEku.SERVER_AUTH);
        Inbound inbound = managers.inbound();
        Issued client = Bench.leaf(root, "client.bench.example", inbound.clientUsage);
        KeyStore trustStore = TestPki.trustStore(root.certificate());
        Provider provider = Jsse.named(jsse).provider();

        Sides sides = inbound.policy == null ? jdk(server, client, trustStore, managers == Managers.JDK ? "PKIX" : "SunX509")
            : ekuBridge(server, client, trustStore);
        clientContext = context(provider, sides.clientKeyManagers, sides.clientTrustManager);
        serverContext = context(provider, sides.serverKeyManagers, sides.serverTrustManager);
        handshake = new HandshakeLoop(protocol);

        verify(provider, sides, client.certificate());
        String agent = agentArguments();
        if (agent != null && inbound.policy == null) {
            agent += verifyAgentRetrofit(root, server, trustStore, provider, agent);
        }
        System.out.printf("[setup] %s %s %s %s%s: PKI, contexts and verification in %d ms%n", keyKind, protocol, managers, jsse,
            agent == null ? "" : ", agent " + agent, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    }

    @Benchmark
    public SSLSession handshake() throws SSLException {
        return handshake.run(clientContext, serverContext);
    }

    /** The managers of the two sides of one variant. */
    private static final class Sides {
        final KeyManager[] serverKeyManagers;
        final X509ExtendedTrustManager serverTrustManager;
        final KeyManager[] clientKeyManagers;
        final X509ExtendedTrustManager clientTrustManager;

        Sides(KeyManager[] serverKeyManagers, X509ExtendedTrustManager serverTrustManager, KeyManager[] clientKeyManagers,
                X509ExtendedTrustManager clientTrustManager) {
            this.serverKeyManagers = serverKeyManagers;
            this.serverTrustManager = serverTrustManager;
            this.clientKeyManagers = clientKeyManagers;
            this.clientTrustManager = clientTrustManager;
        }
    }

    private static Sides jdk(Issued server, Issued client, KeyStore trustStore, String keyManagerAlgorithm)
            throws GeneralSecurityException {
        return new Sides(jdkKeyManagers(keyManagerAlgorithm, server, "server"), defaultTrustManager(trustStore),
            jdkKeyManagers(keyManagerAlgorithm, client, "client"), defaultTrustManager(trustStore));
    }

    private Sides ekuBridge(Issued server, Issued client, KeyStore trustStore) {
        // The server side only accepts connections: its client role is never used. Saying so explicitly
        // (client.identity=server) keeps the build from logging the upgrade-default warning.
        EkuBridge serverSide = EkuBridge.builder()
            .serverIdentity(Bench.identity(server, "server"))
            .clientUsesServerIdentity()
            .trustStore(trustStore)
            .inboundEku(managers.inbound().policy)
            .build();
        EkuBridge.Builder clientBuilder = EkuBridge.builder().trustStore(trustStore).inboundEku(managers.inbound().policy);
        if (managers.inbound().clientUsage == LeafEku.BOTH) {
            clientBuilder.clientIdentity(Bench.identity(client, "client"));
        } else {
            // a serverAuth-only certificate presented as the client certificate: the operator's choice
            clientBuilder.serverIdentity(Bench.identity(client, "client")).clientUsesServerIdentity();
        }
        EkuBridge clientSide = clientBuilder.build();
        return new Sides(new KeyManager[] {serverSide.keyManager()}, serverSide.trustManager(),
            new KeyManager[] {clientSide.keyManager()}, clientSide.trustManager());
    }

    private static KeyManager[] jdkKeyManagers(String algorithm, Issued leaf, String alias) throws GeneralSecurityException {
        KeyStore store = Bench.keyStore("PKCS12", new String[] {alias}, new Issued[] {leaf});
        KeyManagerFactory factory = KeyManagerFactory.getInstance(algorithm);
        factory.init(store, Bench.PASSWORD);
        return factory.getKeyManagers();
    }

    private static X509ExtendedTrustManager defaultTrustManager(KeyStore trustStore) throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trustStore);
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509ExtendedTrustManager) {
                return (X509ExtendedTrustManager) manager;
            }
        }
        throw new IllegalStateException("no X509ExtendedTrustManager from " + factory.getAlgorithm());
    }

    private static SSLContext context(Provider provider, KeyManager[] keyManagers, X509ExtendedTrustManager trustManager)
            throws GeneralSecurityException {
        SSLContext context = SSLContext.getInstance("TLS", provider);
        context.init(keyManagers, new TrustManager[] {trustManager}, null);
        // No resumption: engines have no peer host, so there is nothing to look up; a cache of one
        // session keeps the contexts from accumulating sessions during a trial all the same.
        context.getClientSessionContext().setSessionCacheSize(1);
        context.getServerSessionContext().setSessionCacheSize(1);
        return context;
    }

    /**
     * Before measuring: the benchmark's own contexts complete handshakes with the expected client
     * certificate, and the same managers behind counting trust managers prove that every handshake
     * is a full one (a resumed handshake validates no certificate, so the counts would fall behind).
     */
    private void verify(Provider provider, Sides sides, X509Certificate expectedClient) throws Exception {
        Set<String> serverSessions = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            SSLSession session = handshake.run(clientContext, serverContext);
            if (!protocol.equals(session.getProtocol())) {
                throw new IllegalStateException("negotiated " + session.getProtocol() + ", not " + protocol);
            }
            X509Certificate peer = (X509Certificate) session.getPeerCertificates()[0];
            if (!peer.equals(expectedClient)) {
                throw new IllegalStateException("the server saw " + peer.getSubjectX500Principal() + ", not the " + managers
                    + " client certificate");
            }
            serverSessions.add(HexFormat.of().formatHex(session.getId()));
        }
        if (serverSessions.size() != 3) {
            throw new IllegalStateException("a session ID repeated across three handshakes: a session was resumed");
        }

        CountingTrustManager serverCounter = new CountingTrustManager(sides.serverTrustManager);
        CountingTrustManager clientCounter = new CountingTrustManager(sides.clientTrustManager);
        SSLContext countingClient = context(provider, sides.clientKeyManagers, clientCounter);
        SSLContext countingServer = context(provider, sides.serverKeyManagers, serverCounter);
        int handshakes = 5;
        for (int i = 0; i < handshakes; i++) {
            handshake.run(countingClient, countingServer);
        }
        if (serverCounter.clientChecks.get() != handshakes || clientCounter.serverChecks.get() != handshakes) {
            throw new IllegalStateException("of " + handshakes + " handshakes the server validated " + serverCounter.clientChecks
                + " client certificates and the client " + clientCounter.serverChecks + " server certificates: sessions were resumed");
        }
    }

    /**
     * The arguments of the EKU Bridge agent this JVM runs with ({@code -javaagent:...ekubridge-agent...jar=ARGS},
     * as run.sh's with-agent handshake run passes it), "" when it has none, null without the agent.
     */
    static String agentArguments() {
        for (String argument : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (argument.startsWith("-javaagent:") && argument.contains("ekubridge-agent")) {
                int jar = argument.indexOf(".jar");
                int equals = argument.indexOf('=', jar < 0 ? 0 : jar);
                return equals < 0 ? "" : argument.substring(equals + 1);
            }
        }
        return null;
    }

    /**
     * Under the agent, the JDK variants are measured with the managers the agent puts into
     * {@code SSLContext.init}: the JDK key manager (the agent has no identities) and EKU Bridge's policy
     * wrapped around the JDK trust manager. Proves that the wrapping happened with the same JDK managers
     * and a serverAuth-only client, which the JDK refuses on its own and the agent's inbound mode decides:
     * accepted in lenient, audit and server-auth mode, refused in strict mode. Returns a note for the log.
     */
    private String verifyAgentRetrofit(Ca root, Issued server, KeyStore trustStore, Provider provider, String agent)
            throws Exception {
        String mode = null;
        for (String setting : agent.split(",")) {
            if (setting.trim().startsWith("inbound.eku=")) {
                mode = setting.trim().substring("inbound.eku=".length());
            }
        }
        if (mode == null) {
            return " (no inbound.eku in the agent arguments: retrofit not verified)";
        }
        boolean expectAccepted = !EkuPolicy.fromConfigValue(mode).equals(EkuPolicy.STRICT);
        Issued relaxedClient = Bench.leaf(root, "relaxed-client.bench.example", LeafEku.SERVER_AUTH);
        Sides sides = jdk(server, relaxedClient, trustStore, managers == Managers.JDK ? "PKIX" : "SunX509");
        SSLContext client = context(provider, sides.clientKeyManagers, sides.clientTrustManager);
        SSLContext serverSide = context(provider, sides.serverKeyManagers, sides.serverTrustManager);
        boolean accepted;
        try {
            X509Certificate peer = (X509Certificate) handshake.run(client, serverSide).getPeerCertificates()[0];
            accepted = peer.equals(relaxedClient.certificate());
        } catch (SSLException refused) {
            accepted = false;
        }
        if (accepted != expectAccepted) {
            throw new IllegalStateException("with the agent (" + agent + ") the JDK managers " + (accepted ? "accepted" : "refused")
                + " a serverAuth-only client: the agent did not retrofit SSLContext.init");
        }
        return " (retrofit verified: serverAuth-only client " + (accepted ? "accepted" : "refused") + ")";
    }

    /** Counts validations and passes everything to the trust manager it wraps; used only to verify the set-up. */
    private static final class CountingTrustManager extends OneCheckTrustManager {
        final X509ExtendedTrustManager delegate;
        final AtomicInteger clientChecks = new AtomicInteger();
        final AtomicInteger serverChecks = new AtomicInteger();

        CountingTrustManager(X509ExtendedTrustManager delegate) {
            this.delegate = delegate;
        }

        @Override
        protected void check(boolean client, X509Certificate[] chain, String authType, Via via, Socket socket, SSLEngine engine)
                throws CertificateException {
            (client ? clientChecks : serverChecks).incrementAndGet();
            ask(delegate, client, chain, authType, via, socket, engine);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return delegate.getAcceptedIssuers();
        }
    }
}
