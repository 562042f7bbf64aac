package dev.ekubridge.agent.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ekubridge.agent.apps.AttachTargetApp;
import dev.ekubridge.agent.support.Forked.Jdk;
import dev.ekubridge.agent.support.Forked.Outcome;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A target application started without the agent, waiting after READY for a line on standard input. */
public final class AttachTarget implements AutoCloseable {
    private final Process process;
    private final Path stdout;
    private final Path stderr;
    private final List<String> command;

    public AttachTarget(Jdk jdk, Pki pki, Path dir, Map<String, String> environment) throws IOException {
        command = Forked.javaCommand(jdk, List.of(), Forked.appClassPath(), AttachTargetApp.class,
            pki.app.p12().toString(), pki.trustStore.toString(), Pki.PASSWORD);
        long id = System.nanoTime();
        stdout = dir.resolve("target-stdout-" + id + ".txt");
        stderr = dir.resolve("target-stderr-" + id + ".txt");
        process = Forked.prepare(command, environment, dir)
            .redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE)
            .start();
    }

    public long pid() {
        return process.pid();
    }

    /** What the target printed so far. */
    public String stdout() {
        return Forked.read(stdout);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public void awaitReady() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
        while (!Forked.read(stdout).contains("\nREADY")) {
            assertThat(process.isAlive()).as("the target ended before READY" + describe()).isTrue();
            assertThat(System.nanoTime()).as("no READY within 40 s" + describe()).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    public Outcome sendLineAndAwaitEnd() throws IOException, InterruptedException {
        try (OutputStream in = process.getOutputStream()) {
            in.write("go\n".getBytes(StandardCharsets.UTF_8));
        }
        boolean finished = process.waitFor(40, TimeUnit.SECONDS);
        assertThat(finished).as("the target did not finish" + describe()).isTrue();
        return new Outcome(command, process.exitValue(), Forked.read(stdout), Forked.read(stderr));
    }

    public String describe() {
        return new Outcome(command, process.isAlive() ? -1 : process.exitValue(), Forked.read(stdout), Forked.read(stderr)).describe();
    }

    /** {@code java -jar <agent jar> attach PID arguments}, run with {@code environment}. */
    public static Outcome attach(Jdk jdk, long pid, String arguments, Map<String, String> environment, Path dir) {
        List<String> command = List.of(jdk.java().toString(), "-jar", Forked.agentJar().toString(), "attach", Long.toString(pid), arguments);
        return Forked.run(command, environment, Duration.ofSeconds(60), dir);
    }

    @Override
    public void close() {
        Forked.destroy(process);
    }
}
