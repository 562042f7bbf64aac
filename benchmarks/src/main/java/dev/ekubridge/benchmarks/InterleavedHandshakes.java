package dev.ekubridge.benchmarks;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.ekubridge.testsupport.pki.KeyKind;
import dev.ekubridge.testsupport.tls.HandshakeLoop;
import dev.ekubridge.testsupport.tls.Jsse;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.Provider;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.net.ssl.SSLException;

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
 * EKU Bridge in strict, lenient, audit and server-auth mode (dual-EKU client) and lenient with that client's serverAuth-only
 * twin, same key and names (the relaxed path: the engine's trust manager asked for its client-direction verdict on
 * the leaf's clientAuth twin).</li>
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
        List<HandshakeGroup> all = new ArrayList<>();
        for (String key : option("keys", "EC_P256,RSA_2048").split(",")) {
            for (String protocol : option("protocols", "TLSv1.2,TLSv1.3").split(",")) {
                for (String jsse : option("jsse", "SunJSSE,BCJSSE").split(",")) {
                    KeyKind kind = KeyKind.valueOf(key.trim());
                    Provider provider = Jsse.named(jsse.trim()).provider();
                    List<Variant> variants = mode.equals("agent") ? HandshakeVariants.agentVariants(kind, provider, protocol.trim())
                        : HandshakeVariants.managerVariants(kind, provider, protocol.trim());
                    HandshakeGroup group = new HandshakeGroup(kind.name(), protocol.trim(), jsse.trim(), variants,
                        new HandshakeLoop(protocol.trim()));
                    for (Variant variant : variants) {
                        variant.verify(group.loop, group.protocol);
                    }
                    all.add(group);
                }
            }
        }
        long warmupEnd = System.nanoTime() + (long) (warmup * 1e9);
        while (System.nanoTime() < warmupEnd) {
            for (HandshakeGroup group : shuffled(all)) {
                round(group, block, false);
            }
        }
        long end = System.nanoTime() + (long) (seconds * all.size() * 1e9);
        int superRounds = 0;
        while (System.nanoTime() < end || superRounds < 6) {
            for (HandshakeGroup group : shuffled(all)) {
                round(group, block, true);
            }
            superRounds++;
        }
        JsonArray groups = new JsonArray();
        for (HandshakeGroup group : all) {
            JsonObject summary = group.summary();
            summary.addProperty("key", group.key);
            summary.addProperty("protocol", group.protocol);
            summary.addProperty("jsse", group.jsse);
            System.out.println(HandshakeGroup.text(summary, group.jsse, group.key + " " + group.protocol));
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

    /** One round of a group: every compared variant once, in random order, each in a pair with a baseline block. */
    private void round(HandshakeGroup group, int block, boolean record) throws SSLException {
        Variant baseline = group.variants.get(0);
        for (Variant v : shuffled(group.variants.subList(1, group.variants.size()))) {
            boolean baselineFirst = random.nextBoolean();
            Map<String, long[]> allocation = record ? group.allocation : null;
            long[] first = block(group.loop, baselineFirst ? baseline : v, block, allocation);
            long[] second = block(group.loop, baselineFirst ? v : baseline, block, allocation);
            long[] base = baselineFirst ? first : second;
            long[] variant = baselineFirst ? second : first;
            if (record) {
                group.record(v, base, variant, block);
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
            loop.run(v.client(), v.server());
        }
        long elapsed = System.nanoTime() - start;
        long cpu = threads.getCurrentThreadCpuTime() - cpuStart;
        if (allocation != null) {
            long[] account = allocation.get(v.name());
            account[0] += threads.getThreadAllocatedBytes(thread) - bytesBefore;
            account[1] += block;
        }
        return new long[] {elapsed, cpu};
    }

    private <T> List<T> shuffled(List<T> list) {
        List<T> copy = new ArrayList<>(list);
        Collections.shuffle(copy, random);
        return copy;
    }

    static String loadAverage() {
        try {
            return Files.readString(Paths.get("/proc/loadavg"), StandardCharsets.US_ASCII).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
