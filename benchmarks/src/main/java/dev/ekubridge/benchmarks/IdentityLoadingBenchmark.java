package dev.ekubridge.benchmarks;

import dev.ekubridge.EkuBridge;
import dev.ekubridge.EkuBridgeConfig;
import dev.ekubridge.Identity;
import dev.ekubridge.testsupport.pki.Ca;
import dev.ekubridge.testsupport.pki.Issued;
import dev.ekubridge.testsupport.pki.KeyKind;
import dev.ekubridge.testsupport.pki.LeafEku;
import dev.ekubridge.testsupport.pki.TestPki;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Loading many identities, once per iteration (single shot, milliseconds): what a start or a reload of that many
 * costs.
 * <ul>
 * <li>{@code OBJECTS}: {@code Identity.of} for every leaf (the key/certificate match and chain checks, the EKU read)
 * and {@code EkuBridge.builder().build()} (admission and indexing), from certificates and keys already in memory;</li>
 * <li>{@code JKS_FILE}: {@code EkuBridge.fromConfig} over a JKS file holding them (the configuration path: the store
 * read and opened, every entry's key recovered, then the same checks and indexing).</li>
 * </ul>
 * The leaves are EC P-256 with serverAuth and clientAuth from one CA, as {@link LeafBatch}'s, with a chain of the leaf
 * alone ({@code LEAF}, as {@code KeySelectionBenchmark} loads them) or of the leaf and its CA ({@code LEAF_AND_CA}, as key
 * stores exported from a CA usually hold them, so that every identity's chain signature is checked too). They share one
 * key pair, which no check caches. Issuing them takes a while in the set-up.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class IdentityLoadingBenchmark {

    public enum Source {
        OBJECTS,
        JKS_FILE
    }

    @Param({"10000"})
    public int identities;

    @Param({"OBJECTS", "JKS_FILE"})
    public Source source;

    /** {@code LEAF}: each identity's chain is its leaf alone; {@code LEAF_AND_CA}: the leaf and its CA. */
    @Param({"LEAF", "LEAF_AND_CA"})
    public String chain;

    private Issued[] leaves;
    private String[] aliases;
    private Path directory;
    private EkuBridgeConfig config;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        long start = System.nanoTime();
        Ca ca = TestPki.root("Identity Loading CA", KeyKind.EC_P256);
        KeyPair shared = KeyKind.EC_P256.freshKeyPair();
        leaves = new Issued[identities];
        aliases = new String[identities];
        for (int i = 0; i < identities; i++) {
            aliases[i] = "identity-" + i;
            Issued leaf = Bench.leaf(ca, "identity-" + i + ".bench.example", LeafEku.BOTH, shared);
            leaves[i] = "LEAF".equals(chain) ? Issued.of(shared, leaf.certificate())
                : Issued.of(shared, leaf.certificate(), ca.certificate());
        }
        if (source == Source.JKS_FILE) {
            directory = Files.createTempDirectory("ekubridge-loading");
            Path store = directory.resolve("server.jks");
            Map<String, Issued> entries = new LinkedHashMap<>();
            for (int i = 0; i < identities; i++) {
                entries.put(aliases[i], leaves[i]);
            }
            try (OutputStream out = Files.newOutputStream(store)) {
                out.write(TestPki.toJksBytes(Bench.PASSWORD, entries));
            }
            Map<String, String> values = new LinkedHashMap<>();
            values.put("server.keystore", store.toString());
            values.put("server.password", new String(Bench.PASSWORD));
            values.put("client.identity", "server");
            config = EkuBridgeConfig.of(values, "benchmark");
        }
        System.out.printf("[setup] %d identities, %s: prepared in %d ms%n", identities, source,
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        if (directory != null) {
            Files.deleteIfExists(directory.resolve("server.jks"));
            Files.deleteIfExists(directory);
        }
    }

    @Benchmark
    public EkuBridge load() {
        EkuBridge bridge;
        if (source == Source.JKS_FILE) {
            bridge = EkuBridge.fromConfig(config);
        } else {
            List<Identity> list = new ArrayList<>(leaves.length);
            for (int i = 0; i < leaves.length; i++) {
                list.add(Identity.of(aliases[i], "benchmark PKI", leaves[i].privateKey(), leaves[i].chain()));
            }
            bridge = EkuBridge.builder().serverIdentities(list).clientUsesServerIdentity().build();
        }
        if (bridge.keyManager().identities(dev.ekubridge.Role.SERVER).size() != identities) {
            throw new IllegalStateException("not every identity was loaded");
        }
        return bridge;
    }
}
