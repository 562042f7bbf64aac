package dev.ekubridge.agent.cli;

import dev.ekubridge.EkuPolicy;
import dev.ekubridge.EkuPolicyTrustManager;
import dev.ekubridge.Identity;
import dev.ekubridge.Role;
import java.io.IOException;
import java.io.PrintStream;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

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
final class Bench implements Main.Command {
    static final int DEFAULT_SECONDS = 20;
    /** Handshakes of one side before the other side's turn. */
    static final int BLOCK = 15;
    private static final long TERMINAL_PROGRESS_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    private static final long LOG_PROGRESS_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final String EKU_REFUSAL = "Extended key usage does not permit use for TLS client authentication";

    @Override
    public String name() {
        return "bench";
    }

    @Override
    public String synopsis() {
        return "usage: " + Main.JAR + " bench --config FILE [key=value ...] [--seconds N] [--json]\n"
            + "       " + Main.JAR + " bench key=value [key=value ...] [--seconds N] [--json]";
    }

    @Override
    public String help() {
        return "Measures full mutual-TLS handshakes in memory (two SSLEngines, no sockets) with the configuration's own\n"
            + "server identity, client identity and trust on both sides: EKU Bridge's managers (RoleAwareKeyManager,\n"
            + "EkuPolicyTrustManager in the configured inbound mode) against the JDK's (SunX509 key manager, PKIX trust\n"
            + "manager) on the same certificates, alternated in blocks of " + BLOCK + " handshakes in this JVM. Prints handshakes\n"
            + "per second of each and the ratio EKU Bridge / JDK (median of the per-round ratios, with their interquartile\n"
            + "range), and which path was measured: normal (the client identity has clientAuth) or relaxed (it lacks\n"
            + "clientAuth, inbound mode not strict; the JDK's side then ignores its own EKU refusal). The first quarter of\n"
            + "the time is warm-up and not counted. Progress goes to standard error.\n"
            + "\n"
            + "options:\n"
            + "  --config FILE   the properties file (the agent's config=FILE); key=value arguments win over it\n"
            + "  --seconds N     how long to measure (default " + DEFAULT_SECONDS + ", 1 to 3600)\n"
            + "  --json          one JSON document on standard output\n"
            + "\n"
            + "exit status: 0 measured, 1 a handshake failed (e.g. our own trust refuses our own certificates, or the\n"
            + "client identity lacks clientAuth in strict mode), 2 invalid configuration or no server identity, 64 usage error\n";
    }

    @Override
    public Options.Spec spec() {
        return new Options.Spec().configuration().option("--seconds", "N").flag("--json");
    }

