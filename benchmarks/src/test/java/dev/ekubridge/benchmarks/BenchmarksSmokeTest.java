package dev.ekubridge.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Proves that every benchmark runs (set-up, verification and one very short measurement), so that a
 * broken benchmark cannot land. Never a timed assertion: the figures come from {@code benchmarks/run.sh}.
 * In-process (no fork) to stay within seconds, except the with-agent handshake, which needs a JVM
 * started with the agent; one parameter combination per benchmark axis that is expensive to set up,
 * every manager and mode otherwise. The agent tests need agent/target/ekubridge-agent.jar, which the
 * reactor builds before this module.
 *
 * <p>Each run also writes JMH's JSON result file, as {@code benchmarks/run.sh} has JMH do; the last test renders
 * {@link ResultsTable}'s report from those files and checks it against the {@link RunResult}s JMH returned.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BenchmarksSmokeTest {
    private static final Path RESULTS = Paths.get("target", "smoke-results");
    /** Each run's results by its JSON file's name, for the report test. */
    private static final Map<String, Collection<RunResult>> RUNS = new TreeMap<>();

    @BeforeAll
    static void cleanResults() throws IOException {
        // JMH's machine-wide lock (/tmp/jmh.lock) keeps two measurements from disturbing each other; these runs
        // measure nothing, and a build must not fail because a benchmark or another build is running beside it
        System.setProperty("jmh.ignoreLock", "true");
        Files.createDirectories(RESULTS);
        try (var files = Files.list(RESULTS)) {
            for (Path file : files.collect(Collectors.toList())) {
                Files.delete(file);
            }
        }
    }

    @Test
    @Order(1)
    void everyHandshakeVariantCompletesMutualTls() throws RunnerException {
        Collection<RunResult> results = run("handshake", options(HandshakeBenchmark.class)
            .param("keyKind", "EC_P256")
            .param("protocol", "TLSv1.3"));

        assertThat(labels(results)).containsExactlyInAnyOrder(
            "handshake JDK", "handshake JDK_SUNX509", "handshake EKU_BRIDGE_STRICT", "handshake EKU_BRIDGE_LENIENT", "handshake EKU_BRIDGE_AUDIT",
            "handshake EKU_BRIDGE_SERVER_AUTH", "handshake EKU_BRIDGE_LENIENT_RELAXED");
        assertScored(results);
    }

    @Test
    @Order(2)
    void everyKeySelectionCallbackChoosesWithEveryManager() throws RunnerException {
        Collection<RunResult> results = run("key-selection", options(KeySelectionBenchmark.class).param("identities", "100"));

        // 3 managers x 2 issuer variants x (2 socket callbacks + 2 engine callbacks x 2 engine arguments)
        assertThat(results).hasSize(3 * 2 * (2 + 2 * 2));
        assertThat(labels(results)).contains("chooseServerAlias EKU_BRIDGE", "chooseEngineClientAlias PKIX",
            "chooseClientAlias SUNX509");
        assertScored(results);
    }

    @Test
    @Order(3)
    void everyEkuDecisionRuns() throws RunnerException {
        Collection<RunResult> results = run("eku-decision", options(EkuDecisionBenchmark.class));

        // every decision over each delegate: accept-all, SunJSSE's and BCJSSE's PKIX trust managers
        assertThat(results).hasSize(6 * 3);
        assertThat(labels(results)).contains("checkClientTrusted BARE_DELEGATE", "checkClientTrusted STRICT",
            "checkClientTrusted LENIENT", "checkClientTrusted AUDIT", "checkClientTrusted SERVER_AUTH",
            "checkClientTrusted LENIENT_RELAXED");
        assertThat(results).extracting(r -> r.getParams().getParam("delegate")).containsOnly("ACCEPT_ALL", "SUNJSSE_PKIX", "BCJSSE_PKIX");
        assertScored(results);
    }

    /**
     * The agent's start-up benchmark: one launch of the Hello program without and one with the agent
     * (its set-up first checks that the program prints Hello and that the agent reports it installed).
     */
    @Test
    @Order(4)
    void agentStartupLaunchesWithAndWithoutTheAgent() throws RunnerException {
        Path agent = agentJar();
        // in-process: the benchmark finds the jar the way it does without -Dekubridge.agent.jar
        assertThat(AgentStartupBenchmark.agentJar()).isEqualTo(agent);
        Collection<RunResult> results = run("agent-startup", options(AgentStartupBenchmark.class)
            .param("launch", "none", "agent", "pem-pkcs8-encrypted"));

        assertThat(results).extracting(r -> r.getParams().getParam("launch")).containsExactlyInAnyOrder("none", "agent",
            "pem-pkcs8-encrypted");
        assertScored(results);
    }

    /** The interleaved handshake harness in the managers mode: every variant of one group, both engines, a moment each. */
    @Test
    @Order(7)
    void interleavedHandshakesCompareEveryModeWithTheEnginesManagers() throws Exception {
        Path json = RESULTS.resolve("interleaved-managers.json");
        InterleavedHandshakes.main(new String[] {"--mode", "managers", "--seconds", "0.2", "--warmup", "0", "--block", "1",
            "--keys", "EC_P256", "--protocols", "TLSv1.3", "--jsse", "SunJSSE,BCJSSE", "--json", json.toString()});

        JsonObject result = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
        assertThat(result.getAsJsonArray("groups")).hasSize(2);
        for (var group : result.getAsJsonArray("groups")) {
            assertThat(group.getAsJsonObject().get("rounds").getAsInt()).isGreaterThanOrEqualTo(6);
            assertThat(group.getAsJsonObject().getAsJsonArray("variants")).extracting(v -> v.getAsJsonObject().get("variant").getAsString())
                .containsExactly("JDK", "EKU_BRIDGE_STRICT", "EKU_BRIDGE_LENIENT", "EKU_BRIDGE_LENIENT_RELAXED", "EKU_BRIDGE_AUDIT",
                    "EKU_BRIDGE_SERVER_AUTH");
        }
    }

    /**
     * The agent mode, in a JVM started with the agent: the set-up fails unless contexts made with the hooks on accept a
     * serverAuth-only client and contexts made with them switched off refuse it.
     */
    @Test
    @Order(8)
    void interleavedHandshakesCompareTheAgentsRetrofitWithoutIt() throws Exception {
        Path json = RESULTS.resolve("interleaved-agent.json");
        Process process = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
            "-javaagent:" + agentJar() + "=inbound.eku=lenient", "-cp", System.getProperty("java.class.path"),
            InterleavedHandshakes.class.getName(), "--mode", "agent", "--seconds", "0.2", "--warmup", "0", "--block", "1",
            "--keys", "EC_P256", "--protocols", "TLSv1.2", "--jsse", "SunJSSE,BCJSSE", "--json", json.toString())
            .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(process.waitFor()).as(output).isZero();
        JsonObject result = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
        assertThat(result.get("agentArguments").getAsString()).isEqualTo("inbound.eku=lenient");
        assertThat(result.getAsJsonArray("groups")).hasSize(2).allSatisfy(group -> assertThat(group.getAsJsonObject()
            .getAsJsonArray("variants")).extracting(v -> v.getAsJsonObject().get("variant").getAsString())
            .containsExactly("NO_AGENT", "AGENT"));
    }

    /** The interleaved start-up harness: one round of a few launches, with the differences it reports. */
    @Test
    @Order(9)
    void interleavedStartupLaunchesEachFormat() throws Exception {
        Path json = RESULTS.resolve("startup.json");
        InterleavedStartup.main(new String[] {"--rounds", "1", "--warmup", "0", "--launches",
            "none,agent,pem-pkcs8,pem-pkcs8-encrypted,pem-pkcs8-2des,pem-legacy-encrypted,pem-pkcs8-rsa", "--json", json.toString()});

        JsonObject result = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
        assertThat(result.getAsJsonArray("launches")).hasSize(7);
        assertThat(result.getAsJsonArray("launches")).filteredOn(l -> l.getAsJsonObject().get("launch").getAsString()
            .equals("pem-pkcs8-encrypted")).singleElement().satisfies(l -> assertThat(l.getAsJsonObject().has("overReference")).isTrue());
    }

    /** The report from the interleaved harnesses' results: their tables, the direct account and the targets. */
    @Test
    @Order(10)
    void resultsTableRendersTheInterleavedResults() throws IOException {
        Path markdown = RESULTS.resolve("interleaved.md");
        ResultsTable.main(new String[] {"--json", RESULTS.resolve("interleaved-merged.json").toString(), "--markdown", markdown.toString(),
            "--managers", RESULTS.resolve("interleaved-managers.json").toString(), "--agent",
            RESULTS.resolve("interleaved-agent.json").toString(), "--startup", RESULTS.resolve("startup.json").toString(),
            RESULTS.resolve("eku-decision.json").toString(), RESULTS.resolve("key-selection.json").toString()});

        String report = Files.readString(markdown, StandardCharsets.UTF_8);
        List<String> lines = Arrays.asList(report.split("\n"));
        assertThat(report).contains("## Handshake throughput, EKU Bridge against the engine's own managers",
            "## Handshake throughput with the agent's retrofit", "## Start-up: the agent, per identity format",
            "| Handshake throughput ratio EKU Bridge / engine's own managers >= 0.99", "| Agent: no measurable per-handshake cost",
            "| Every supported key format loads within 200 ms of the unencrypted one");
        assertThat(lines).filteredOn(line -> line.startsWith("| EC_P256 | TLSv1.3 | ") && line.contains(" | EKU_BRIDGE_")).hasSize(2 * 5)
            .allMatch(line -> line.matches(".* \\| \\[\\d\\.\\d+, \\d\\.\\d+\\] \\| .*"), "an interval on every ratio");
        assertThat(lines).anyMatch(line -> line.startsWith("| EC_P256 | TLSv1.2 | BCJSSE | AGENT | "));
        assertThat(lines).anyMatch(line -> line.startsWith("| pem-pkcs8-encrypted | "));
    }

    /**
     * The with-agent handshake of run.sh: the JDK managers in a forked JVM started with the agent, whose
     * set-up fails unless the agent wrapped EKU Bridge's lenient policy around them (a serverAuth-only
     * client must be accepted).
     */
    @Test
    @Order(5)
    void handshakeRunsWithTheAgentAttached() throws RunnerException {
        String javaagent = "-javaagent:" + agentJar() + "=inbound.eku=lenient";
        Collection<RunResult> results = run("handshake-agent", options(HandshakeBenchmark.class)
            .forks(1)
            .jvmArgsAppend(javaagent)
            .param("keyKind", "EC_P256")
            .param("protocol", "TLSv1.3")
            .param("managers", "JDK_SUNX509"));

        assertThat(labels(results)).containsExactly("handshake JDK_SUNX509");
        assertThat(results.iterator().next().getParams().getJvmArgs()).contains(javaagent);
        assertScored(results);
    }

    /**
     * The report run.sh writes, from the JSON files of the runs above: every table has a row per configuration that
     * ran, its figures are JMH's own, and the targets that these results can decide are there.
     */
    @Test
    @Order(6)
    void resultsTableRendersTheReportFromJmhsJsonResults() throws IOException {
        assertThat(RUNS).as("the runs above, each of which wrote its JSON file").containsOnlyKeys(
            "handshake", "key-selection", "eku-decision", "agent-startup", "handshake-agent");
        Path json = RESULTS.resolve("results.json");
        Path markdown = RESULTS.resolve("results.md");
        List<String> args = new ArrayList<>(List.of("--json", json.toString(), "--markdown", markdown.toString(),
            "--started", "2026-01-01T00:00:00Z", "--load-start", "0.50 0.40 0.30 1/100 1234", "--elapsed", "1 min 2 s"));
        RUNS.keySet().forEach(name -> args.add(RESULTS.resolve(name + ".json").toString()));

        ResultsTable.main(args.toArray(new String[0]));

        int runResults = RUNS.values().stream().mapToInt(Collection::size).sum();
        assertThat(JsonParser.parseString(Files.readString(json)).getAsJsonArray()).as("merged JSON").hasSize(runResults);
        String report = Files.readString(markdown, StandardCharsets.UTF_8);
        List<String> lines = Arrays.asList(report.split("\n"));
        assertThat(report).startsWith("# EKU Bridge benchmarks").contains(
            "(run started 2026-01-01T00:00:00Z)", "- Load average (1, 5, 15 min) at start: 0.50 0.40 0.30; at end: ",
            "- Run time: 1 min 2 s", "- HandshakeBenchmark: forks 0,", "- HandshakeBenchmark (with agent): forks 1,",
            "- Java: " + System.getProperty("java.version"));

        // handshakes: a row per manager, ratios computed from the scores JMH returned
        Map<String, Double> handshake = new TreeMap<>();
        RUNS.get("handshake").forEach(r -> handshake.put(r.getParams().getParam("managers"), r.getPrimaryResult().getScore()));
        assertThat(handshake).hasSize(7);
        for (Map.Entry<String, Double> entry : handshake.entrySet()) {
            String managers = entry.getKey();
            String expectedRatio = managers.equals("JDK") ? "1 (baseline)"
                : String.format(Locale.ROOT, "%.3f", entry.getValue() / handshake.get("JDK"));
            assertThat(lines).as(managers).anyMatch(line -> line.startsWith("| EC_P256 | TLSv1.3 | SunJSSE | " + managers + " | ")
                && line.contains(" | " + expectedRatio + " | "));
        }
        assertThat(lines).filteredOn(line -> line.startsWith("| Handshake ratio >= 0.99: EKU_BRIDGE_")).hasSize(5 * 2)
            .allMatch(line -> line.endsWith(" | met |") || line.endsWith(" | MISSED |") || line.endsWith(" error |"));

        // key selection: one row per callback, issuers and engine argument, the three managers side by side
        assertThat(lines).filteredOn(line -> line.matches("\\| choose\\w+Alias \\| (NONE|CA) \\| .* \\| 100 \\| .*")).hasSize(2 * 2 + 2 * 2 * 2)
            .allMatch(line -> Arrays.asList(line.split(" \\| ")).subList(4, 7).stream().noneMatch("–"::equals),
                "a time for every manager");
        // the EKU decision: every decision, with its cost over the bare delegate
        assertThat(lines).filteredOn(line -> line.matches(
                "\\| (ACCEPT_ALL|SUNJSSE_PKIX|BCJSSE_PKIX) \\| (BARE_DELEGATE|STRICT|LENIENT|AUDIT|SERVER_AUTH|LENIENT_RELAXED) \\| .*"))
            .hasSize(6 * 3).anyMatch(line -> line.startsWith("| SUNJSSE_PKIX | BARE_DELEGATE | ") && line.contains(" | – | "));
        // the agent: its handshake against the same configuration without it, and its start-up
        assertThat(report).contains("## The same handshake with the agent attached",
            "`-javaagent:ekubridge-agent.jar=inbound.eku=lenient`");
        double withAgent = RUNS.get("handshake-agent").iterator().next().getPrimaryResult().getScore();
        assertThat(lines).anyMatch(line -> line.startsWith("| EC_P256 | TLSv1.3 | SunJSSE | JDK_SUNX509 | ")
            && line.contains(String.format(Locale.ROOT, " | %.3f", withAgent / handshake.get("JDK_SUNX509"))));
        assertThat(lines).anyMatch(line -> line.startsWith("| none | 1 | ")).anyMatch(line -> line.startsWith("| agent | 1 | "));
        assertThat(report).contains("Added by the agent (difference of the medians): **", "| Agent start-up cost under 300 ms",
            "| Agent: no measurable per-handshake cost beyond the managers",
            "| Implied handshake ratio from EKU Bridge's own work");
        // what these short runs cannot decide is left out, not guessed: no 10,000-identity run, no -prof gc
        assertThat(report).doesNotContain("Key selection constant", "allocates zero bytes", "are not in these results");
    }

    /** Loading identities, from objects and from a JKS file, chains of one and two: ten identities, not 10,000. */
    @Test
    @Order(7)
    void identityLoadingLoadsEveryIdentity() throws RunnerException {
        Collection<RunResult> results = run("identity-loading", options(IdentityLoadingBenchmark.class).param("identities", "10"));

        assertThat(results).extracting(r -> r.getParams().getParam("source") + " " + r.getParams().getParam("chain"))
            .containsExactlyInAnyOrder("OBJECTS LEAF", "OBJECTS LEAF_AND_CA", "JKS_FILE LEAF", "JKS_FILE LEAF_AND_CA");
        assertScored(results);
    }

    /** In the reactor the agent module is built before this one, so its jar must exist: missing is a failure, not a skip. */
    private static Path agentJar() {
        Path jar = Paths.get("..", "agent", "target", "ekubridge-agent.jar").toAbsolutePath().normalize();
        assertThat(jar).as("the agent jar, built by the agent module before benchmarks in the reactor (mvn -B verify from the "
            + "project root; alone: mvn -B -q -pl provider,agent -am package -DskipTests)").isRegularFile();
        return jar;
    }

    private static ChainedOptionsBuilder options(Class<?> benchmark) {
        return new OptionsBuilder()
            .include("^" + benchmark.getName().replace(".", "\\.") + "\\.")
            .forks(0)
            .warmupIterations(0)
            .measurementIterations(1)
            .measurementTime(TimeValue.milliseconds(100))
            .shouldFailOnError(true)
            .verbosity(VerboseMode.SILENT);
    }

    /** Runs the benchmarks and keeps both JMH's JSON result file (RESULTS/NAME.json) and the returned results. */
    private static Collection<RunResult> run(String name, ChainedOptionsBuilder options) throws RunnerException {
        Collection<RunResult> results = new Runner(options
            .resultFormat(ResultFormatType.JSON)
            .result(RESULTS.resolve(name + ".json").toString())
            .build()).run();
        RUNS.put(name, results);
        return results;
    }

    /** "method FIRST_ENUM_PARAM" for each result, e.g. "handshake JDK". */
    private static List<String> labels(Collection<RunResult> results) {
        List<String> labels = new ArrayList<>();
        for (RunResult result : results) {
            String benchmark = result.getParams().getBenchmark();
            String method = benchmark.substring(benchmark.lastIndexOf('.') + 1);
            String variant = firstNonNull(result, "managers", "manager", "decision");
            labels.add(method + " " + variant);
        }
        return labels;
    }

    private static String firstNonNull(RunResult result, String... keys) {
        for (String key : keys) {
            String value = result.getParams().getParam(key);
            if (value != null) {
                return value;
            }
        }
        return "?";
    }

    private static void assertScored(Collection<RunResult> results) {
        for (RunResult result : results) {
            assertThat(result.getPrimaryResult().getSampleCount()).as(result.getParams().toString()).isPositive();
            assertThat(result.getPrimaryResult().getScore()).as(result.getParams().toString()).isPositive();
        }
    }
}
