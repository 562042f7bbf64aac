package dev.ekubridge.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import dev.ekubridge.agent.apps.ExplicitInitApp;
import dev.ekubridge.agent.apps.NonDelegatingLoaderApp;
import dev.ekubridge.agent.support.AgentIt;
import dev.ekubridge.agent.support.Forked;
import dev.ekubridge.agent.support.Pki;
import dev.ekubridge.testsupport.process.Jdk;
import dev.ekubridge.testsupport.process.Jvm;
import dev.ekubridge.testsupport.process.Outcome;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The agent's log, in forked JVMs (JDK 17 and 25): {@code log.file} receives every line of the agent,
 * the warnings from class transformation included, and nothing of it reaches standard error;
 * {@code log.level} sets its threshold, except for the lines {@code log.handshakes=true} asks for.
 */
class AgentLogIT extends AgentIt {
    private static final String LEFT_UNCHANGED = "[WARN] ekubridge.agent - " + NonDelegatingLoaderApp.class.getName()
        + "$OwnSpi is left unchanged: its class loader";

    private static Path logFile(String name, Jdk jdk) {
        return dir.resolve(name + "-" + jdk.name().replace(' ', '-') + ".log");
    }

    /**
     * NonDelegatingLoaderApp defines an SSLContextSpi that cannot see the bridge: the agent warns that it leaves it unchanged.
     * Asserts that the app ran to the end with its own SPI loaded.
     */
    private static Outcome runNonDelegating(Jdk jdk, String agentArguments) {
        Forked.assumeInstalled(jdk);
        Outcome outcome = Forked.run(Forked.javaCommand(jdk, List.of(Jvm.javaagent(agentArguments)), Forked.appClassPath(),
            NonDelegatingLoaderApp.class), dir);
        assertThat(outcome.exit()).as(outcome.describe()).isZero();
        assertThat(outcome.value("OWN_SPI_LOADED")).as(outcome.describe()).isEqualTo("true");
        return outcome;
    }

    /** What the agent wrote into its {@code log.file}, and the run that wrote it. */
    private record Logged(Path file, Outcome outcome, String written) {
        String describe() {
            return "log.file " + file + outcome.describe();
        }
    }

    /** {@link #runNonDelegating} with {@code log.file} a file of its own, named after {@code name} and the JDK. */
    private static Logged runNonDelegatingLogging(Jdk jdk, String name, String agentArguments) {
        Path log = logFile(name, jdk);
        Outcome outcome = runNonDelegating(jdk, agentArguments + ",log.file=" + log);
        return new Logged(log, outcome, Forked.read(log));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void logFileReceivesTheInstalledLineAndTheTransformationWarningsInsteadOfStandardError(Jdk jdk) {
        Logged logged = runNonDelegatingLogging(jdk, "info", "inbound.eku=lenient");

        assertThat(logged.written()).as(logged.describe())
            .contains("[INFO] ekubridge.agent - installed: ").contains(LEFT_UNCHANGED);
        assertThat(logged.outcome().stderr()).as("nothing of the agent's log on standard error" + logged.outcome().describe())
            .doesNotContain("installed:").doesNotContain("is left unchanged").doesNotContain("ekubridge");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void logLevelWarnSilencesTheInstalledLineAndKeepsTheWarnings(Jdk jdk) {
        Logged logged = runNonDelegatingLogging(jdk, "warn", "inbound.eku=lenient,log.level=warn");

        assertThat(logged.written()).as(logged.describe()).contains(LEFT_UNCHANGED).doesNotContain("installed:");
        assertThat(logged.outcome().stderr()).as(logged.outcome().describe())
            .doesNotContain("installed:").doesNotContain("is left unchanged");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void logLevelErrorKeepsTheHandshakeLinesThatLogHandshakesAsksFor(Jdk jdk) {
        Forked.assumeInstalled(jdk);
        Path log = logFile("error-handshakes", jdk);
        String arguments = "inbound.eku=lenient,log.handshakes=true,log.level=error,log.file=" + log;

        Outcome outcome = Forked.run(Forked.javaCommand(jdk, List.of(Jvm.javaagent(arguments)), Forked.appClassPath(),
            ExplicitInitApp.class, pki.app().p12().toString(), pki.trustStore().toString(), Pki.PASSWORD), dir);

        assertThat(outcome.exit()).as(outcome.describe()).isZero();
        assertThat(outcome.value("RESULT")).as(outcome.describe()).isEqualTo("OK");
        String written = Forked.read(log);
        assertThat(written).as("log.file " + log + outcome.describe())
            .contains("[INFO] ekubridge.handshakes - inbound peer subject \"CN=app.example.test\" serial " + pki.app().serial())
            .contains("accepted (serverAuth instead of clientAuth)")
            .doesNotContain("installed:");
    }
}
