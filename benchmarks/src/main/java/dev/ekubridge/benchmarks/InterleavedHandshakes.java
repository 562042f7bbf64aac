package dev.ekubridge.benchmarks;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.ekubridge.EkuBridge;
import dev.ekubridge.EkuPolicy;
import dev.ekubridge.testsupport.pki.Ca;
import dev.ekubridge.testsupport.pki.Issued;
import dev.ekubridge.testsupport.pki.KeyKind;
import dev.ekubridge.testsupport.pki.LeafEku;
import dev.ekubridge.testsupport.pki.TestPki;
import dev.ekubridge.testsupport.tls.HandshakeLoop;
import dev.ekubridge.testsupport.tls.Jsse;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * Handshake throughput ratios that can show 1% on a machine whose speed wanders by 20% between processes and
 * minutes: the variants of one comparison run in ONE JVM (one JIT state, one heap), alternated in short blocks, and
 * every ratio is taken between two blocks run back to back.
 *
 * <p>A <em>group</em> is one key type, protocol and JSSE engine. Its variants are a baseline and the variants compared
 * with it. One <em>round</em> visits every compared variant once, in a fresh random order; each visit is a
 * <em>pair</em>: a block of {@code block} handshakes of the baseline and a block of the variant, in random order, and
 * the pair's ratio is baseline time / variant time (the variant's throughput relative to the baseline's). Drift slower
 * than a pair (other processes starting, thermal or frequency changes, a neighbour's build) cancels in the ratio; a
 * burst that hits one block gives one outlier round, which the median ignores. Per variant the report gives the median
 * of its rounds' ratios and the distribution-free 95% interval of that median ({@link Interval}).
 *
 * <p>Two modes:
 * <ul>
 * <li>{@code managers}: the engine's own managers ({@code JDK}: SunJSSE's SunX509 key manager or BCJSSE's own
 * X.509 key manager, both of which decrypt keys once; the JDK's PKIX trust manager; dual-EKU client) as baseline, against
 * EKU Bridge in strict, lenient, audit and server-auth mode (dual-EKU client) and lenient with a serverAuth-only client
 * (the relaxed path: the wrapped manager's client-direction check, its EKU refusal recognised and overridden, the
 * skipped end-entity checks applied).</li>
 * <li>{@code agent}: in a JVM started with {@code -javaagent:ekubridge-agent.jar=inbound.eku=lenient}, the same JDK
 * managers and contexts created with the agent's hooks switched off (baseline) against created with them on (the
 * retrofit: EKU Bridge's policy around the JDK trust manager). The hooks are the static fields of the bootstrap class
 * {@code dev.ekubridge.agent.bootstrap.SslContextBridge}, set to null for the moment the baseline is created.</li>
 * </ul>
 *
 * <p>All groups run in the same JVM: they are built and verified first, warmed up together ({@code --warmup} seconds:
 * on a loaded 2-core machine the JIT needs minutes to compile every group's code), then measured interleaved: each
 * super-round runs one round of every group in random order, for {@code --seconds} times the number of groups. The
 * time compared is the handshake thread's CPU time; wall time is recorded beside it.
 *
 * <pre>
 * java -cp benchmarks.jar dev.ekubridge.benchmarks.InterleavedHandshakes --mode managers|agent [--seconds 30]
 *     [--warmup 60] [--block 15] [--keys EC_P256,RSA_2048] [--protocols TLSv1.2,TLSv1.3] [--jsse SunJSSE,BCJSSE]
 *     --json OUT.json
 * </pre>
 */
public final class InterleavedHandshakes {
    static final String BRIDGE = "dev.ekubridge.agent.bootstrap.SslContextBridge";
    static final String[] HOOKS = {"keyManagerHook", "trustManagerHook", "factoryTrustManagerHook"};

    /** One way of setting up both sides. */
    record Variant(String name, SSLContext client, SSLContext server, X509Certificate expectedClient) {
    }

    private final Map<String, String> options;
    private final Random random = new Random(13);
    private final com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private InterleavedHandshakes(Map<String, String> options) {
        this.options = options;
    }

    /** BCJSSE logs every connection at INFO through java.util.logging; kept here so the setting is not collected. */
    private static final java.util.logging.Logger BC_LOG = java.util.logging.Logger.getLogger("org.bouncycastle.jsse");

    public static void main(String[] args) throws Exception {
        BC_LOG.setLevel(java.util.logging.Level.SEVERE);
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("options are --name value pairs: " + Arrays.toString(args));
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        if (args.length % 2 != 0 || !options.containsKey("json") || !options.containsKey("mode")) {
            throw new IllegalArgumentException("usage: InterleavedHandshakes --mode managers|agent --json OUT.json [--seconds S]"
                + " [--warmup S] [--block N] [--keys ...] [--protocols ...] [--jsse ...]");
        }
        JsonObject result = new InterleavedHandshakes(options).run();
        Path out = Paths.get(options.get("json"));
        Files.writeString(out, new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create().toJson(result),
            StandardCharsets.UTF_8);
        System.out.println("wrote " + out);
    }

    private String option(String name, String fallback) {
        return options.getOrDefault(name, fallback);
    }

    JsonObject run() throws Exception {
        String mode = option("mode", "managers");
        if (!mode.equals("managers") && !mode.equals("agent")) {
            throw new IllegalArgumentException("--mode managers or agent, not " + mode);
        }
        double seconds = Double.parseDouble(option("seconds", "30"));
        double warmup = Double.parseDouble(option("warmup", "8"));
        int block = Integer.parseInt(option("block", "15"));
        String agent = HandshakeBenchmark.agentArguments();
        if (mode.equals("agent") != (agent != null)) {
            throw new IllegalStateException(mode.equals("agent") ? "--mode agent needs a JVM started with -javaagent:ekubridge-agent.jar=..."
                : "--mode managers must run without the EKU Bridge agent (it would wrap the JDK baseline)");
        }

        JsonObject json = new JsonObject();
        json.addProperty("mode", mode);
        json.addProperty("agentArguments", agent);
        json.addProperty("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        json.addProperty("javaVersion", System.getProperty("java.version"));
        json.addProperty("block", block);
        json.addProperty("seconds", seconds);
        json.addProperty("warmupSeconds", warmup);
        json.addProperty("started", java.time.Instant.now().toString());
        json.addProperty("loadStart", loadAverage());
        // Every group is built and verified first; then one warm-up over all of them (the JIT compiles what every group
        // runs, which on a loaded 2-core machine takes minutes); then the groups are measured interleaved too: each
        // super-round runs one round of every group, in random order, so that every group spans the whole measurement.
        List<Group> all = new ArrayList<>();
        for (String key : option("keys", "EC_P256,RSA_2048").split(",")) {
            for (String protocol : option("protocols", "TLSv1.2,TLSv1.3").split(",")) {
                for (String jsse : option("jsse", "SunJSSE,BCJSSE").split(",")) {
                    KeyKind kind = KeyKind.valueOf(key.trim());
                    Provider provider = Jsse.named(jsse.trim()).provider();
                    List<Variant> variants = mode.equals("agent") ? agentVariants(kind, provider, protocol.trim())
                        : managerVariants(kind, provider, protocol.trim());
                    Group group = new Group(kind.name(), protocol.trim(), jsse.trim(), variants, new HandshakeLoop(protocol.trim()));
                    for (Variant variant : variants) {
                        verify(group.loop, variant, group.protocol);
                    }
                    all.add(group);
                }
            }
        }
        long warmupEnd = System.nanoTime() + (long) (warmup * 1e9);
        while (System.nanoTime() < warmupEnd) {
            for (Group group : shuffled(all)) {
                round(group, block, false);
            }
        }
        long end = System.nanoTime() + (long) (seconds * all.size() * 1e9);
        int superRounds = 0;
        while (System.nanoTime() < end || superRounds < 6) {
            for (Group group : shuffled(all)) {
                round(group, block, true);
            }
            superRounds++;
        }
        JsonArray groups = new JsonArray();
        for (Group group : all) {
            JsonObject summary = group.summary();
            summary.addProperty("key", group.key);
            summary.addProperty("protocol", group.protocol);
            summary.addProperty("jsse", group.jsse);
            System.out.println(summary(summary, group.jsse, group.key + " " + group.protocol));
            groups.add(summary);
        }
        json.add("groups", groups);
        json.addProperty("loadEnd", loadAverage());
        json.addProperty("ended", java.time.Instant.now().toString());
        return json;
    }

    // ------------------------------------------------------------------------------------------------
    // measuring
    // ------------------------------------------------------------------------------------------------

    /** One key type, protocol and engine: its variants (the first is the baseline) and what was measured of them. */
    private final class Group {
        final String key;
        final String protocol;
        final String jsse;
        final List<Variant> variants;
        final HandshakeLoop loop;
        final Map<String, List<Double>> ratios = new LinkedHashMap<>();
        final Map<String, List<Double>> wallRatios = new LinkedHashMap<>();
        final Map<String, List<Double>> nanos = new LinkedHashMap<>();
        final Map<String, List<Double>> wallNanos = new LinkedHashMap<>();
        final Map<String, long[]> allocation = new LinkedHashMap<>(); // bytes, handshakes
        int rounds;

        Group(String key, String protocol, String jsse, List<Variant> variants, HandshakeLoop loop) {
            this.key = key;
            this.protocol = protocol;
            this.jsse = jsse;
            this.variants = variants;
            this.loop = loop;
            for (Variant v : variants) {
                ratios.put(v.name, new ArrayList<>());
                wallRatios.put(v.name, new ArrayList<>());
                nanos.put(v.name, new ArrayList<>());
                wallNanos.put(v.name, new ArrayList<>());
                allocation.put(v.name, new long[2]);
            }
        }

        JsonObject summary() {
            Variant baseline = variants.get(0);
            JsonObject group = new JsonObject();
            group.addProperty("baseline", baseline.name);
            group.addProperty("rounds", rounds);
            JsonArray out = new JsonArray();
            for (Variant v : variants) {
                JsonObject row = new JsonObject();
                row.addProperty("variant", v.name);
                row.addProperty("medianMicrosPerHandshake", median(nanos.get(v.name)).median() / 1e3);
                row.addProperty("medianWallMicrosPerHandshake", median(wallNanos.get(v.name)).median() / 1e3);
                long[] bytes = allocation.get(v.name);
                row.addProperty("bytesPerHandshake", bytes[1] == 0 ? Double.NaN : (double) bytes[0] / bytes[1]);
                if (v != baseline) {
                    Interval ratio = median(ratios.get(v.name));
                    row.addProperty("ratio", ratio.median());
                    row.addProperty("low", ratio.low());
                    row.addProperty("high", ratio.high());
                    row.addProperty("coverage", ratio.coverage());
                    row.addProperty("pairs", ratio.n());
                    Interval wall = median(wallRatios.get(v.name));
                    row.addProperty("wallRatio", wall.median());
                    row.addProperty("wallLow", wall.low());
                    row.addProperty("wallHigh", wall.high());
                    JsonArray raw = new JsonArray();
                    for (double x : ratios.get(v.name)) {
                        raw.add(Math.round(x * 1e5) / 1e5);
                    }
                    row.add("ratios", raw);
                }
                out.add(row);
            }
            group.add("variants", out);
            return group;
        }
    }

    private static Interval median(List<Double> values) {
        return Interval.ofMedian(values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    private <T> List<T> shuffled(List<T> list) {
        List<T> copy = new ArrayList<>(list);
        Collections.shuffle(copy, random);
        return copy;
    }

    private static String summary(JsonObject group, String provider, String protocol) {
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "[%s %s] %d rounds:", provider, protocol,
            group.get("rounds").getAsInt()));
        for (var element : group.getAsJsonArray("variants")) {
            JsonObject row = element.getAsJsonObject();
            text.append(String.format(Locale.ROOT, "%n  %-28s %8.1f µs %9.0f B", row.get("variant").getAsString(),
                row.get("medianMicrosPerHandshake").getAsDouble(), row.get("bytesPerHandshake").getAsDouble()));
            if (row.has("ratio")) {
                text.append(String.format(Locale.ROOT, "  cpu ratio %.4f [%.4f, %.4f]  wall %.4f [%.4f, %.4f]",
                    row.get("ratio").getAsDouble(), row.get("low").getAsDouble(), row.get("high").getAsDouble(),
                    row.get("wallRatio").getAsDouble(), row.get("wallLow").getAsDouble(), row.get("wallHigh").getAsDouble()));
            }
        }
        return text.toString();
    }

    /** One round of a group: every compared variant once, in random order, each in a pair with a baseline block. */
    private void round(Group group, int block, boolean record) throws SSLException {
        Variant baseline = group.variants.get(0);
        for (Variant v : shuffled(group.variants.subList(1, group.variants.size()))) {
            boolean baselineFirst = random.nextBoolean();
            Map<String, long[]> allocation = record ? group.allocation : null;
            long[] first = block(group.loop, baselineFirst ? baseline : v, block, allocation);
            long[] second = block(group.loop, baselineFirst ? v : baseline, block, allocation);
            long[] base = baselineFirst ? first : second;
            long[] variant = baselineFirst ? second : first;
            if (record) {
                group.ratios.get(v.name).add((double) base[1] / variant[1]);
                group.wallRatios.get(v.name).add((double) base[0] / variant[0]);
                group.nanos.get(baseline.name).add((double) base[1] / block);
                group.nanos.get(v.name).add((double) variant[1] / block);
                group.wallNanos.get(baseline.name).add((double) base[0] / block);
                group.wallNanos.get(v.name).add((double) variant[0] / block);
            }
        }
        if (record) {
            group.rounds++;
        }
    }

    /** One block of {@code block} handshakes of {@code v}: its wall time and this thread's CPU time, in ns. */
    private long[] block(HandshakeLoop loop, Variant v, int block, Map<String, long[]> allocation) throws SSLException {
        long thread = Thread.currentThread().getId();
        long bytesBefore = allocation == null ? 0 : threads.getThreadAllocatedBytes(thread);
        long cpuStart = threads.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        for (int i = 0; i < block; i++) {
            loop.run(v.client, v.server);
        }
        long elapsed = System.nanoTime() - start;
        long cpu = threads.getCurrentThreadCpuTime() - cpuStart;
        if (allocation != null) {
            long[] account = allocation.get(v.name);
            account[0] += threads.getThreadAllocatedBytes(thread) - bytesBefore;
            account[1] += block;
        }
        return new long[] {elapsed, cpu};
    }

    /** Before measuring: each variant completes full handshakes (new sessions) in which the server sees the expected client. */
    private static void verify(HandshakeLoop loop, Variant v, String protocol) throws SSLException {
        java.util.Set<String> ids = new java.util.HashSet<>();
        java.util.Set<Object> sessions = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        int withId = 0;
        for (int i = 0; i < 3; i++) {
            var session = loop.run(v.client, v.server);
            if (!protocol.equals(session.getProtocol())) {
                throw new IllegalStateException(v.name + " negotiated " + session.getProtocol() + ", not " + protocol);
            }
            if (!session.getPeerCertificates()[0].equals(v.expectedClient)) {
                throw new IllegalStateException(v.name + ": the server saw another client certificate");
            }
            sessions.add(session);
            if (session.getId().length > 0) {
                withId++;
                ids.add(Arrays.toString(session.getId()));
            }
        }
        // TLS 1.3 has no session IDs: BCJSSE then gives an empty one; a resumed session would be the cached object
        if (ids.size() != withId || sessions.size() != 3) {
            throw new IllegalStateException(v.name + ": a session was resumed");
        }
    }

    // ------------------------------------------------------------------------------------------------
    // the variants
    // ------------------------------------------------------------------------------------------------

    private static List<Variant> managerVariants(KeyKind kind, Provider provider, String protocol) throws Exception {
        Ca root = TestPki.root("Interleaved Root " + kind, kind);
        Issued server = Bench.leaf(root, "server.bench.example", LeafEku.SERVER_AUTH);
        Issued client = Bench.leaf(root, "client.bench.example", LeafEku.BOTH);
        Issued serverAuthOnlyClient = Bench.leaf(root, "relaxed-client.bench.example", LeafEku.SERVER_AUTH);
        KeyStore trustStore = TestPki.trustStore(root.certificate());
        List<Variant> variants = new ArrayList<>();
        variants.add(jdk("JDK", provider, server, client, trustStore));
        variants.add(ekuBridge("EKU_BRIDGE_STRICT", provider, server, client, false, trustStore, EkuPolicy.STRICT));
        variants.add(ekuBridge("EKU_BRIDGE_LENIENT", provider, server, client, false, trustStore, EkuPolicy.LENIENT));
        variants.add(ekuBridge("EKU_BRIDGE_LENIENT_RELAXED", provider, server, serverAuthOnlyClient, true, trustStore, EkuPolicy.LENIENT));
        variants.add(ekuBridge("EKU_BRIDGE_AUDIT", provider, server, client, false, trustStore, EkuPolicy.AUDIT));
        variants.add(ekuBridge("EKU_BRIDGE_SERVER_AUTH", provider, server, client, false, trustStore, EkuPolicy.SERVER_AUTH));
        return variants;
    }

    private static Variant jdk(String name, Provider provider, Issued server, Issued client, KeyStore trustStore)
            throws GeneralSecurityException {
        SSLContext serverContext = context(provider, keyManagers(provider, server, "server"), trustManagers(trustStore));
        SSLContext clientContext = context(provider, keyManagers(provider, client, "client"), trustManagers(trustStore));
        return new Variant(name, clientContext, serverContext, client.certificate());
    }

    private static Variant ekuBridge(String name, Provider provider, Issued server, Issued client, boolean clientIsServerAuthOnly,
            KeyStore trustStore, EkuPolicy policy) throws GeneralSecurityException {
        EkuBridge serverSide = EkuBridge.builder().serverIdentity(Bench.identity(server, "server")).clientUsesServerIdentity()
            .trustStore(trustStore).inboundEku(policy).build();
        EkuBridge.Builder clientBuilder = EkuBridge.builder().trustStore(trustStore).inboundEku(policy);
        if (clientIsServerAuthOnly) {
            clientBuilder.serverIdentity(Bench.identity(client, "client")).clientUsesServerIdentity();
        } else {
            clientBuilder.clientIdentity(Bench.identity(client, "client"));
        }
        EkuBridge clientSide = clientBuilder.build();
        SSLContext serverContext = context(provider, new KeyManager[] {serverSide.keyManager()},
            new TrustManager[] {serverSide.trustManager()});
        SSLContext clientContext = context(provider, new KeyManager[] {clientSide.keyManager()},
            new TrustManager[] {clientSide.trustManager()});
        return new Variant(name, clientContext, serverContext, client.certificate());
    }

    /**
     * The JDK managers and contexts twice: built with the agent's hooks switched off (what the application would have
     * without the agent) and on (what the agent makes of it). Verified: the retrofitted server accepts a serverAuth-only
     * client (the agent runs lenient), the plain one refuses it.
     */
    private static List<Variant> agentVariants(KeyKind kind, Provider provider, String protocol) throws Exception {
        Ca root = TestPki.root("Interleaved Agent Root " + kind, kind);
        Issued server = Bench.leaf(root, "server.bench.example", LeafEku.SERVER_AUTH);
        Issued client = Bench.leaf(root, "client.bench.example", LeafEku.BOTH);
        Issued serverAuthOnlyClient = Bench.leaf(root, "relaxed-client.bench.example", LeafEku.SERVER_AUTH);
        KeyStore trustStore = TestPki.trustStore(root.certificate());
        Variant plain = withoutHooks(() -> jdk("NO_AGENT", provider, server, client, trustStore));
        Variant retrofitted = jdk("AGENT", provider, server, client, trustStore);
        HandshakeLoop loop = new HandshakeLoop(protocol);
        // the serverAuth-only client presents its certificate through EKU Bridge's key manager: BCJSSE's own key
        // manager would not offer a certificate without clientAuth as a client certificate
        EkuBridge relaxedClientSide = EkuBridge.builder().serverIdentity(Bench.identity(serverAuthOnlyClient, "client"))
            .clientUsesServerIdentity().trustStore(trustStore).build();
        SSLContext relaxedClient = withoutHooks(() -> context(provider, new KeyManager[] {relaxedClientSide.keyManager()},
            trustManagers(trustStore)));
        Variant plainRelaxed = new Variant("check", relaxedClient, plain.server, serverAuthOnlyClient.certificate());
        Variant retrofittedRelaxed = new Variant("check", relaxedClient, retrofitted.server, serverAuthOnlyClient.certificate());
        if (!accepted(loop, retrofittedRelaxed) || accepted(loop, plainRelaxed)) {
            throw new IllegalStateException("the agent's retrofit is not what it should be: with its hooks a serverAuth-only client was "
                + (accepted(loop, retrofittedRelaxed) ? "accepted" : "refused") + ", without them "
                + (accepted(loop, plainRelaxed) ? "accepted" : "refused") + " (expected: accepted, refused)");
        }
        return List.of(plain, retrofitted);
    }

    private static boolean accepted(HandshakeLoop loop, Variant v) {
        try {
            return loop.run(v.client, v.server).getPeerCertificates()[0].equals(v.expectedClient);
        } catch (SSLException refused) {
            if (Boolean.getBoolean("interleaved.debug")) {
                refused.printStackTrace();
            }
            return false;
        }
    }

    /** Runs {@code action} with the agent's hooks set to null, restoring them after. */
    static <T> T withoutHooks(Callable<T> action) throws Exception {
        Class<?> bridge = Class.forName(BRIDGE, false, null);
        Field[] fields = new Field[HOOKS.length];
        Object[] saved = new Object[HOOKS.length];
        synchronized (bridge) {
            for (int i = 0; i < HOOKS.length; i++) {
                fields[i] = bridge.getField(HOOKS[i]);
                saved[i] = fields[i].get(null);
                if (saved[i] == null) {
                    throw new IllegalStateException(BRIDGE + "." + HOOKS[i] + " is not set: is the agent installed?");
                }
            }
            try {
                for (Field field : fields) {
                    field.set(null, null);
                }
                return action.call();
            } finally {
                for (int i = 0; i < HOOKS.length; i++) {
                    fields[i].set(null, saved[i]);
                }
            }
        }
    }

    /**
     * The engine's own key manager that decrypts keys once: SunJSSE's SunX509; BCJSSE's own factory (initialised with a
     * key store it makes ProvX509KeyManagerSimple, which does the same), since BCJSSE asks SunX509 for key types it does
     * not know.
     */
    private static KeyManager[] keyManagers(Provider provider, Issued leaf, String alias) throws GeneralSecurityException {
        KeyManagerFactory factory = provider.getName().equals("BCJSSE") ? KeyManagerFactory.getInstance("PKIX", provider)
            : KeyManagerFactory.getInstance("SunX509");
        factory.init(Bench.keyStore("PKCS12", new String[] {alias}, new Issued[] {leaf}), Bench.PASSWORD);
        return factory.getKeyManagers();
    }

    private static TrustManager[] trustManagers(KeyStore trustStore) throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trustStore);
        return factory.getTrustManagers();
    }

    private static SSLContext context(Provider provider, KeyManager[] keyManagers, TrustManager[] trustManagers)
            throws GeneralSecurityException {
        SSLContext context = SSLContext.getInstance("TLS", provider);
        context.init(keyManagers, trustManagers, new SecureRandom());
        context.getClientSessionContext().setSessionCacheSize(1);
        context.getServerSessionContext().setSessionCacheSize(1);
        return context;
    }

    static String loadAverage() {
        try {
            return Files.readString(Paths.get("/proc/loadavg"), StandardCharsets.US_ASCII).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
