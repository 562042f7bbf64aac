package dev.ekubridge.it.support;

import dev.ekubridge.it.sip.TlsTunnelService;
import dev.ekubridge.testsupport.process.ManagedProcess;
import dev.ekubridge.testsupport.process.Processes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The source document's SSH tunnel on 2222: a {@link TlsTunnelService} JVM on the Edge's side, with the
 * Edge's certificates, that always requires a client certificate (clientAuth), whatever the SIP
 * service's EKU checking mode is.
 */
public final class TunnelProcess {
    private final ManagedProcess process;
    private final int port;

    private TunnelProcess(ManagedProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    /** {@code agent} null: the service alone; otherwise the agent with these arguments and {@code log.handshakes=true}. */
    public static TunnelProcess start(Processes processes, Path workDir, String name, Variant variant, SipNodeProcess.AppTls tls,
            Map<String, String> agent) {
        int port = Ports.free();
        JavaApp app = JavaApp.of(name, variant, TlsTunnelService.class)
            .args("--port", String.valueOf(port))
            .defaultStores(tls.keyStore(), tls.trustStore())
            .agentLoggingHandshakes(agent);
        return new TunnelProcess(app.start(processes, workDir), port);
    }

    /** The tunnel service running inside another JVM's process (a SIP node's, {@code --tunnel-port}). */
    static TunnelProcess within(ManagedProcess process, int port) {
        return new TunnelProcess(process, port);
    }

    public TunnelProcess awaitReady() {
        Optional<String> ready = process.awaitOut(0, l -> l.startsWith("READY") || l.startsWith("START_FAILED"), SipNodeProcess.START_TIMEOUT);
        if (ready.isEmpty() || !ready.get().startsWith("READY")) {
            throw new AssertionError(process.name() + " did not start\n" + process.transcript());
        }
        return this;
    }

    public int port() {
        return port;
    }

    public ManagedProcess process() {
        return process;
    }

    public int mark() {
        return process.outSize();
    }

    /** The first {@code HANDSHAKE_OK} or {@code HANDSHAKE_FAILED} line printed at or after {@code from}. */
    public Optional<String> awaitHandshake(int from, Duration timeout) {
        return process.awaitOut(from, l -> l.startsWith("HANDSHAKE_"), timeout);
    }
}