    @Override
    public int run(Options options, Io io) throws Options.UsageException {
        if (!options.hasConfiguration()) {
            throw new Options.UsageException("give --config FILE or key=value pairs");
        }
        int seconds = options.value("--seconds") == null ? DEFAULT_SECONDS
            : Options.integer(options.value("--seconds"), "--seconds", 1, 3600);
        // Audit lines (inbound.eku=audit, relaxed path) would be one per handshake: the bench measures without them.
        quietHandshakeLogs();
        Configuration loaded;
        try {
            loaded = Configuration.load(options.configuration());
        } catch (Configuration.Invalid e) {
            return io.fail(Main.INVALID, e.getMessage());
        }
        Identity server = loaded.presented(Role.SERVER);
        Identity client = loaded.presented(Role.CLIENT);
        if (server == null || client == null) {
            return io.fail(Main.INVALID, "bench needs a server identity (server.keystore, or server.cert and server.key): the handshake"
                + " loop plays both sides with the configuration's own identities");
        }
        EkuPolicy mode = loaded.bridge.trustManager().policy();
        boolean relaxed = !client.permits(Role.CLIENT);
        if (relaxed && (mode == EkuPolicy.STRICT || !client.permits(Role.SERVER))) {
            return io.fail(Main.FOUND, "cannot bench: the client identity " + Diagnosis.name(client.certificate()) + " lacks clientAuth and"
                + " inbound.eku=" + mode.configValue() + " refuses it, so no handshake completes (doctor explains which links break)");
        }
        Sides sides;
        try {
            sides = sides(loaded, server, client, relaxed);
        } catch (GeneralSecurityException | IOException | RuntimeException e) {
            return io.fail(Main.FOUND, "cannot set up the handshake loop: " + e);
        }
        EngineLoop loop = new EngineLoop();
        String protocol;
        String cipherSuite;
        try {
            verify(loop, sides.ekuClient, sides.ekuServer, server, client, "EKU Bridge's");
            SSLEngine[] engines = verify(loop, sides.jdkClient, sides.jdkServer, server, client, "the JDK's");
            protocol = engines[0].getSession().getProtocol();
            cipherSuite = engines[0].getSession().getCipherSuite();
        } catch (SSLException | IllegalStateException e) {
            return io.fail(Main.FOUND, "cannot bench: " + e.getMessage() + " (bench uses the configuration's trust on both sides:"
                + " it must accept our own server and client certificates)");
        }
        Measurement measurement;
        try {
            measurement = measure(loop, sides, seconds, io);
        } catch (SSLException e) {
            return io.fail(Main.FOUND, "a handshake failed while measuring: " + e.getMessage());
        }
        String path = relaxed ? "relaxed" : "normal";
        if (io.json) {
            return io.document(json(loaded, server, client, mode, path, protocol, cipherSuite, seconds, measurement), Main.OK);
        }
        print(io.out, loaded, server, client, mode, path, protocol, cipherSuite, seconds, measurement);
        io.out.flush();
        return Main.OK;
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

    /** The four contexts: EKU Bridge's client and server, the JDK's client and server. */
    private static final class Sides {
        SSLContext ekuClient;
        SSLContext ekuServer;
        SSLContext jdkClient;
        SSLContext jdkServer;
        String jdkTrust;
    }

    private static Sides sides(Configuration loaded, Identity server, Identity client, boolean relaxed)
            throws GeneralSecurityException, IOException {
        Sides sides = new Sides();
        EkuPolicyTrustManager policy = loaded.bridge.trustManager();
        // the configured managers, without the per-handshake decision log (log.handshakes) that would flood the terminal
        EkuPolicyTrustManager ekuTrust = EkuPolicyTrustManager.wrap(policy, policy.policy(), false);
        KeyManager[] ekuKeys = {loaded.bridge.keyManager()};
        sides.ekuClient = context(ekuKeys, ekuTrust);
        sides.ekuServer = context(ekuKeys, ekuTrust);

        X509ExtendedTrustManager pkix = pkix(policy.delegate(), loaded);
        sides.jdkTrust = "PKIX";
        sides.jdkClient = context(sunX509(client, "client"), pkix);
        X509ExtendedTrustManager serverSide = relaxed ? new IgnoringEkuRefusal(pkix) : pkix;
        sides.jdkServer = context(sunX509(server, "server"), serverSide);
        return sides;
    }

    /** The JDK's PKIX trust manager over the same anchors: the one EKU Bridge wraps, when it is one. */
    private static X509ExtendedTrustManager pkix(X509TrustManager wrapped, Configuration loaded) throws GeneralSecurityException,
            IOException {
        if (wrapped instanceof X509ExtendedTrustManager && wrapped.getClass().getName().startsWith("sun.security.ssl.")) {
            return (X509ExtendedTrustManager) wrapped;
        }
        KeyStore anchors = KeyStore.getInstance("PKCS12");
        anchors.load(null, null);
        X509Certificate[] certificates = loaded.anchors();
        for (int i = 0; i < certificates.length; i++) {
            anchors.setCertificateEntry("anchor-" + i, certificates[i]);
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
        factory.init(anchors);
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509ExtendedTrustManager) {
                return (X509ExtendedTrustManager) manager;
            }
        }
        throw new GeneralSecurityException("the JDK's PKIX trust manager factory made no X509ExtendedTrustManager");
    }

