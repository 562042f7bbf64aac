package dev.ekubridge.agent.cli;

import dev.ekubridge.EkuPolicy;
import dev.ekubridge.EkuPolicyTrustManager;
import dev.ekubridge.Identity;
import dev.ekubridge.Role;
import java.io.IOException;
import java.security.GeneralSecurityException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLException;

/**
 * {@code bench --config FILE}: the operator's own identities and trust in an in-memory mutual-TLS handshake
 * loop ({@link EngineLoop}: two {@link SSLEngine}s, no sockets), EKU Bridge's managers against the JDK's own
 * (SunX509 key manager, PKIX trust manager) on the same certificates and trust anchors, alternated in short
 * blocks in this one JVM, so that both meet the same JIT state, machine load and thermal state.
 *
 * <p>The result: handshakes per second of each, and the ratio EKU Bridge / JDK as the median of the per-round
 * ratios (a round is one block of each, the order alternating) with their interquartile range. The path
 * measured: {@code normal} (the client presents an identity with clientAuth) or {@code relaxed} (it lacks
 * clientAuth and the inbound mode is not strict). On the relaxed path the JDK's PKIX trust manager refuses the
 * client for its EKU after validating its chain; its side is then timed with that one refusal caught and
 * ignored, the least any relaxation can cost, since the JDK alone cannot complete such a handshake.
 */
final class Bench extends Main.Command {
    static final int DEFAULT_SECONDS = 20;

    Bench() {
        super("bench",
            "usage: " + Main.JAR + " bench --config FILE [key=value ...] [--seconds N] [--json]\n"
            + "       " + Main.JAR + " bench key=value [key=value ...] [--seconds N] [--json]",
            help("Measures full mutual-TLS handshakes in memory (two SSLEngines, no sockets) with the configuration's own\n"
                + "server identity, client identity and trust on both sides: EKU Bridge's managers (RoleAwareKeyManager,\n"
                + "EkuPolicyTrustManager in the configured inbound mode) against the JDK's (SunX509 key manager, PKIX trust\n"
                + "manager) on the same certificates, alternated in blocks of " + BenchLoop.BLOCK + " handshakes in this JVM. Prints handshakes\n"
                + "per second of each and the ratio EKU Bridge / JDK (median of the per-round ratios, with their interquartile\n"
                + "range), and which path was measured: normal (the client identity has clientAuth) or relaxed (it lacks\n"
                + "clientAuth, inbound mode not strict; the JDK's side then ignores its own EKU refusal). The first quarter of\n"
                + "the time is warm-up and not counted. Progress goes to standard error.\n",
                Options.CONFIG_HELP
                + "  --seconds N     how long to measure (default " + DEFAULT_SECONDS + ", 1 to 3600)\n"
                + Options.JSON_HELP,
                "0 measured, 1 a handshake failed (e.g. our own trust refuses our own certificates, or the\n"
                + "client identity lacks clientAuth in strict mode), 2 invalid configuration or no server identity, 64 usage error"),
            new Options.Spec().configuration().option("--seconds", "N").flag("--json"));
    }

    @Override
    int run(Options options, Io io) throws Options.UsageException, Configuration.Invalid {
        options.requireConfiguration();
        int seconds = options.value("--seconds") == null ? DEFAULT_SECONDS
            : Options.integer(options.value("--seconds"), "--seconds", 1, 3600);
        // Audit lines (inbound.eku=audit, relaxed path) would be one per handshake: the bench measures without them.
        quietHandshakeLogs();
        Configuration loaded = Configuration.load(options.configuration());
        Identity server = loaded.presented(Role.SERVER);
        Identity client = loaded.presented(Role.CLIENT);
        if (server == null || client == null) {
            return io.fail(Main.INVALID, "bench needs a server identity (server.keystore, or server.cert and server.key): the handshake"
                + " loop plays both sides with the configuration's own identities");
        }
        EkuPolicy mode = loaded.bridge.trustManager().policy();
        boolean relaxed = relaxed(client);
        if (relaxed && (mode == EkuPolicy.STRICT || !client.permits(Role.SERVER))) {
            return io.fail(Main.FOUND, "cannot bench: the client identity " + Diagnosis.name(client.certificate()) + " lacks clientAuth and"
                + " inbound.eku=" + mode.configValue() + " refuses it, so no handshake completes (doctor explains which links break)");
        }
        BenchSides sides;
        try {
            sides = BenchSides.of(loaded, server, client, relaxed);
        } catch (GeneralSecurityException | IOException | RuntimeException e) {
            return io.fail(Main.FOUND, "cannot set up the handshake loop: " + e);
        }
        EngineLoop loop = new EngineLoop();
        SSLSession session;
        try {
            session = sides.verify(loop, server, client);
        } catch (SSLException | IllegalStateException e) {
            return io.fail(Main.FOUND, "cannot bench: " + e.getMessage() + " (bench uses the configuration's trust on both sides:"
                + " it must accept our own server and client certificates)");
        }
        BenchMeasurement measurement;
        try {
            measurement = BenchLoop.measure(loop, sides, seconds, io);
        } catch (SSLException e) {
            return io.fail(Main.FOUND, "a handshake failed while measuring: " + e.getMessage());
        }
        BenchReport report = new BenchReport(loaded, session, seconds, measurement);
        if (io.json) {
            return io.document(report.json(), Main.OK);
        }
        report.print(io.out);
        io.out.flush();
        return Main.OK;
    }

    /** The relaxed path: the client identity lacks clientAuth, so only a relaxed inbound mode lets it through. */
    static boolean relaxed(Identity client) {
        return !client.permits(Role.CLIENT);
    }

    private static void quietHandshakeLogs() {
        // the agent's relocated slf4j-simple reads the same names, rewritten by the shading (as AgentLog's)
        for (String logger : new String[] {"ekubridge.audit", "ekubridge.handshakes"}) {
            String property = "org.slf4j.simpleLogger.log." + logger;
            if (System.getProperty(property) == null) {
                System.setProperty(property, "off");
            }
        }
    }
}
