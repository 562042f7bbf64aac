package dev.ekubridge.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@code attach} failures that happen before anything reaches a target JVM, in this process. */
class AttachTest {
    private record Result(int status, String out, String err) {
    }

    private static Result attach(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            status = Attach.run(args, new File("ekubridge-agent.jar"), o, e);
        }
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** A PID that no process has: above Linux's largest pid_max (2^22). */
    private static long unusedPid() {
        long pid = 4_194_304L + 12_345L;
        assertThat(ProcessHandle.of(pid)).as("pid %d is unused", pid).isEmpty();
        return pid;
    }

    @Test
    void anUnknownPidIsNamedInWordsNotAsAByteBuddyObject() {
        long pid = unusedPid();

        Result r = attach(Long.toString(pid));

        assertThat(r.status()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().strip().split("\n")).hasSize(1);
        assertThat(r.err()).startsWith("error: cannot attach to JVM " + pid + ": no process with PID " + pid)
            .doesNotContain("bytebuddy").doesNotContain("AttachmentProvider").doesNotContain("@");
    }

    @Test
    void aProcessThatIsNoJvmIsNamedInWordsAndSurvives() throws Exception {
        Process sleep = new ProcessBuilder("sleep", "60").start();
        try {
            Result r = attach(Long.toString(sleep.pid()));

            assertThat(r.status()).isEqualTo(1);
            assertThat(r.err().strip().split("\n")).hasSize(1);
            assertThat(r.err()).startsWith("error: cannot attach to JVM " + sleep.pid() + ": the process is not a JVM that accepts an agent")
                .doesNotContain("bytebuddy").doesNotContain("AttachmentProvider");
            assertThat(sleep.isAlive()).as("attaching does not kill a process that is not a JVM").isTrue();
        } finally {
            sleep.destroy();
        }
    }
}
