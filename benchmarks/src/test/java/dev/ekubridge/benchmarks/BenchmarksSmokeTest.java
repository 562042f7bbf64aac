package dev.ekubridge.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
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
 */
class BenchmarksSmokeTest {

    @Test
    void everyHandshakeVariantCompletesMutualTls() throws RunnerException {
        Collection<RunResult> results = run(options(HandshakeBenchmark.class)
            .param("keyKind", "EC_P256")
            .param("protocol", "TLSv1.3"));

        assertThat(labels(results)).containsExactlyInAnyOrder(
            "handshake JDK", "handshake JDK_SUNX509", "handshake EKU_BRIDGE_STRICT", "handshake EKU_BRIDGE_LENIENT", "handshake EKU_BRIDGE_AUDIT",
            "handshake EKU_BRIDGE_SERVER_AUTH", "handshake EKU_BRIDGE_LENIENT_RELAXED");
        assertScored(results);
    }

    @Test
    void everyKeySelectionCallbackChoosesWithEveryManager() throws RunnerException {
        Collection<RunResult> results = run(options(KeySelectionBenchmark.class).param("identities", "100"));

        // 3 managers x 2 issuer variants x (2 socket callbacks + 2 engine callbacks x 2 engine arguments)
        assertThat(results).hasSize(3 * 2 * (2 + 2 * 2));
        assertThat(labels(results)).contains("chooseServerAlias EKU_BRIDGE", "chooseEngineClientAlias PKIX",
            "chooseClientAlias SUNX509");
        assertScored(results);
    }

    @Test
    void everyEkuDecisionRuns() throws RunnerException {
        Collection<RunResult> results = run(options(EkuDecisionBenchmark.class));

        assertThat(labels(results)).containsExactlyInAnyOrder("checkClientTrusted BARE_DELEGATE", "checkClientTrusted STRICT",
            "checkClientTrusted LENIENT", "checkClientTrusted AUDIT", "checkClientTrusted SERVER_AUTH",
            "checkClientTrusted LENIENT_RELAXED");
        assertScored(results);
    }

    /**
     * The agent's start-up benchmark: one launch of the Hello program without and one with the agent
     * (its set-up first checks that the program prints Hello and that the agent reports it installed).
     */
    @Test
    void agentStartupLaunchesWithAndWithoutTheAgent() throws RunnerException {
        Path agent = agentJar();
        // in-process: the benchmark finds the jar the way it does without -Dekubridge.agent.jar
        assertThat(AgentStartupBenchmark.agentJar()).isEqualTo(agent);
        Collection<RunResult> results = run(options(AgentStartupBenchmark.class));

        assertThat(results).extracting(r -> r.getParams().getParam("launch")).containsExactlyInAnyOrder("none", "agent");
        assertScored(results);
    }

    /**
     * The with-agent handshake of run.sh: the JDK managers in a forked JVM started with the agent, whose
     * set-up fails unless the agent wrapped EKU Bridge's lenient policy around them (a serverAuth-only
     * client must be accepted).
     */
    @Test
    void handshakeRunsWithTheAgentAttached() throws RunnerException {
        String javaagent = "-javaagent:" + agentJar() + "=inbound.eku=lenient";
        Collection<RunResult> results = run(options(HandshakeBenchmark.class)
            .forks(1)
            .jvmArgsAppend(javaagent)
            .param("keyKind", "EC_P256")
            .param("protocol", "TLSv1.3")
            .param("managers", "JDK_SUNX509"));

        assertThat(labels(results)).containsExactly("handshake JDK_SUNX509");
        assertThat(results.iterator().next().getParams().getJvmArgs()).contains(javaagent);
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

    private static Collection<RunResult> run(ChainedOptionsBuilder options) throws RunnerException {
        return new Runner(options.build()).run();
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
