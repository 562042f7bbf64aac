package dev.ekubridge.benchmarks;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The benchmarks' report, from JMH's own JSON result files: merges them into one JSON file and writes a
 * Markdown report with the machine, the run's settings, one table per benchmark with ratios EKU Bridge / JDK,
 * and the targets with the measured figure and a verdict against each. {@code benchmarks/run.sh} runs it after
 * the benchmarks; {@code BenchmarksSmokeTest} runs it on the results of its own short runs.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.ekubridge.benchmarks.ResultsTable --json OUT.json --markdown OUT.md
 *     [--started ISO-8601] [--load-start "/proc/loadavg"] [--load-end "/proc/loadavg"] [--elapsed "12 min 3 s"] IN.json...
 * </pre>
 */
public final class ResultsTable {
    private static final String PACKAGE = "dev.ekubridge.benchmarks.";
    /** gc.alloc.rate.norm is a rate divided by operations: a few 1e-4 B/op is measurement noise. */
    static final double ZERO_ALLOCATION_BYTES = 0.5;
    static final double AGENT_STARTUP_TARGET_MS = 300;
    static final double HANDSHAKE_TARGET_RATIO = 0.99;
    private static final String[][] BASELINES = {{"JDK", "JDK (PKIX)"}, {"JDK_SUNX509", "JDK_SUNX509"}};
    private static final List<String> DECISION_ORDER =
        List.of("BARE_DELEGATE", "STRICT", "LENIENT", "AUDIT", "SERVER_AUTH", "LENIENT_RELAXED");

    private final List<Result> results;
    /** The interleaved harnesses' results (InterleavedHandshakes in both modes, InterleavedStartup); null when not run. */
    private JsonObject managers;
    private JsonObject agent;
    private JsonObject startup;
    private final List<String> out = new ArrayList<>();
    private final List<String[]> verdicts = new ArrayList<>();

