package dev.ekubridge.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ekubridge.agent.apps.ExplicitInitApp;
import dev.ekubridge.agent.support.AgentIt;
import dev.ekubridge.agent.support.AttachTarget;
import dev.ekubridge.agent.support.Forked;
import dev.ekubridge.agent.support.Pki;
import dev.ekubridge.testsupport.corpus.MalformedCorpus;
import dev.ekubridge.testsupport.corpus.MalformedCorpus.Case;
import dev.ekubridge.testsupport.process.Jdk;
import dev.ekubridge.testsupport.process.Jvm;
import dev.ekubridge.testsupport.process.Outcome;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.bytebuddy.agent.ByteBuddyAgent;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The malformed-input corpus (test-support's {@code malformed/}) under the agent, in a
 * forked JVM on JDK 17 and JDK 25: every case stops the JVM at start with exit status 2 and exactly one line on
 * standard error, "EKU Bridge agent: invalid configuration: ...", naming the key and the file, with no secret
 * anywhere in what the JVM printed, well within a time bound (a FIFO used to hang the JVM forever, invalid
 * base64 aborted it with exit 134). Attached to a running JVM, a bad input is refused with one line and the
 * target keeps running. An unrelated {@code EKUBRIDGE_*} variable is one warning, not a stop.
 */
class AgentMalformedInputIT extends AgentIt {
    private static final String PREFIX = "EKU Bridge agent: invalid configuration: ";
    private static final Duration BOUND = Duration.ofSeconds(30);

    static List<Case> corpus;

    /** After {@link AgentIt}'s PKI. */
    @BeforeAll
    static void prepare() {
        corpus = MalformedCorpus.prepare(dir.resolve("corpus"));
    }

    static Stream<Arguments> jdksAndCases() {
        return Forked.jdks().flatMap(jdk -> corpus.stream().map(c -> Arguments.of(jdk, c)));
    }

    private static Outcome runApp(Jdk jdk, String agentArguments, Map<String, String> environment) {
        Forked.assumeInstalled(jdk);
        List<String> command = Forked.javaCommand(jdk, List.of(Jvm.javaagent(agentArguments)), Forked.appClassPath(),
            ExplicitInitApp.class, pki.app().p12().toString(), pki.trustStore().toString(), Pki.PASSWORD);
        long started = System.nanoTime();
        Outcome outcome = Forked.run(command, environment, BOUND, dir);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("bounded time" + outcome.describe()).isLessThan(BOUND);
        return outcome;
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("jdksAndCases")
    void eachBadInputStopsTheJvmWithOneLineNamingKeyAndFileAndNoSecret(Jdk jdk, Case c) {
        Assumptions.assumeTrue(c.available(), c.unavailable());
        Outcome outcome = runApp(jdk, c.arguments(), c.environment());
        System.out.println(jdk + " / " + c + ": " + outcome.stderr().strip());

        assertThat(outcome.exit()).as("%s (%s)%s", c, c.finding(), outcome.describe()).isEqualTo(2);
        assertThat(outcome.stdout()).as("the application's main must not have run" + outcome.describe()).isEmpty();
        assertThat(outcome.stderrLines()).as("exactly one line" + outcome.describe()).hasSize(1);
        String line = outcome.stderrLines().get(0);
        assertThat(line).as(outcome.describe()).startsWith(PREFIX).contains(c.expected());
        for (String fragment : c.expectedByAgent()) {
            assertThat(line).as(outcome.describe()).contains(fragment);
        }
        assertThat(MalformedCorpus.rawControlIn(line)).as("one printable line" + outcome.describe()).isNull();
        assertThat(MalformedCorpus.secretIn(outcome.stdout() + outcome.stderr())).as("no secret" + outcome.describe()).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void anUnrelatedEkubridgeVariableIsOneWarningNamingItAndTheJvmRuns(Jdk jdk) {
        Outcome outcome = runApp(jdk, "inbound.eku=lenient", Map.of("EKUBRIDGE_HOME", "/opt/S3cret-Zebra-Violet-42"));
        System.out.println(jdk + " / EKUBRIDGE_HOME: " + outcome.stderr().strip());

        assertThat(outcome.exit()).as(outcome.describe()).isZero();
        assertThat(outcome.value("RESULT")).as(outcome.describe()).isEqualTo("OK");
        List<String> warnings = outcome.stderrLines().stream().filter(line -> line.contains("[WARN] ekubridge.agent")).toList();
        assertThat(warnings).as(outcome.describe()).singleElement().asString()
            .contains("environment variable EKUBRIDGE_HOME is not an EKU Bridge key and is ignored");
        assertThat(outcome.stderr()).as(outcome.describe()).contains("installed:").doesNotContain(PREFIX);
        assertThat(MalformedCorpus.secretIn(outcome.stdout() + outcome.stderr())).as("the value is never printed").isNull();
    }

    static Stream<Arguments> jdksAndAttachCases() {
        return Forked.jdks().flatMap(jdk -> Stream.of("pem-certificate-with-invalid-base64", "key-store-is-a-fifo",
            "truncated-pkcs12", "agent-argument-value-with-a-newline").map(name -> Arguments.of(jdk, name)));
    }

    /** Straight into agentmain (not through the attach command, which checks the configuration first). */
    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("jdksAndAttachCases")
    void attachedWithABadInputTheAgentRefusesWithOneLineAndTheTargetRuns(Jdk jdk, String name) throws Exception {
        Forked.assumeInstalled(jdk);
        Case c = corpus.stream().filter(each -> each.name().equals(name)).findFirst().orElseThrow();
        Assumptions.assumeTrue(c.available(), c.unavailable());
        try (AttachTarget target = new AttachTarget(jdk, pki, dir, Map.of())) {
            target.awaitReady();
            Thread attach = new Thread(() -> ByteBuddyAgent.attach(Jvm.agentJar().toFile(), Long.toString(target.pid()),
                c.arguments()));
            attach.setDaemon(true);
            attach.start();
            attach.join(TimeUnit.SECONDS.toMillis(BOUND.toSeconds()));
            assertThat(attach.isAlive()).as("the attach returns in bounded time" + target.describe()).isFalse();
            assertThat(target.isAlive()).as("the target keeps running" + target.describe()).isTrue();

            Outcome outcome = target.sendLineAndAwaitEnd();
            System.out.println(jdk + " / attached " + c + ": " + outcome.stderr().strip());
            assertThat(outcome.stdout()).as(outcome.describe()).contains("GOT_LINE=go");
            assertThat(outcome.exit()).as("the JDK still decides, as before" + outcome.describe()).isEqualTo(1);
            List<String> agentLines = outcome.stderrLines().stream().filter(line -> line.contains("EKU Bridge"))
                .collect(Collectors.toList());
            assertThat(agentLines).as(outcome.describe()).singleElement().asString().startsWith(PREFIX).contains(c.expected());
            assertThat(outcome.stderr()).as("no stack trace" + outcome.describe()).doesNotContain("\tat ").doesNotContain("Exception in");
            assertThat(MalformedCorpus.secretIn(outcome.stdout() + outcome.stderr())).as("no secret" + outcome.describe()).isNull();
        }
    }
}