    /** SunX509 over an in-memory store holding this one identity: it decrypts the key once, at init. */
    private static KeyManager[] sunX509(Identity identity, String alias) throws GeneralSecurityException, IOException {
        char[] password = new char[16];
        SecureRandom random = new SecureRandom();
        for (int i = 0; i < password.length; i++) {
            password[i] = (char) ('a' + random.nextInt(26));
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry(alias, identity.privateKey(), password, identity.chain());
        KeyManagerFactory factory = KeyManagerFactory.getInstance("SunX509");
        factory.init(store, password);
        Arrays.fill(password, '\0');
        return factory.getKeyManagers();
    }

    private static SSLContext context(KeyManager[] keys, X509ExtendedTrustManager trust) throws GeneralSecurityException {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys, new TrustManager[] {trust}, null);
        return context;
    }

    /** One handshake, checking that each side saw the other's configured certificate. */
    private static SSLEngine[] verify(EngineLoop loop, SSLContext client, SSLContext server, Identity serverIdentity,
            Identity clientIdentity, String whose) throws SSLException {
        SSLEngine[] engines;
        try {
            engines = loop.run(client, server);
        } catch (SSLException e) {
            throw new SSLException("a handshake with " + whose + " managers failed: " + e.getMessage(), e);
        }
        Certificate[] serverSaw = engines[1].getSession().getPeerCertificates();
        Certificate[] clientSaw = engines[0].getSession().getPeerCertificates();
        if (!clientIdentity.certificate().equals(serverSaw[0]) || !serverIdentity.certificate().equals(clientSaw[0])) {
            throw new IllegalStateException("with " + whose + " managers the sides did not present the configured identities");
        }
        return engines;
    }

    /** Per-round timings, after warm-up. */
    static final class Measurement {
        final List<Double> ratios = new ArrayList<Double>();
        long ekuNanos;
        long jdkNanos;
        long ekuHandshakes;
        long jdkHandshakes;
        int rounds;
        int warmupRounds;
        double warmupSeconds;
        boolean warmupCounted;

        double ekuRate() {
            return ekuHandshakes * 1e9 / Math.max(1, ekuNanos);
        }

        double jdkRate() {
            return jdkHandshakes * 1e9 / Math.max(1, jdkNanos);
        }
    }

    private static Measurement measure(EngineLoop loop, Sides sides, int seconds, Io io) throws SSLException {
        Measurement m = new Measurement();
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        long warmupEnd = start + TimeUnit.SECONDS.toNanos(seconds) / 4;
        m.warmupSeconds = seconds / 4.0;
        List<long[]> warmup = new ArrayList<long[]>();
        long nextProgress = start + (io.errIsTerminal ? TERMINAL_PROGRESS_NANOS : LOG_PROGRESS_NANOS);
        if (!io.errIsTerminal) {
            io.err.println("bench: measuring for " + seconds + " s (the first " + format(m.warmupSeconds, 1) + " s warm-up), blocks of "
                + BLOCK + " handshakes, EKU Bridge and the JDK in turn");
            io.err.flush();
        }
        long handshakes = 0;
        for (int round = 0; System.nanoTime() < end; round++) {
            boolean measured = System.nanoTime() >= warmupEnd;
            long eku;
            long jdk;
            if (round % 2 == 0) {
                eku = block(loop, sides.ekuClient, sides.ekuServer);
                jdk = block(loop, sides.jdkClient, sides.jdkServer);
            } else {
                jdk = block(loop, sides.jdkClient, sides.jdkServer);
                eku = block(loop, sides.ekuClient, sides.ekuServer);
            }
            handshakes += 2 * BLOCK;
            if (measured) {
                add(m, eku, jdk);
            } else {
                warmup.add(new long[] {eku, jdk});
                m.warmupRounds++;
            }
            long now = System.nanoTime();
            if (now >= nextProgress) {
                progress(io, now - start, seconds, handshakes, now < warmupEnd, m);
                nextProgress = now + (io.errIsTerminal ? TERMINAL_PROGRESS_NANOS : LOG_PROGRESS_NANOS);
            }
        }
        if (m.rounds == 0) {
            // too short a run to leave the warm-up: report what there is, and say so
            m.warmupCounted = true;
            for (long[] pair : warmup) {
                add(m, pair[0], pair[1]);
            }
        }
        if (io.errIsTerminal) {
            io.err.print("\r" + CertText.repeat(' ', 78) + "\r");
        } else {
            io.err.println("bench: done, " + handshakes + " handshakes in " + format((System.nanoTime() - start) / 1e9, 1) + " s");
        }
        io.err.flush();
        return m;
    }