    private ResultsTable(List<Result> results) {
        this.results = results;
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> options = new TreeMap<>();
        List<Path> inputs = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].startsWith("--")) {
                if (i + 1 == args.length) {
                    throw new IllegalArgumentException(args[i] + " needs a value");
                }
                options.put(args[i].substring(2), args[++i]);
            } else {
                inputs.add(Paths.get(args[i]));
            }
        }
        for (String required : new String[] {"json", "markdown"}) {
            if (!options.containsKey(required)) {
                throw new IllegalArgumentException("usage: ResultsTable --json OUT.json --markdown OUT.md [--started ISO] "
                    + "[--load-start LOADAVG] [--load-end LOADAVG] [--elapsed TEXT] IN.json...; missing --" + required);
            }
        }
        List<String> unknown = new ArrayList<>(options.keySet());
        unknown.removeAll(List.of("json", "markdown", "started", "load-start", "load-end", "elapsed", "managers", "agent", "startup"));
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown options: " + unknown);
        }
        if (inputs.isEmpty() && !options.containsKey("managers")) {
            throw new IllegalArgumentException("no JMH JSON result files given");
        }

        JsonArray merged = new JsonArray();
        for (Path input : inputs) {
            String text = Files.readString(input, StandardCharsets.UTF_8).trim();
            if (!text.isEmpty()) {
                merged.addAll(JsonParser.parseString(text).getAsJsonArray());
            }
        }
        Path json = Paths.get(options.get("json"));
        Files.writeString(json, new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create().toJson(merged),
            StandardCharsets.UTF_8);

        Machine machine = Machine.current(options.get("load-end"));
        ResultsTable table = new ResultsTable(parse(merged));
        table.managers = readJson(options.get("managers"));
        table.agent = readJson(options.get("agent"));
        table.startup = readJson(options.get("startup"));
        String markdown = table.report(machine, options.get("started"), options.get("load-start"), options.get("elapsed"));
        Path report = Paths.get(options.get("markdown"));
        Files.writeString(report, markdown, StandardCharsets.UTF_8);
        System.out.println("wrote " + json + " (" + merged.size() + " results) and " + report);
    }

    private static JsonObject readJson(String file) throws IOException {
        if (file == null || !Files.isRegularFile(Paths.get(file))) {
            return null;
        }
        return JsonParser.parseString(Files.readString(Paths.get(file), StandardCharsets.UTF_8)).getAsJsonObject();
    }

    /** The JMH results in a JSON array as JMH writes it ({@code -rf json}). */
    static List<Result> parse(JsonArray array) {
        List<Result> parsed = new ArrayList<>();
        for (JsonElement element : array) {
            parsed.add(Result.of(element.getAsJsonObject()));
        }
        return parsed;
    }

    /** The Markdown report. {@code started}, {@code loadStart} and {@code elapsed} may be null. */
    static String render(List<Result> results, Machine machine, String started, String loadStart, String elapsed) {
        return new ResultsTable(results).report(machine, started, loadStart, elapsed);
    }

    private String report(Machine machine, String started, String loadStart, String elapsed) {
        out.add("# EKU Bridge benchmarks\n");
        out.add("- Date: " + machine.date + (started != null ? " (run started " + started + ")" : ""));
        out.add("- Machine: " + machine.cpus + " CPUs (available processors), " + machine.model);
        out.add("- Java: " + java());
        if (loadStart != null) {
            out.add("- Load average (1, 5, 15 min) at start: " + firstThree(loadStart) + "; at end: " + firstThree(machine.loadEnd));
        }
        if (elapsed != null) {
            out.add("- Run time: " + elapsed);
        }
        settings().forEach((benchmark, text) -> out.add("- " + benchmark + ": " + text));
        out.add("");

        interleaved(managers, "## Handshake throughput, EKU Bridge against the engine's own managers (interleaved, one JVM)\n",
            "Handshake throughput ratio EKU Bridge / engine's own managers >= 0.99 (ratio >= 0.99 and 95% interval's lower end >= 0.98)");
        interleaved(agent, "## Handshake throughput with the agent's retrofit against without it (interleaved, one JVM)\n",
            "Agent: no measurable per-handshake cost (retrofitted / unretrofitted >= 0.99, lower end >= 0.98)");
        handshakes();
        keySelection();
        decision();
        directAccount();
        agentHandshake();
        agentStartup();
        interleavedStartup();
        impliedHandshakeRatio();

        if (!verdicts.isEmpty()) {
            out.add("## Targets\n");
            out.add("| target | measured | verdict |");
            out.add("|---|---|---|");
            for (String[] verdict : verdicts) {
                out.add("| " + verdict[0] + " | " + verdict[1] + " | " + verdict[2] + " |");
            }
            out.add("");
        }
        if (agent == null && startup == null
                && results.stream().noneMatch(r -> r.withAgent() || r.benchmarkClass().equals("AgentStartupBenchmark"))) {
            out.add("Agent figures (handshake with and without the agent, agent start-up) are not in these results.\n");
        }
        return String.join("\n", out);
    }

    // ------------------------------------------------------------------------------------------------
    // the interleaved harnesses
    // ------------------------------------------------------------------------------------------------

    static final double SHOWN_RATIO = 0.99;
    static final double SHOWN_LOWER_END = 0.98;
    static final double FORMAT_TARGET_MS = 200;

    /** Whether a ratio with its interval shows the >= 0.99 target. */
    static String intervalVerdict(double ratio, double low, double high) {
        if (ratio >= SHOWN_RATIO && low >= SHOWN_LOWER_END) {
            return "shown";
        }
        if (high < SHOWN_RATIO) {
            return "MISSED (whole interval below 0.99)";
        }
        return ratio >= SHOWN_RATIO ? "not shown (lower end below 0.98)" : "not shown (ratio below 0.99)";
    }

    private void interleaved(JsonObject run, String title, String target) {
        if (run == null) {
            return;
        }
        out.add(title);
        out.add(String.format(Locale.ROOT, "%s, load average %s at start and %s at end, %s to %s. Blocks of %d handshakes (client "
            + "and server engines on one thread, no resumption); each ratio is baseline time / variant time of two blocks run back "
            + "to back in random order; a round of a group visits each of its variants once in random order, and the groups' rounds "
            + "are themselves interleaved (every super-round runs one round of each group, in random order), after %.0f s of "
            + "warm-up over all groups, for %.0f s per group in all. **Ratio** is that of the handshake thread's CPU time "
            + "(`ThreadMXBean.getCurrentThreadCpuTime`), i.e. throughput on a core of its own: on this shared machine the wall "
            + "time of a block also measures how much of a core the neighbours left us, which the **wall ratio** column shows. "
            + "Both: median over the rounds, with the distribution-free 95%% interval of that median from order statistics "
            + "(binomial ranks, no assumption on the distribution). A target is shown when the ratio is >= 0.99 and the "
            + "interval's lower end >= 0.98. µs per handshake: median CPU (and wall) time per handshake over the blocks; "
            + "B/handshake: bytes the thread allocated over all measured blocks, both sides together.\n",
            run.get("java").getAsString(), firstThree(run.get("loadStart").getAsString()), firstThree(run.get("loadEnd").getAsString()),
            run.get("started").getAsString(), run.get("ended").getAsString(), run.get("block").getAsInt(),
            run.get("warmupSeconds").getAsDouble(), run.get("seconds").getAsDouble()));
        out.add("| key | protocol | engine | variant | CPU µs/handshake | wall µs | B/handshake | ratio | 95% interval | wall ratio [95%] | pairs | verdict |");
        out.add("|---|---|---|---|---:|---:|---:|---:|---|---|---:|---|");
        String worstWhere = null;
        double worstLow = Double.MAX_VALUE;
        double worstRatio = 0;
        double worstHigh = 0;
        int shown = 0;
        int total = 0;
        double lowestRatio = Double.MAX_VALUE;
        String lowestWhere = null;
        for (JsonElement element : run.getAsJsonArray("groups")) {
            JsonObject group = element.getAsJsonObject();
            String where = group.get("key").getAsString() + " | " + group.get("protocol").getAsString() + " | "
                + group.get("jsse").getAsString();
            for (JsonElement v : group.getAsJsonArray("variants")) {
                JsonObject row = v.getAsJsonObject();
                String name = row.get("variant").getAsString();
                String cells = "| " + where + " | " + name + " | " + number(row.get("medianMicrosPerHandshake").getAsDouble(), 1)
                    + " | " + number(row.get("medianWallMicrosPerHandshake").getAsDouble(), 1)
                    + " | " + bytes(row.get("bytesPerHandshake").getAsDouble()) + " | ";
                if (!row.has("ratio")) {
                    out.add(cells + "1 (baseline) | | | | |");
                    continue;
                }
                double ratio = row.get("ratio").getAsDouble();
                double low = row.get("low").getAsDouble();
                double high = row.get("high").getAsDouble();
                String verdict = intervalVerdict(ratio, low, high);
                total++;
                if (verdict.equals("shown")) {
                    shown++;
                }
                if (low < worstLow) {
                    worstLow = low;
                    worstRatio = ratio;
                    worstHigh = high;
                    worstWhere = where.replace(" | ", " ") + " " + name;
                }
                if (ratio < lowestRatio) {
                    lowestRatio = ratio;
                    lowestWhere = where.replace(" | ", " ") + " " + name;
                }
                out.add(cells + String.format(Locale.ROOT, "%.4f | [%.4f, %.4f] | %.4f [%.4f, %.4f] | %d | %s |", ratio, low, high,
                    row.get("wallRatio").getAsDouble(), row.get("wallLow").getAsDouble(), row.get("wallHigh").getAsDouble(),
                    row.get("pairs").getAsInt(), verdict));
            }
        }
        out.add("");
        if (total > 0) {
            verdicts.add(new String[] {target + ", " + javaShort(run),
                String.format(Locale.ROOT, "%d of %d configurations shown; lowest interval %.4f [%.4f, %.4f] (%s); lowest ratio "
                    + "%.4f (%s)", shown, total, worstRatio, worstLow, worstHigh, worstWhere, lowestRatio, lowestWhere),
                shown == total ? "shown" : "not shown in " + (total - shown) + " of " + total});
        }
    }

    private static String javaShort(JsonObject run) {
        return "JDK " + run.get("javaVersion").getAsString();
    }

    /**
     * EKU Bridge's own work in one handshake, from the micro-benchmarks (JMH, -prof gc): one server and one client key
     * selection (1 identity, the dearer of the issuer variants), the inbound decision (over the JDK's PKIX manager: the
     * policy's cost; for the relaxed path the exception, its recognition and the skipped checks) and the outbound check
     * (costed like an inbound dual-EKU decision over an accepting delegate), against the handshake's time from the
     * interleaved run: the floor of the ratio any end-to-end measurement can show.
     */
    private void directAccount() {
        Map<String, Double> selectionNs = new TreeMap<>();
        Map<String, Double> selectionBytes = new TreeMap<>();
        for (Result r : select("KeySelectionBenchmark", r -> "EKU_BRIDGE".equals(r.params.get("manager"))
                && "1".equals(r.params.get("identities")) && r.method().startsWith("chooseEngine"))) {
            selectionNs.merge(r.method(), r.score, Math::max);
            selectionBytes.merge(r.method(), r.allocation == null ? 0 : r.allocation, Math::max);
        }
        Map<String, Result> decisions = new TreeMap<>();
        for (Result r : select("EkuDecisionBenchmark", r -> true)) {
            decisions.put(r.params.getOrDefault("delegate", "ACCEPT_ALL") + "/" + r.params.get("decision"), r);
        }
        if (selectionNs.size() < 2 || decisions.isEmpty()) {
            return;
        }
        double selections = selectionNs.values().stream().mapToDouble(Double::doubleValue).sum();
        double selectionB = selectionBytes.values().stream().mapToDouble(Double::doubleValue).sum();
        Result bareAccept = decisions.get("ACCEPT_ALL/BARE_DELEGATE");
        Result lenientAccept = decisions.get("ACCEPT_ALL/LENIENT");
        double outbound = bareAccept != null && lenientAccept != null ? Math.max(0, lenientAccept.score - bareAccept.score) : 0;
        double fastestMicros = Double.MAX_VALUE;
        if (managers != null) {
            for (JsonElement element : managers.getAsJsonArray("groups")) {
                for (JsonElement v : element.getAsJsonObject().getAsJsonArray("variants")) {
                    JsonObject row = v.getAsJsonObject();
                    if (!row.has("ratio")) {
                        fastestMicros = Math.min(fastestMicros, row.get("medianMicrosPerHandshake").getAsDouble());
                    }
                }
            }
        }
        out.add("## EKU Bridge's own work per handshake (direct account)\n");
        out.add("From the micro-benchmarks above (JMH, `-prof gc`): the two key selections (`chooseEngineServerAlias` + "
            + "`chooseEngineClientAlias`, 1 identity, the dearer issuer variant), the inbound decision over the engine's "
            + "real PKIX trust manager (policy cost = wrapped − bare), the outbound check (costed as the lenient decision "
            + "over an accepting delegate) and the counters (inside both decisions). The share is of the fastest baseline "
            + "handshake of the interleaved run" + (fastestMicros == Double.MAX_VALUE ? " (not in these results)"
            : String.format(Locale.ROOT, " (%,.0f µs)", fastestMicros)) + "; the implied ratio is the best any end-to-end "
            + "measurement could show if nothing but this work differed.\n");
        out.add("| path | delegate | key selections ns | inbound decision ns | outbound ns | total ns | bytes | share of handshake | implied ratio |");
        out.add("|---|---|---:|---:|---:|---:|---:|---:|---:|");
        for (String delegate : new String[] {"SUNJSSE_PKIX", "BCJSSE_PKIX", "ACCEPT_ALL"}) {
            Result bare = decisions.get(delegate + "/BARE_DELEGATE");
            if (bare == null) {
                continue;
            }
            for (String decision : new String[] {"STRICT", "LENIENT", "AUDIT", "SERVER_AUTH", "LENIENT_RELAXED"}) {
                Result r = decisions.get(delegate + "/" + decision);
                if (r == null) {
                    continue;
                }
                double inbound = r.score - bare.score;
                double total = selections + inbound + outbound;
                double bytes = selectionB + Math.max(0, (r.allocation == null ? 0 : r.allocation) - (bare.allocation == null ? 0 : bare.allocation));
                String share = fastestMicros == Double.MAX_VALUE ? "–" : String.format(Locale.ROOT, "%.4f%%", 100 * total / (fastestMicros * 1e3));
                String implied = fastestMicros == Double.MAX_VALUE ? "–"
                    : String.format(Locale.ROOT, "%.5f", fastestMicros * 1e3 / (fastestMicros * 1e3 + Math.max(0, total)));
                out.add("| " + decision + " | " + delegate + " | " + number(selections, 0) + " | " + number(inbound, 0) + " | "
                    + number(outbound, 0) + " | " + number(total, 0) + " | " + number(bytes, 0) + " | " + share + " | " + implied + " |");
                if (delegate.equals("SUNJSSE_PKIX") && decision.equals("LENIENT_RELAXED") && fastestMicros != Double.MAX_VALUE) {
                    double ratio = fastestMicros * 1e3 / (fastestMicros * 1e3 + Math.max(0, total));
                    verdicts.add(new String[] {"Implied handshake ratio from EKU Bridge's own work (relaxed path, the dearest)",
                        String.format(Locale.ROOT, "%,.0f ns and %,.0f B per handshake of %,.0f µs: ratio >= %.5f", total, bytes,
                            fastestMicros, ratio), ratio >= HANDSHAKE_TARGET_RATIO ? "met" : "MISSED"});
                }
            }
        }
        out.add("");
    }

    private void interleavedStartup() {
        if (startup == null) {
            return;
        }
        out.add("## Start-up: the agent, per identity format, and 1,000 identities (interleaved launches)\n");
        out.add(String.format(Locale.ROOT, "%s, load average %s at start and %s at end, %s to %s. Wall time from starting "
            + "`java -cp DIR Hello` to its exit; each of %d rounds starts every launch once in random order. `over none`: the "
            + "per-round difference to the launch without the agent; `over unencrypted`: to the agent with the same key as "
            + "unencrypted PKCS#8 PEM (EC P-256, or RSA 2048 for the RSA formats); medians with distribution-free 95%% "
            + "intervals.\n", startup.get("java").getAsString(), firstThree(startup.get("loadStart").getAsString()),
            firstThree(startup.get("loadEnd").getAsString()), startup.get("started").getAsString(), startup.get("ended").getAsString(),
            startup.get("rounds").getAsInt()));
        out.add("| launch | median ms | over none ms [95%] | over unencrypted ms [95%] | verdict |");
        out.add("|---|---:|---|---|---|");
        List<String> missed = new ArrayList<>();
        double worst = -Double.MAX_VALUE;
        String worstWhere = null;
        Double agentOverNone = null;
        String agentInterval = null;
        for (JsonElement element : startup.getAsJsonArray("launches")) {
            JsonObject row = element.getAsJsonObject();
            String launch = row.get("launch").getAsString();
            String overNone = difference(row, "overNone");
            String overReference = difference(row, "overReference");
            String verdict = "";
            if (row.has("overReference")) {
                JsonObject d = row.getAsJsonObject("overReference");
                double median = d.get("median").getAsDouble();
                double high = d.get("high").getAsDouble();
                boolean viaProvider = launch.equals("pem-pkcs8-aes192");
                verdict = median <= FORMAT_TARGET_MS && high <= FORMAT_TARGET_MS ? "within 200 ms"
                    : median <= FORMAT_TARGET_MS ? "median within 200 ms, interval not" : "MISSED";
                if (viaProvider) {
                    verdict += " (Bouncy Castle's provider: not a default format)";
                } else if (!launch.equals("jks-1000")) {
                    if (median > worst) {
                        worst = median;
                        worstWhere = launch + " " + overReference;
                    }
                    if (verdict.equals("MISSED")) {
                        missed.add(launch);
                    }
                }
            }
            if (launch.equals("agent") && row.has("overNone")) {
                agentOverNone = row.getAsJsonObject("overNone").get("median").getAsDouble();
                agentInterval = overNone;
                verdict = agentOverNone < AGENT_STARTUP_TARGET_MS ? "under 300 ms" : "MISSED";
            }
            out.add("| " + launch + " | " + number(row.get("medianMs").getAsDouble(), 1) + " | " + overNone + " | " + overReference
                + " | " + verdict + " |");
        }
        out.add("");
        String jdk = "JDK " + startup.get("javaVersion").getAsString();
        if (agentOverNone != null) {
            verdicts.add(new String[] {"Agent start-up cost under 300 ms (no identities), " + jdk, agentInterval,
                agentOverNone < AGENT_STARTUP_TARGET_MS ? "met" : "MISSED"});
        }
        if (worstWhere != null) {
            verdicts.add(new String[] {"Every supported key format loads within 200 ms of the unencrypted one (agent start-up), " + jdk,
                "largest: " + worstWhere, missed.isEmpty() ? "met" : "MISSED for " + missed});
        }
    }

    private static String difference(JsonObject row, String name) {
        if (!row.has(name)) {
            return "–";
        }
        JsonObject d = row.getAsJsonObject(name);
        return String.format(Locale.ROOT, "%+.1f [%+.1f, %+.1f]", d.get("median").getAsDouble(), d.get("low").getAsDouble(),
            d.get("high").getAsDouble());
    }

    /** The JVMs the benchmarks ran on, as JMH recorded them. */
    private String java() {
        TreeSet<String> jvms = new TreeSet<>();
        for (Result r : results) {
            jvms.add(r.jdkVersion + ", " + r.vmName + " " + r.vmVersion);
        }
        return jvms.isEmpty() ? "unknown" : String.join("; ", jvms);
    }

    private Map<String, String> settings() {
        Map<String, String> seen = new LinkedHashMap<>();
        for (Result r : results) {
            String name = r.benchmarkClass() + (r.withAgent() ? " (with agent)" : "");
            seen.putIfAbsent(name, "forks " + r.forks + ", warm-up " + r.warmupIterations + " × " + r.warmupTime
                + ", measurement " + r.measurementIterations + " × " + r.measurementTime + ", mode " + r.mode);
        }
        return seen;
    }

    // ------------------------------------------------------------------------------------------------
    // sections
    // ------------------------------------------------------------------------------------------------

    private void handshakes() {
        Map<List<String>, Result> byKey = new LinkedHashMap<>();
        for (Result r : select("HandshakeBenchmark", r -> !r.withAgent())) {
            byKey.put(r.handshakeKey(), r);
        }
        if (byKey.isEmpty()) {
            return;
        }
        out.add("## Full mutual-TLS handshake (in memory, new engines, no resumption)\n");
        out.add("Handshakes per second, higher is better. Ratios = EKU Bridge / JDK, against two JDK baselines with "
            + "the default (PKIX) trust manager and a dual-EKU client: `JDK`, the PKIX key manager the issue names, "
            + "which decrypts the PKCS12 private key (PBKDF2, 10,000 iterations) on every handshake; and "
            + "`JDK_SUNX509`, the JDK's default key manager algorithm, which decrypts it once. Errors are JMH's "
            + "99.9% intervals; a ratio's error combines both. `EKU_BRIDGE_LENIENT_RELAXED` accepts a "
            + "serverAuth-only client and is compared with the JDK accepting a dual-EKU client. "
            + "B/handshake is `gc.alloc.rate.norm`, both sides together. With one short fork per configuration "
            + "the errors capture only the noise within that run: on a machine shared with other work a ratio "
            + "below 1 may come from the load (see the load average above), which is why the targets also give the "
            + "ratio implied by EKU Bridge's own measured work per handshake.\n");
        out.add("| key | protocol | engine | managers | handshakes/s | ratio / JDK (PKIX) | ratio / JDK_SUNX509 | B/handshake |");
        out.add("|---|---|---|---|---:|---:|---:|---:|");
        Map<String, Worst> worst = new TreeMap<>();
        List<List<String>> keys = new ArrayList<>(byKey.keySet());
        keys.sort(Comparator.<List<String>, String>comparing(k -> k.get(0)).thenComparing(k -> k.get(1))
            .thenComparing(k -> k.get(2)).thenComparingInt(k -> baselineOrder(k.get(3))).thenComparing(k -> k.get(3)));
        for (List<String> key : keys) {
            Result r = byKey.get(key);
            String managers = key.get(3);
            List<String> cells = new ArrayList<>();
            for (String[] baseline : BASELINES) {
                Result base = byKey.get(List.of(key.get(0), key.get(1), key.get(2), baseline[0]));
                if (managers.equals(baseline[0])) {
                    cells.add("1 (baseline)");
                } else if (base == null) {
                    cells.add("–");
                } else {
                    double ratio = r.score / base.score;
                    Double error = ratioError(r.score, r.error, base.score, base.error);
                    cells.add(ratioText(ratio, error));
                    if (managers.startsWith("EKU_BRIDGE")) {
                        worst.merge(managers + " / " + baseline[1], new Worst(ratio, error, key.get(0) + " " + key.get(1)),
                            Worst::lower);
                    }
                }
            }
            out.add("| " + String.join(" | ", key) + " | " + withError(r.score, r.error) + " | " + cells.get(0) + " | "
                + cells.get(1) + " | " + bytes(r.allocation) + " |");
        }
        out.add("");
        worst.forEach((what, w) -> verdicts.add(new String[] {"Handshake ratio >= 0.99: " + what,
            "lowest " + ratioText(w.ratio, w.error) + " (" + w.where + ")", ratioVerdict(w.ratio, w.error)}));
    }

    private void keySelection() {
        List<Result> rows = select("KeySelectionBenchmark", r -> true);
        if (rows.isEmpty()) {
            return;
        }
        // (callback, issuers, engine, identities) -> manager -> result
        TreeMap<SelectionKey, Map<String, Result>> table = new TreeMap<>();
        for (Result r : rows) {
            String method = r.method();
            String engine = method.contains("Engine") ? r.params.getOrDefault("engine", "–") : "– (socket null)";
            SelectionKey key = new SelectionKey(method, r.params.get("issuers"), engine, Integer.parseInt(r.params.get("identities")));
            table.computeIfAbsent(key, k -> new TreeMap<>()).put(r.params.get("manager"), r);
        }
        out.add("## Key selection alone\n");
        out.add("Nanoseconds per `choose*Alias` call, lower is better; key type `EC`; issuers `NONE` (null, as in "
            + "TLS 1.3 without certificate_authorities) or `CA` (the issuing CA's name); engine `REAL` (a SunJSSE "
            + "engine with no handshake session, so no SNI) or `NULL`. \"× faster\" = JDK time / EKU Bridge time. "
            + "B/op is `gc.alloc.rate.norm` (`-prof gc`); below 0.5 B/op is shown as 0.\n");
        out.add("| callback | issuers | engine | identities | EKU Bridge ns/op | SunX509 ns/op | PKIX ns/op | "
            + "× faster than SunX509 | × faster than PKIX | EKU Bridge B/op | SunX509 B/op | PKIX B/op |");
        out.add("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        table.forEach((key, managers) -> {
            Result eku = managers.get("EKU_BRIDGE");
            Result sun = managers.get("SUNX509");
            Result pkix = managers.get("PKIX");
            out.add("| " + key.method + " | " + key.issuers + " | " + key.engine + " | " + String.format(Locale.ROOT, "%,d", key.identities)
                + " | " + number(score(eku)) + " | " + number(score(sun)) + " | " + number(score(pkix)) + " | "
                + speedup(eku, sun) + " | " + speedup(eku, pkix) + " | " + bytes(allocation(eku)) + " | "
                + bytes(allocation(sun)) + " | " + bytes(allocation(pkix)) + " |");
        });
        out.add("");

        // targets, over every callback/issuers/engine combination
        List<Measured> growth = new ArrayList<>();
        List<Measured> versusPkix = new ArrayList<>();
        List<Measured> allocations = new ArrayList<>();
        table.forEach((key, managers) -> {
            Result eku = managers.get("EKU_BRIDGE");
            if (eku == null) {
                return;
            }
            String where = key.method + " " + key.issuers + " " + key.engine;
            if (eku.allocation != null) {
                allocations.add(new Measured(eku.allocation, where + " " + key.identities));
            }
            if (key.identities == 10000) {
                Result one = table.getOrDefault(new SelectionKey(key.method, key.issuers, key.engine, 1), Map.of()).get("EKU_BRIDGE");
                if (one != null) {
                    growth.add(new Measured(eku.score / one.score, where));
                }
                Result pkix = managers.get("PKIX");
                if (pkix != null) {
                    versusPkix.add(new Measured(pkix.score / eku.score, where));
                }
            }
        });
        if (!growth.isEmpty()) {
            Measured w = Collections.max(growth);
            verdicts.add(new String[] {"Key selection constant: EKU Bridge at 10,000 within 2× of 1",
                String.format(Locale.ROOT, "worst 10,000/1 = %.2f (%s)", w.value, w.where), w.value <= 2 ? "met" : "MISSED"});
        }
        if (!versusPkix.isEmpty()) {
            Measured w = Collections.min(versusPkix);
            verdicts.add(new String[] {"Key selection at 10,000 at least 50× faster than the JDK's PKIX key manager",
                String.format(Locale.ROOT, "least %,.0f× (%s)", w.value, w.where), w.value >= 50 ? "met" : "MISSED"});
        }
        if (!allocations.isEmpty()) {
            Measured w = Collections.max(allocations);
            verdicts.add(new String[] {"Key selection allocates zero bytes (EKU Bridge, every callback)",
                String.format(Locale.ROOT, "largest %.4f B/op (%s)", w.value, w.where),
                w.value < ZERO_ALLOCATION_BYTES ? "met" : "MISSED"});
        }
    }

    private void decision() {
        // delegate -> decision -> result
        Map<String, Map<String, Result>> byDelegate = new TreeMap<>(Comparator.comparingInt(ResultsTable::delegateOrder));
        for (Result r : select("EkuDecisionBenchmark", r -> true)) {
            byDelegate.computeIfAbsent(r.params.getOrDefault("delegate", "ACCEPT_ALL"), d -> new TreeMap<>(
                Comparator.<String>comparingInt(ResultsTable::decisionOrder).thenComparing(Comparator.naturalOrder())))
                .put(r.params.get("decision"), r);
        }
        if (byDelegate.isEmpty()) {
            return;
        }
        out.add("## The EKU decision alone\n");
        out.add("`EkuPolicyTrustManager.checkClientTrusted` over a delegate, against that delegate called directly with a "
            + "dual-EKU client (`BARE_DELEGATE`): the policy's own cost per inbound handshake. `ACCEPT_ALL`: a delegate that "
            + "accepts everything, called with an engine (the policy's own work: EKU, rule, counting). `SUNJSSE_PKIX`, "
            + "`BCJSSE_PKIX`: the engines' real PKIX trust managers (full path validation, called without an engine); there "
            + "`LENIENT_RELAXED` (a serverAuth-only client) is the whole relaxed path: the engine's EKU refusal with its "
            + "exception and stack trace, EKU Bridge's recognition of it and the end-entity checks the refusal skipped.\n");
        out.add("| delegate | decision | ns/op | policy cost (ns) | B/op | policy bytes |");
        out.add("|---|---|---:|---:|---:|---:|");
        List<Measured> allocations = new ArrayList<>();
        byDelegate.forEach((delegate, byDecision) -> {
            Result bare = byDecision.get("BARE_DELEGATE");
            byDecision.forEach((decision, r) -> {
                boolean base = bare == null || decision.equals("BARE_DELEGATE");
                String cost = base ? "–" : number(r.score - bare.score);
                String bytesCost = base || r.allocation == null || bare.allocation == null ? "–"
                    : number(Math.max(0, r.allocation - bare.allocation), 0);
                out.add("| " + delegate + " | " + decision + " | " + withError(r.score, r.error) + " | " + cost + " | "
                    + bytes(r.allocation) + " | " + bytesCost + " |");
                if (delegate.equals("ACCEPT_ALL") && !decision.equals("BARE_DELEGATE") && !decision.equals("LENIENT_RELAXED")
                        && !decision.equals("SERVER_AUTH") && r.allocation != null) {
                    allocations.add(new Measured(r.allocation, decision));
                }
            });
        });
        out.add("");
        if (!allocations.isEmpty()) {
            Measured w = Collections.max(allocations);
            verdicts.add(new String[] {"EKU decision for a dual-EKU peer allocates zero bytes (strict, lenient, audit)",
                String.format(Locale.ROOT, "largest %.4f B/op (%s)", w.value, w.where),
                w.value < ZERO_ALLOCATION_BYTES ? "met" : "MISSED"});
        }
    }

    private static int delegateOrder(String delegate) {
        int index = List.of("ACCEPT_ALL", "SUNJSSE_PKIX", "BCJSSE_PKIX").indexOf(delegate);
        return index < 0 ? 99 : index;
    }

    private void agentHandshake() {
        List<Result> handshakes = select("HandshakeBenchmark", r -> true);
        List<Result> agentRows = handshakes.stream().filter(Result::withAgent).collect(Collectors.toList());
        if (agentRows.isEmpty()) {
            return;
        }
        Map<List<String>, Result> without = new TreeMap<>(ResultsTable::compareKeys);
        handshakes.stream().filter(r -> !r.withAgent()).forEach(r -> without.put(r.handshakeKey(), r));
        Map<List<String>, Result> with = new TreeMap<>(ResultsTable::compareKeys);
        agentRows.forEach(r -> with.putIfAbsent(r.handshakeKey(), r));
        TreeSet<String> arguments = agentRows.stream().map(Result::agentArguments).collect(Collectors.toCollection(TreeSet::new));
        out.add("## The same handshake with the agent attached\n");
        out.add("The JDK variant run a second time in a JVM started with `-javaagent:ekubridge-agent.jar="
            + String.join(", ", arguments) + "`, same settings. The application's code is unchanged; in `SSLContext.init` "
            + "the agent keeps the JDK key manager (it has no identities to add) and wraps EKU Bridge's policy around "
            + "the JDK trust manager, so a dual-EKU client is validated by the same JDK checks plus the policy's EKU "
            + "decision. The benchmark's set-up first verifies the wrapping (a serverAuth-only client is accepted). "
            + "Handshakes per second, higher is better; ratio = with agent / without (the row of the first table), "
            + "with the combined error.\n");
        out.add("| key | protocol | engine | managers | without agent | with agent | ratio with / without | "
            + "B/handshake without | B/handshake with |");
        out.add("|---|---|---|---|---:|---:|---:|---:|---:|");
        Worst worst = null;
        for (Map.Entry<List<String>, Result> entry : with.entrySet()) {
            List<String> key = entry.getKey();
            Result r = entry.getValue();
            Result base = without.get(key);
            if (base == null) {
                out.add("| " + String.join(" | ", key) + " | – | " + withError(r.score, r.error) + " | – | – | " + bytes(r.allocation) + " |");
                continue;
            }
            double ratio = r.score / base.score;
            Double error = ratioError(r.score, r.error, base.score, base.error);
            out.add("| " + String.join(" | ", key) + " | " + withError(base.score, base.error) + " | " + withError(r.score, r.error)
                + " | " + ratioText(ratio, error) + " | " + bytes(base.allocation) + " | " + bytes(r.allocation) + " |");
            Worst candidate = new Worst(ratio, error, key.get(0) + " " + key.get(1) + " " + key.get(3));
            worst = worst == null ? candidate : worst.lower(candidate);
        }
        out.add("");
        if (worst != null) {
            verdicts.add(new String[] {
                "Agent: no measurable per-handshake cost beyond the managers (ratio with / without agent >= 0.99)",
                "lowest " + ratioText(worst.ratio, worst.error) + " (" + worst.where + ")", ratioVerdict(worst.ratio, worst.error)});
        }
    }

    private void agentStartup() {
        Map<String, Result> rows = new TreeMap<>();
        for (Result r : select("AgentStartupBenchmark", r -> true)) {
            rows.put(r.params.get("launch"), r);
        }
        if (rows.isEmpty()) {
            return;
        }
        String unit = rows.values().iterator().next().unit;
        Double scale = Map.of("s/op", 1000.0, "ms/op", 1.0, "us/op", 1e-3, "ns/op", 1e-6).get(unit);
        if (scale == null) {
            out.add("Agent start-up: unexpected unit " + unit + ", not reported.\n");
            return;
        }
        out.add("## The agent's start-up cost\n");
        out.add("Wall time from starting `java -cp DIR Hello` (a compiled class that prints one line) to its exit, "
            + "without and with `-javaagent:ekubridge-agent.jar=inbound.eku=lenient`, one process per iteration "
            + "(JMH single-shot mode); milliseconds, lower is better.\n");
        out.add("| launch | launches | median ms | mean ms | min ms | max ms |");
        out.add("|---|---:|---:|---:|---:|---:|");
        Map<String, Double> medians = new TreeMap<>();
        for (String launch : new String[] {"none", "agent"}) {
            Result r = rows.get(launch);
            if (r == null || r.rawData.isEmpty()) {
                continue;
            }
            double[] values = r.rawData.stream().mapToDouble(v -> v * scale).sorted().toArray();
            double median = median(values);
            medians.put(launch, median);
            out.add("| " + launch + " | " + values.length + " | " + number(median, 1) + " | "
                + withError(r.score * scale, r.error == null ? null : r.error * scale) + " | " + number(values[0], 1) + " | "
                + number(values[values.length - 1], 1) + " |");
        }
        out.add("");
        if (medians.containsKey("none") && medians.containsKey("agent")) {
            double added = medians.get("agent") - medians.get("none");
            out.add(String.format(Locale.ROOT, "Added by the agent (difference of the medians): **%.1f ms** (target: under %.0f ms).\n",
                added, AGENT_STARTUP_TARGET_MS));
            verdicts.add(new String[] {String.format(Locale.ROOT,
                "Agent start-up cost under %.0f ms (median with − median without)", AGENT_STARTUP_TARGET_MS),
                String.format(Locale.ROOT, "%.1f ms (%.1f − %.1f ms)", added, medians.get("agent"), medians.get("none")),
                added < AGENT_STARTUP_TARGET_MS ? "met" : "MISSED"});
        }
    }

    /**
     * EKU Bridge's own work in one handshake, from the micro-benchmarks, against the fastest JDK handshake. A
     * mutual-TLS handshake makes one server and one client key selection and two trust decisions (inbound on the
     * server, outbound on the client); the outbound check is costed like the inbound decision. Wall-clock handshake
     * ratios on a shared machine carry the machine's noise; this bound does not.
     */
    private void impliedHandshakeRatio() {
        Map<String, Double> selection = new TreeMap<>();
        List<Double> decisionCosts = new ArrayList<>();
        Double bare = null;
        double fastest = 0;
        for (Result r : results) {
            String benchmark = r.benchmarkClass();
            if (benchmark.equals("KeySelectionBenchmark") && "EKU_BRIDGE".equals(r.params.get("manager"))
                    && r.method().startsWith("chooseEngine")) {
                selection.merge(r.method(), r.score, Math::max);
            } else if (benchmark.equals("EkuDecisionBenchmark") && "ACCEPT_ALL".equals(r.params.getOrDefault("delegate", "ACCEPT_ALL"))) {
                if ("BARE_DELEGATE".equals(r.params.get("decision"))) {
                    bare = r.score;
                } else {
                    decisionCosts.add(r.score);
                }
            } else if (benchmark.equals("HandshakeBenchmark") && r.params.getOrDefault("managers", "").startsWith("JDK") && !r.withAgent()) {
                fastest = Math.max(fastest, r.score);
            }
        }
        if (selection.size() < 2 || decisionCosts.isEmpty() || bare == null || fastest == 0) {
            return;
        }
        double ownNs = selection.values().stream().mapToDouble(Double::doubleValue).sum() + 2 * (Collections.max(decisionCosts) - bare);
        double handshakeNs = 1e9 / fastest;
        double ratio = handshakeNs / (handshakeNs + ownNs);
        verdicts.add(new String[] {
            "Implied handshake ratio from EKU Bridge's own work (2 key selections + 2 EKU decisions, worst cases)",
            String.format(Locale.ROOT, "%.0f ns per handshake of %,.0f µs: ratio >= %.5f", ownNs, handshakeNs / 1e3, ratio),
            ratio >= HANDSHAKE_TARGET_RATIO ? "met" : "MISSED"});
    }

    // ------------------------------------------------------------------------------------------------
    // helpers
    // ------------------------------------------------------------------------------------------------

    private List<Result> select(String benchmark, Predicate<Result> filter) {
        return results.stream().filter(r -> r.benchmarkClass().equals(benchmark)).filter(filter).collect(Collectors.toList());
    }

    private static int baselineOrder(String managers) {
        return managers.equals("JDK") ? 0 : managers.equals("JDK_SUNX509") ? 1 : 2;
    }

    private static int decisionOrder(String decision) {
        int index = DECISION_ORDER.indexOf(decision);
        return index < 0 ? 99 : index;
    }

    private static int compareKeys(List<String> a, List<String> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = a.get(i).compareTo(b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    static String ratioVerdict(double ratio, Double error) {
        if (ratio >= HANDSHAKE_TARGET_RATIO) {
            return "met";
        }
        if (error != null && ratio + error >= HANDSHAKE_TARGET_RATIO) {
            return "not shown: below 0.99 but within the measurement error";
        }
        return "MISSED";
    }

    private static String ratioText(double ratio, Double error) {
        return String.format(Locale.ROOT, "%.3f", ratio) + (error != null ? String.format(Locale.ROOT, " ± %.3f", error) : "");
    }

    /** Error of a / b from the errors of a and b (independent: relative errors add in quadrature). */
    static Double ratioError(double a, Double errorA, double b, Double errorB) {
        if (errorA == null || errorB == null || a == 0 || b == 0) {
            return null;
        }
        return a / b * Math.sqrt(Math.pow(errorA / a, 2) + Math.pow(errorB / b, 2));
    }

    private static String speedup(Result eku, Result other) {
        if (eku == null || other == null || eku.score == 0) {
            return "–";
        }
        double times = other.score / eku.score;
        return String.format(Locale.ROOT, times >= 10 ? "%,.0f×" : "%.2f×", times);
    }

    private static Double score(Result r) {
        return r == null ? null : r.score;
    }

    private static Double allocation(Result r) {
        return r == null ? null : r.allocation;
    }

    /** A figure with as many decimals as its size deserves: 12,345 / 123.4 / 12.34 / 0.123. */
    static String number(Double value) {
        if (value == null) {
            return "–";
        }
        if (value == 0) {
            return "0";
        }
        double magnitude = Math.abs(value);
        return number(value, magnitude >= 1000 ? 0 : magnitude >= 100 ? 1 : magnitude >= 1 ? 2 : 3);
    }

    private static String number(double value, int decimals) {
        return String.format(Locale.ROOT, "%,." + decimals + "f", value);
    }

    static String bytes(Double value) {
        if (value == null) {
            return "–";
        }
        return value < ZERO_ALLOCATION_BYTES ? "0" : number(value, 0);
    }

    static String withError(double value, Double error) {
        return error == null ? number(value) : number(value) + " ± " + number(error);
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static String firstThree(String loadAverage) {
        return Arrays.stream(loadAverage.trim().split("\\s+")).limit(3).collect(Collectors.joining(" "));
    }

    /** The lowest ratio seen for one comparison, with its error and where it was measured. */
    private record Worst(double ratio, Double error, String where) {
        Worst lower(Worst other) {
            return other.ratio < ratio ? other : this;
        }
    }

    /** A figure and where it was measured; ordered by the figure, then the place. */
    private record Measured(double value, String where) implements Comparable<Measured> {
        @Override
        public int compareTo(Measured other) {
            int c = Double.compare(value, other.value);
            return c != 0 ? c : where.compareTo(other.where);
        }
    }

    private record SelectionKey(String method, String issuers, String engine, int identities) implements Comparable<SelectionKey> {
        @Override
        public int compareTo(SelectionKey other) {
            return Comparator.comparing(SelectionKey::method).thenComparing(SelectionKey::issuers)
                .thenComparing(SelectionKey::engine).thenComparingInt(SelectionKey::identities).compare(this, other);
        }
    }

    /** Where the report was written: the date, the processors and the load average at the end. */
    record Machine(String date, int cpus, String model, String loadEnd) {
        static Machine current(String loadEnd) {
            String model = System.getProperty("os.arch");
            try {
                model = Files.readAllLines(Paths.get("/proc/cpuinfo"), StandardCharsets.UTF_8).stream()
                    .filter(line -> line.startsWith("model name")).map(line -> line.substring(line.indexOf(':') + 1).trim())
                    .findFirst().orElse(model);
            } catch (IOException e) {
                // not Linux: the architecture will do
            }
            if (loadEnd == null) {
                try {
                    loadEnd = Files.readString(Paths.get("/proc/loadavg"), StandardCharsets.UTF_8).trim();
                } catch (IOException e) {
                    loadEnd = "unknown";
                }
            }
            String date = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT));
            return new Machine(date, Runtime.getRuntime().availableProcessors(), model, loadEnd);
        }
    }

    /** One JMH result, as JMH writes it in its JSON result file. */
    static final class Result {
        final String benchmark;
        final String mode;
        final Map<String, String> params = new TreeMap<>();
        final List<String> jvmArgs = new ArrayList<>();
        final String forks;
        final String warmupIterations;
        final String warmupTime;
        final String measurementIterations;
        final String measurementTime;
        final String jdkVersion;
        final String vmName;
        final String vmVersion;
        final double score;
        /** JMH's 99.9% half-interval; null when JMH could not compute it (NaN: too few samples). */
        final Double error;
        final String unit;
        /** Every sample of every fork, in the score's unit. */
        final List<Double> rawData = new ArrayList<>();
        /** {@code gc.alloc.rate.norm} (bytes per operation) when run with {@code -prof gc}. */
        final Double allocation;

        private Result(JsonObject json) {
            benchmark = text(json, "benchmark");
            mode = text(json, "mode");
            forks = text(json, "forks");
            warmupIterations = text(json, "warmupIterations");
            warmupTime = text(json, "warmupTime");
            measurementIterations = text(json, "measurementIterations");
            measurementTime = text(json, "measurementTime");
            jdkVersion = text(json, "jdkVersion");
            vmName = text(json, "vmName");
            vmVersion = text(json, "vmVersion");
            if (json.has("params")) {
                json.getAsJsonObject("params").entrySet().forEach(e -> params.put(e.getKey(), e.getValue().getAsString()));
            }
            if (json.has("jvmArgs")) {
                json.getAsJsonArray("jvmArgs").forEach(arg -> jvmArgs.add(arg.getAsString()));
            }
            JsonObject primary = json.getAsJsonObject("primaryMetric");
            score = number(primary.get("score")).orElseThrow(() -> new IllegalArgumentException(benchmark + ": no score"));
            error = number(primary.get("scoreError")).orElse(null);
            unit = text(primary, "scoreUnit");
            if (primary.has("rawData")) {
                for (JsonElement fork : primary.getAsJsonArray("rawData")) {
                    fork.getAsJsonArray().forEach(value -> number(value).ifPresent(rawData::add));
                }
            }
            JsonObject secondary = json.has("secondaryMetrics") ? json.getAsJsonObject("secondaryMetrics") : new JsonObject();
            allocation = secondary.has("gc.alloc.rate.norm")
                ? number(secondary.getAsJsonObject("gc.alloc.rate.norm").get("score")).orElse(null) : null;
        }

        static Result of(JsonObject json) {
            return new Result(json);
        }

        /** JMH writes NaN and infinities as strings. */
        private static Optional<Double> number(JsonElement element) {
            if (element == null || element.isJsonNull()) {
                return Optional.empty();
            }
            double value = element.getAsJsonPrimitive().isNumber() ? element.getAsDouble() : Double.parseDouble(element.getAsString());
            return Double.isNaN(value) || Double.isInfinite(value) ? Optional.empty() : Optional.of(value);
        }

        private static String text(JsonObject json, String key) {
            JsonElement element = json.get(key);
            return element == null || element.isJsonNull() ? "?" : element.getAsString();
        }

        String benchmarkClass() {
            String name = benchmark.startsWith(PACKAGE) ? benchmark.substring(PACKAGE.length()) : benchmark;
            int dot = name.lastIndexOf('.');
            return dot < 0 ? "" : name.substring(0, dot);
        }

        String method() {
            return benchmark.substring(benchmark.lastIndexOf('.') + 1);
        }

        /** Whether the fork ran with the EKU Bridge agent (run.sh's handshake-agent run). */
        boolean withAgent() {
            return agentArguments() != null;
        }

        /** The EKU Bridge agent's arguments in this fork's JVM arguments; "" without any; null without the agent. */
        String agentArguments() {
            for (String arg : jvmArgs) {
                if (arg.startsWith("-javaagent:") && arg.contains("ekubridge-agent")) {
                    int jarEnd = arg.indexOf(".jar");
                    int equals = arg.indexOf('=', Math.max(jarEnd, 0));
                    return equals < 0 ? "" : arg.substring(equals + 1);
                }
            }
            return null;
        }

        /** key, protocol, engine, managers */
        List<String> handshakeKey() {
            return List.of(params.getOrDefault("keyKind", "?"), params.getOrDefault("protocol", "?"),
                params.getOrDefault("jsse", "SunJSSE"), params.getOrDefault("managers", "?"));
        }
    }
}
