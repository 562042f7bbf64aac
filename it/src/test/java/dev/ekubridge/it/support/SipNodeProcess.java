package dev.ekubridge.it.support;

import dev.ekubridge.it.sip.SipNode;
import dev.ekubridge.testsupport.process.ManagedProcess;
import dev.ekubridge.testsupport.process.Processes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A running {@link SipNode} JVM: the unmodified JAIN-SIP application, configured only through
 * {@code javax.net.ssl.*} and {@code gov.nist.javax.sip.*} properties, with or without the agent.
 */
public final class SipNodeProcess {
    /** EC and RSA suites of TLS 1.3 and 1.2 (JAIN-SIP's own default list is RSA-only and stops at TLS 1.2). */
    public static final String CIPHER_SUITES = String.join(",",
        "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
        "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
        "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384");
    public static final Duration START_TIMEOUT = Duration.ofSeconds(40);

    private final String name;
    private final Variant variant;
    private final int tlsPort;
    private final int udpPort;
    private final int tunnelPort;
    private final ManagedProcess process;
    private int commands;

    private SipNodeProcess(String name, Variant variant, int tlsPort, int udpPort, int tunnelPort, ManagedProcess process) {
        this.tunnelPort = tunnelPort;
        this.name = name;
        this.variant = variant;
        this.tlsPort = tlsPort;
        this.udpPort = udpPort;
        this.process = process;
    }

    /** What the application itself is configured with: one key store (both roles) and one trust store. */
    public record AppTls(Path keyStore, Path trustStore) {
    }

    /**
     * The agent's arguments for a node: its server store; {@code client} null means
     * {@code client.identity=server} (the operator's explicit choice to present the server certificate as
     * client certificate), otherwise its own client store.
     */
    public static Map<String, String> agent(Pki.Leaf server, Pki.Leaf client, String inboundEku) {
        Map<String, String> args = new LinkedHashMap<>();
        args.put("server.keystore", server.p12().toString());
        args.put("server.password", Pki.PASSWORD);
        if (client == null) {
            args.put("client.identity", "server");
        } else {
            args.put("client.keystore", client.p12().toString());
            args.put("client.password", Pki.PASSWORD);
        }
        args.put("inbound.eku", inboundEku);
        return args;
    }

    /**
     * Starts a node (not waiting for it: see {@link #awaitReady()}). {@code agent} null runs it without
     * the agent; otherwise {@code log.handshakes=true} is added.
     */
    public static SipNodeProcess start(Processes processes, Path workDir, String name, Variant variant, AppTls tls,
            Map<String, String> agent, boolean udp) {
        return start(processes, workDir, name, variant, tls, agent, Ports.free(), udp ? Ports.free() : -1, -1);
    }

    /**
     * A node on ports the caller chose (so that the agent's configuration can name them), with the tunnel service
     * ({@link dev.ekubridge.it.sip.TlsTunnelService}) on {@code tunnelPort} in the same JVM: see {@link #tunnel()}.
     */
    public static SipNodeProcess startWithTunnel(Processes processes, Path workDir, String name, Variant variant, AppTls tls,
            Map<String, String> agent, int tlsPort, int tunnelPort) {
        return start(processes, workDir, name, variant, tls, agent, tlsPort, -1, tunnelPort);
    }

    private static SipNodeProcess start(Processes processes, Path workDir, String name, Variant variant, AppTls tls,
            Map<String, String> agent, int tlsPort, int udpPort, int tunnelPort) {
        boolean udp = udpPort > 0;
        JavaApp app = JavaApp.of(name, variant, SipNode.class)
            .args("--name", name, "--tls-port", String.valueOf(tlsPort))
            .defaultStores(tls.keyStore(), tls.trustStore())
            .agentLoggingHandshakes(agent)
            .property("gov.nist.javax.sip.TLS_CLIENT_AUTH_TYPE", "Enabled")
            .property("gov.nist.javax.sip.ENABLED_CIPHER_SUITES", CIPHER_SUITES)
            .property("gov.nist.javax.sip.TLS_CLIENT_PROTOCOLS", variant.protocols);
        if (udp) {
            app.args("--udp-port", String.valueOf(udpPort));
        }
        if (tunnelPort > 0) {
            app.args("--tunnel-port", String.valueOf(tunnelPort));
        }
        return new SipNodeProcess(name, variant, tlsPort, udpPort, tunnelPort, app.start(processes, workDir));
    }

    public SipNodeProcess awaitReady() {
        Optional<String> ready = process.awaitOut(0, l -> l.startsWith("READY") || l.startsWith("START_FAILED"), START_TIMEOUT);
        if (ready.isEmpty() || !ready.get().startsWith("READY")) {
            throw new AssertionError(name + " did not start\n" + process.transcript());
        }
        String jsse = new Fields(ready.get()).get("jsse");
        if (!variant.engine.providerName().equals(jsse)) {
            throw new AssertionError(name + " runs TLS engine " + jsse + ", expected " + variant.engine.providerName() + "\n" + process.transcript());
        }
        return this;
    }