    private static void add(Measurement m, long eku, long jdk) {
        m.rounds++;
        m.ekuNanos += eku;
        m.jdkNanos += jdk;
        m.ekuHandshakes += BLOCK;
        m.jdkHandshakes += BLOCK;
        m.ratios.add((double) jdk / eku); // (BLOCK / eku) / (BLOCK / jdk)
    }

    private static void progress(Io io, long elapsed, int seconds, long handshakes, boolean warmingUp, Measurement m) {
        String line = "bench: " + (elapsed / 1_000_000_000L) + " s of " + seconds + (warmingUp ? " (warm-up)" : "") + ", "
            + handshakes + " handshakes" + (m.rounds == 0 ? "" : ", ratio so far " + format(median(m.ratios), 3));
        if (io.errIsTerminal) {
            io.err.print("\r" + CertText.pad(line, 78));
        } else {
            io.err.println(line);
        }
        io.err.flush();
    }

    private static long block(EngineLoop loop, SSLContext client, SSLContext server) throws SSLException {
        long start = System.nanoTime();
        for (int i = 0; i < BLOCK; i++) {
            loop.run(client, server);
        }
        return Math.max(1, System.nanoTime() - start);
    }

    static double median(List<Double> values) {
        return percentile(values, 0.5);
    }

    /** The {@code p} quantile by linear interpolation between closest ranks. */
    static double percentile(List<Double> values, double p) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<Double>(values);
        Collections.sort(sorted);
        double rank = p * (sorted.size() - 1);
        int low = (int) Math.floor(rank);
        int high = (int) Math.ceil(rank);
        return sorted.get(low) + (sorted.get(high) - sorted.get(low)) * (rank - low);
    }

    static String format(double value, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    private static String pathText(String path, Identity client, EkuPolicy mode) {
        return "relaxed".equals(path)
            ? "relaxed: the client identity " + CertText.serial(client.certificate()) + " lacks clientAuth (EKU "
                + CertText.ekuNames(client.extendedKeyUsage()) + ") and inbound.eku=" + mode.configValue() + " accepts it"
            : "normal: the client identity " + CertText.serial(client.certificate()) + " has clientAuth; inbound.eku=" + mode.configValue();
    }

    private static void print(PrintStream out, Configuration loaded, Identity server, Identity client, EkuPolicy mode, String path,
            String protocol, String cipherSuite, int seconds, Measurement m) {
        out.println("EKU Bridge bench: full mutual-TLS handshakes in memory (two SSLEngines, no sockets, no resumption)");
        out.println("engine      " + SSLContextInfo.provider() + ", " + protocol + ", " + cipherSuite + ", Java "
            + System.getProperty("java.version"));
        out.println("path        " + pathText(path, client, mode));
        out.println("identities  server " + CertText.serial(server.certificate()) + " (" + CertText.key(server.certificate().getPublicKey())
            + "), client " + CertText.serial(client.certificate()) + " (" + CertText.key(client.certificate().getPublicKey()) + "); trust "
            + (loaded.trustSource() == null ? "the JDK default trust store" : loaded.trustSource()));
        out.println("rounds      " + m.rounds + " rounds of " + BLOCK + " + " + BLOCK + " handshakes, which side goes first alternating; "
            + seconds + " s, " + (m.warmupCounted ? "too short to leave the warm-up: every round counted"
                : "the first " + format(m.warmupSeconds, 1) + " s (" + m.warmupRounds + (m.warmupRounds == 1 ? " round" : " rounds")
                    + ") warm-up, not counted"));
        out.println();
        out.println(CertText.pad("MANAGERS", 68) + "  HANDSHAKES/S");
        out.println(CertText.pad("EKU Bridge  RoleAwareKeyManager + EkuPolicyTrustManager (" + mode.configValue() + ")", 68) + "  "
            + format(m.ekuRate(), 1));
        String jdk = "JDK         SunX509 key manager + PKIX trust manager" + ("relaxed".equals(path) ? " (EKU refusal ignored)" : "");
        out.println(CertText.pad(jdk, 68) + "  " + format(m.jdkRate(), 1));
        out.println();
        out.println("ratio EKU Bridge / JDK: " + format(median(m.ratios), 3) + " (median of " + m.rounds + " per-round ratios;"
            + " interquartile range " + format(percentile(m.ratios, 0.25), 3) + " .. " + format(percentile(m.ratios, 0.75), 3) + ")");
        if ("relaxed".equals(path)) {
            out.println("(relaxed path: the JDK alone refuses this client; its side is timed with that refusal caught and ignored)");
        }
    }

    private static Map<String, Object> json(Configuration loaded, Identity server, Identity client, EkuPolicy mode, String path,
            String protocol, String cipherSuite, int seconds, Measurement m) {
        Map<String, Object> json = Json.object();
        json.put("path", path);
        json.put("pathDescription", pathText(path, client, mode));
        json.put("inboundEku", mode.configValue());
        json.put("provider", SSLContextInfo.provider());
        json.put("protocol", protocol);
        json.put("cipherSuite", cipherSuite);
        json.put("java", System.getProperty("java.version"));
        json.put("serverSerial", CertText.serial(server.certificate()));
        json.put("clientSerial", CertText.serial(client.certificate()));
        json.put("trust", loaded.trustSource() == null ? "jdk-default" : loaded.trustSource());
        json.put("seconds", seconds);
        json.put("warmupSeconds", m.warmupSeconds);
        json.put("warmupCounted", m.warmupCounted);
        json.put("blockSize", BLOCK);
        json.put("rounds", m.rounds);
        Map<String, Object> eku = Json.object();
        eku.put("managers", "RoleAwareKeyManager + EkuPolicyTrustManager");
        eku.put("handshakes", m.ekuHandshakes);
        eku.put("handshakesPerSecond", round(m.ekuRate(), 1));
        json.put("ekuBridge", eku);
        Map<String, Object> jdk = Json.object();
        jdk.put("managers", "SunX509 + PKIX" + ("relaxed".equals(path) ? " (EKU refusal ignored)" : ""));
        jdk.put("handshakes", m.jdkHandshakes);
        jdk.put("handshakesPerSecond", round(m.jdkRate(), 1));
        json.put("jdk", jdk);
        Map<String, Object> ratio = Json.object();
        ratio.put("median", round(median(m.ratios), 4));
        ratio.put("p25", round(percentile(m.ratios, 0.25), 4));
        ratio.put("p75", round(percentile(m.ratios, 0.75), 4));
        ratio.put("rounds", m.ratios.size());
        json.put("ratio", ratio);
        return json;
    }

    private static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }

    /** The JSSE provider of the default {@code TLS} context, by name and version. */
    private static final class SSLContextInfo {
        static String provider() {
            try {
                return SSLContext.getInstance("TLS").getProvider().getName();
            } catch (GeneralSecurityException e) {
                return "unknown";
            }
        }
    }

    /**
     * The JDK's PKIX trust manager with its refusal of a client certificate for its EKU caught: the relaxed path's
     * baseline. Only that refusal; any other stands.
     */
    private static final class IgnoringEkuRefusal extends X509ExtendedTrustManager {
        private final X509ExtendedTrustManager delegate;

        IgnoringEkuRefusal(X509ExtendedTrustManager delegate) {
            this.delegate = delegate;
        }

        private static void ignoreEku(CertificateException e) throws CertificateException {
            if (!String.valueOf(e.getMessage()).contains(EKU_REFUSAL)) {
                throw e;
            }
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            try {
                delegate.checkClientTrusted(chain, authType, socket);
            } catch (CertificateException e) {
                ignoreEku(e);
            }
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            try {
                delegate.checkClientTrusted(chain, authType, engine);
            } catch (CertificateException e) {
                ignoreEku(e);
            }
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            try {
                delegate.checkClientTrusted(chain, authType);
            } catch (CertificateException e) {
                ignoreEku(e);
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            delegate.checkServerTrusted(chain, authType, socket);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            delegate.checkServerTrusted(chain, authType, engine);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            delegate.checkServerTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return delegate.getAcceptedIssuers();
        }
    }
}
