package dev.ekubridge.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.ekubridge.agent.apps.AttachTargetApp;
import dev.ekubridge.agent.support.Forked;
import dev.ekubridge.agent.support.Forked.Jdk;
import dev.ekubridge.agent.support.Forked.Outcome;
import dev.ekubridge.agent.support.Pki;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code java -jar ekubridge-agent.jar attach PID ARGS} into a running application that has already
 * done TLS (so the JDK's context classes are loaded and must be retransformed), then the application
 * makes a new context; on JDK 21+ the target warns that an agent was loaded dynamically.
 */
class AgentAttachIT {
    private static final String DYNAMIC_AGENT_WARNING = "WARNING: A Java agent has been loaded dynamically";

    @TempDir
    static Path dir;
    static Pki pki;

    @BeforeAll
    static void pki() throws Exception {
        pki = Pki.create(dir);
    }

    static Stream<Jdk> jdks() {
        return Forked.jdks();
    }

    /** The target application, started without the agent, waiting after READY for a line on standard input. */
    private static final class Target implements AutoCloseable {
        final Process process;
        final Path stdout;
        final Path stderr;
        final List<String> command;

        Target(Jdk jdk) throws IOException {
            command = Forked.javaCommand(jdk, List.of(), Forked.appClassPath(), AttachTargetApp.class,
                pki.app.p12().toString(), pki.trustStore.toString(), Pki.PASSWORD);
            long id = System.nanoTime();
            stdout = dir.resolve("target-stdout-" + id + ".txt");
            stderr = dir.resolve("target-stderr-" + id + ".txt");
            process = Forked.prepare(command, Map.of(), dir)
                .redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE)
                .start();
        }

        void awaitReady() throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
            while (!Forked.read(stdout).contains("\nREADY")) {
                assertThat(process.isAlive()).as("the target ended before READY" + describe()).isTrue();
                assertThat(System.nanoTime()).as("no READY within 40 s" + describe()).isLessThan(deadline);
                Thread.sleep(50);
            }
        }

        Outcome sendLineAndAwaitEnd() throws IOException, InterruptedException {
            try (OutputStream in = process.getOutputStream()) {
                in.write("go\n".getBytes(StandardCharsets.UTF_8));
            }
            boolean finished = process.waitFor(40, TimeUnit.SECONDS);
            assertThat(finished).as("the target did not finish" + describe()).isTrue();
            return new Outcome(command, process.exitValue(), Forked.read(stdout), Forked.read(stderr));
        }

        String describe() {
            return new Outcome(command, process.isAlive() ? -1 : process.exitValue(), Forked.read(stdout), Forked.read(stderr)).describe();
        }

        @Override
        public void close() {
            Forked.destroy(process);
        }
    }

    private static Outcome attach(Jdk jdk, long pid, String arguments) {
        List<String> command = List.of(jdk.java().toString(), "-jar", Forked.agentJar().toString(), "attach", Long.toString(pid), arguments);
        return Forked.run(command, Map.of(), Duration.ofSeconds(60), dir);
    }

    private static boolean warnsAboutDynamicAgents(Jdk jdk) {
        return jdk != Forked.JDK_17; // JDK 21 and later (JEP 451)
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void attachedWithLenientTheServerAuthOnlyClientIsAccepted(Jdk jdk) throws Exception {
        jdk.assumeInstalled();
        try (Target target = new Target(jdk)) {
            target.awaitReady();
            assertThat(Forked.read(target.stdout)).as("before the agent, the JDK refuses" + target.describe())
                .contains("BEFORE_RESULT=FAIL ").doesNotContain("BEFORE_SERVER_SAW_CLIENT_SERIAL");

            Outcome attach = attach(jdk, target.process.pid(), "inbound.eku=lenient");
            assertThat(attach.exit()).as(attach.describe() + target.describe()).isZero();
            assertThat(attach.stdout()).as(attach.describe()).contains("EKU Bridge agent loaded into JVM " + target.process.pid());

            Outcome outcome = target.sendLineAndAwaitEnd();
            assertThat(outcome.exit()).as(outcome.describe()).isZero();
            assertThat(outcome.value("RESULT")).as(outcome.describe()).isEqualTo("OK");
            assertThat(outcome.value("SERVER_SAW_CLIENT_SERIAL")).as(outcome.describe()).isEqualTo(pki.app.serial());
            assertThat(outcome.value("CLIENT_SAW_SERVER_SERIAL")).as(outcome.describe()).isEqualTo(pki.app.serial());
            assertThat(outcome.stderrLines().stream().filter(line -> line.contains("installed:")))
                .as(outcome.describe()).singleElement().asString().contains("inbound.eku=lenient");

            String warning = outcome.stderrLines().stream().filter(line -> line.startsWith("WARNING:")).collect(Collectors.joining("\n"));
            System.out.println(jdk + " target's warning on attach:\n" + (warning.isEmpty() ? "(none)" : warning));
            if (warnsAboutDynamicAgents(jdk)) {
                assertThat(warning).as(outcome.describe())
                    .contains(DYNAMIC_AGENT_WARNING + " (" + Forked.agentJar() + ")")
                    .contains("-XX:+EnableDynamicAgentLoading");
            } else {
                assertThat(warning).as(outcome.describe()).doesNotContain(DYNAMIC_AGENT_WARNING);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void attachingAnInvalidConfigurationFailsAndLeavesTheTargetUnchanged(Jdk jdk) throws Exception {
        jdk.assumeInstalled();
        try (Target target = new Target(jdk)) {
            target.awaitReady();

            Outcome attach = attach(jdk, target.process.pid(), "inbound.eku=loose");
            System.out.println(jdk + " attach with an invalid configuration: " + attach.stderr().strip());
            assertThat(attach.exit()).as(attach.describe()).isEqualTo(2);
            assertThat(attach.stderrLines()).as(attach.describe()).singleElement().asString()
                .contains("inbound.eku (from agent argument inbound.eku)", "'loose'");
            assertThat(target.process.isAlive()).as("the target keeps running" + target.describe()).isTrue();

            Outcome outcome = target.sendLineAndAwaitEnd();
            assertThat(outcome.stdout()).as(outcome.describe()).contains("GOT_LINE=go");
            assertThat(outcome.exit()).as("the JDK still refuses, as before" + outcome.describe()).isEqualTo(1);
            assertThat(outcome.value("RESULT")).as(outcome.describe())
                .startsWith("FAIL").contains("Extended key usage does not permit use for TLS client authentication");
            assertThat(outcome.stderr()).as("no agent was loaded" + outcome.describe())
                .doesNotContain("EKU Bridge").doesNotContain("ekubridge.agent -").doesNotContain("dev.ekubridge.agent.shaded").doesNotContain(DYNAMIC_AGENT_WARNING);
        }
    }
}