    public String name() {
        return name;
    }

    public Variant variant() {
        return variant;
    }

    public int tlsPort() {
        return tlsPort;
    }

    public int udpPort() {
        return udpPort;
    }

    /** The tunnel service this node runs beside its SIP listener ({@link #startWithTunnel}). */
    public TunnelProcess tunnel() {
        if (tunnelPort <= 0) {
            throw new IllegalStateException(name + " runs no tunnel");
        }
        return TunnelProcess.within(process, tunnelPort);
    }

    public ManagedProcess process() {
        return process;
    }

    /** {@code sip:USER@127.0.0.1:PORT;transport=tls} of this node. */
    public String tlsUri(String user) {
        return "sip:" + user + "@127.0.0.1:" + tlsPort + ";transport=tls";
    }

    /** The outcome of one {@code SEND}. */
    public record Sent(String kind, int status, Fields fields, String text) {
        public boolean ok() {
            return "RESPONSE".equals(kind) && status == 200;
        }

        public String serverSerial() {
            return fields.get("server-serial");
        }

        public String clientSerial() {
            return fields.get("client-serial");
        }

        public String callId() {
            return fields.get("call-id");
        }
    }

    /** Sends a request and waits for its one outcome line. */
    public Sent send(String method, String uri, Duration responseTimeout) {
        return send(method, uri, responseTimeout, null);
    }

    /** Sends a request through the proxy named by the loose route {@code route} (null: directly). */
    public Sent send(String method, String uri, Duration responseTimeout, String route) {
        int id = ++commands;
        int from = process.outSize();
        process.send("SEND " + method + " " + uri + " " + responseTimeout.toMillis() + (route == null ? "" : " " + route));
        String tag = " id=" + id + " ";
        Optional<String> line = process.awaitOut(from, l -> (l.startsWith("RESPONSE") || l.startsWith("TLS_FAILURE") || l.startsWith("SEND_FAILED"))
            && (l + " ").contains(tag), responseTimeout.plusSeconds(20));
        if (line.isEmpty()) {
            throw new AssertionError(name + ": no outcome for SEND " + method + " " + uri + "\n" + process.transcript());
        }
        String text = line.get();
        String kind = text.split(" ")[0];
        int status = -1;
        if (kind.equals("RESPONSE")) {
            status = Integer.parseInt(text.split(" ")[1]);
        }
        return new Sent(kind, status, new Fields(text), text);
    }

    /** The outcome of one {@code PROBE}: the node's default {@code SSLSocketFactory} dialling a TLS service. */
    public record Probed(boolean ok, Fields fields, String text) {
        public String serverSerial() {
            return fields.get("server-serial");
        }

        public String clientSerial() {
            return fields.get("client-serial");
        }
    }

    public Probed probe(int port, Duration timeout) {
        int id = ++commands;
        int from = process.outSize();
        process.send("PROBE 127.0.0.1 " + port + " " + timeout.toMillis());
        String tag = " id=" + id + " ";
        Optional<String> line = process.awaitOut(from, l -> l.startsWith("PROBE_") && (l + " ").contains(tag), timeout.plusSeconds(20));
        if (line.isEmpty()) {
            throw new AssertionError(name + ": no outcome for PROBE " + port + "\n" + process.transcript());
        }
        return new Probed(line.get().startsWith("PROBE_OK"), new Fields(line.get()), line.get());
    }

    /** The {@code REQUEST} line this node printed for a request with this Call-ID. */
    public Optional<Fields> awaitRequest(String callId, Duration timeout) {
        return process.awaitOut(0, l -> l.startsWith("REQUEST ") && l.contains(" call-id=" + callId + " "), timeout).map(Fields::new);
    }

    /** The first request line that matches. */
    public Optional<Fields> awaitRequest(Predicate<String> match, Duration timeout) {
        return process.awaitOut(0, l -> l.startsWith("REQUEST ") && match.test(l), timeout).map(Fields::new);
    }

    /** The agent's first inbound or outbound decision about the peer certificate with this serial. */
    public Optional<AgentLog.Decision> awaitDecision(String direction, String serial, Duration timeout) {
        return AgentLog.awaitDecision(process, direction, serial, timeout);
    }

    public List<AgentLog.Decision> decisions() {
        return AgentLog.decisions(process.err());
    }

    public List<AgentLog.Presented> presentations() {
        return AgentLog.presentations(process.err());
    }

    /** The agent's {@code installed:} line. */
    public Optional<String> installedLine() {
        return process.err().stream().filter(l -> l.contains("ekubridge.agent - installed:")).findFirst();
    }

    public String transcript() {
        return process.transcript();
    }

    @Override
    public String toString() {
        return name + " [" + variant + "] tls " + tlsPort;
    }
}
