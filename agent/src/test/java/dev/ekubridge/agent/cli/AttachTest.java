package dev.ekubridge.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import org.junit.jupiter.api.Test;

/** {@code attach} failures that happen before anything reaches a target JVM, in this process. */
class AttachTest {
    private static Cli.Run attach(String... args) {
        return Cli.capture((out, err) -> Attach.run(args, new File("ekubridge-agent.jar"), out, err));
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

        Cli.Run r = attach(Long.toString(pid));

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
            Cli.Run r = attach(Long.toString(sleep.pid()));

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
