package dev.ekubridge.agent.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ekubridge.agent.apps.AttachTargetApp;
import dev.ekubridge.testsupport.process.Jdk;
import dev.ekubridge.testsupport.process.Jvm;
import dev.ekubridge.testsupport.process.ManagedProcess;
import dev.ekubridge.testsupport.process.Outcome;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A target application started without the agent, waiting after READY for a line on standard input. */
public final class AttachTarget implements AutoCloseable {
    private static final Duration WAIT = Duration.ofSeconds(40);

    private final ManagedProcess process;

    public AttachTarget(Jdk jdk, Pki pki, Path dir, Map<String, String> environment) {
        List<String> command = Forked.javaCommand(jdk, List.of(), Forked.appClassPath(), AttachTargetApp.class,
            pki.app().p12().toString(), pki.trustStore().toString(), Pki.PASSWORD);
        process = ManagedProcess.start("target", command, dir, dir.resolve("target-" + System.nanoTime() + ".log"), environment, true);
    }

    public long pid() {
        return process.pid();
    }

    /** What the target printed so far. */
    public String stdout() {
        return process.outcome().stdout();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public void awaitReady() {
        boolean ready = process.awaitOut(0, "READY"::equals, WAIT).isPresent();
        assertThat(ready).as("no READY within " + WAIT + " (or the target ended before)" + describe()).isTrue();
    }

    public Outcome sendLineAndAwaitEnd() {
        process.send("go");
        process.closeInput();
        assertThat(process.awaitExit(WAIT)).as("the target did not finish" + describe()).isTrue();
        return process.outcome();
    }

    /** Asserts that {@code attach} (of {@link #attach}) loaded the agent into this target. */
    public void assertLoaded(Outcome attach) {
        assertThat(attach.exit()).as(attach.describe() + describe()).isZero();
        assertThat(attach.stdout()).as(attach.describe()).contains("EKU Bridge agent loaded into JVM " + pid());
    }

    /**
     * {@link #sendLineAndAwaitEnd}, asserting that the target's new context completed its handshake and its server
     * saw the client certificate {@code clientSerial}.
     */
    public Outcome sendLineAndAwaitAccepted(String clientSerial) {
        Outcome outcome = sendLineAndAwaitEnd();
        assertThat(outcome.exit()).as(outcome.describe()).isZero();
        assertThat(outcome.value("RESULT")).as(outcome.describe()).isEqualTo("OK");
        assertThat(outcome.value("SERVER_SAW_CLIENT_SERIAL")).as(outcome.describe()).isEqualTo(clientSerial);
        return outcome;
    }

    public String describe() {
        return process.outcome().describe();
    }

    /** {@code java -jar <agent jar> attach PID arguments}, run with {@code environment}. */
    public static Outcome attach(Jdk jdk, long pid, String arguments, Map<String, String> environment, Path dir) {
        List<String> command = List.of(jdk.java().toString(), "-jar", Jvm.agentJar().toString(), "attach", Long.toString(pid), arguments);
        return Forked.run(command, environment, Duration.ofSeconds(60), dir);
    }

    @Override
    public void close() {
        process.close();
    }
}
