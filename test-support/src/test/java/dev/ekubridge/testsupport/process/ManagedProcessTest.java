package dev.ekubridge.testsupport.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManagedProcessTest {
    @TempDir
    Path dir;

    /** Prints its arguments as KEY=value lines, one of its environment variables, and exits with the status asked. */
    public static final class Echo {
        public static void main(String[] args) throws InterruptedException {
            System.out.println("ARGS=" + String.join(" ", args));
            System.out.println("EKUBRIDGE_LEAK=" + System.getenv("EKUBRIDGE_LEAK"));
            System.out.println("GIVEN=" + System.getenv("GIVEN"));
            System.err.println("to stderr");
            if (args.length > 0 && args[0].equals("hang")) {
                Thread.sleep(600_000);
            }
            System.exit(args.length > 0 ? Integer.parseInt(args[0]) : 0);
        }
    }

    private List<String> echo(String... args) {
        return Jvm.javaCommand(Jvm.currentJava(), List.of(), Jvm.classPathOf(Echo.class), Echo.class, args);
    }

    @Test
    void runTellsTheExitStatusAndWhatWasPrintedInTheGivenEnvironmentOnly() {
        Outcome outcome = ManagedProcess.run("echo", echo("3", "b"), dir, Map.of("GIVEN", "yes"), Duration.ofSeconds(30));

        assertThat(outcome.exit()).as(outcome.describe()).isEqualTo(3);
        assertThat(outcome.value("ARGS")).isEqualTo("3 b");
        assertThat(outcome.values()).containsEntry("GIVEN", "yes").containsEntry("EKUBRIDGE_LEAK", "null");
        assertThat(outcome.stderrLines()).containsExactly("to stderr");
        assertThat(outcome.describe()).contains("--- exit status: 3").contains(Echo.class.getName());
    }

    @Test
    void aProcessThatOutlivesItsTimeoutIsStoppedAndReported() {
        assertThatThrownBy(() -> ManagedProcess.run("hang", echo("hang"), dir, Map.of(), Duration.ofSeconds(8)))
            .isInstanceOf(AssertionError.class).hasMessageContaining("did not finish within PT8S")
            .hasMessageContaining("ARGS=hang");
    }

    @Test
    void aLongRunningProcessIsAwaitedLineByLineAndClosedWithItsChildren() {
        try (Processes processes = new Processes()) {
            ManagedProcess process = processes.add(ManagedProcess.start("hang", echo("hang"), dir, dir.resolve("hang.log"),
                Map.of(), false));
            assertThat(process.awaitOut(0, line -> line.startsWith("ARGS="), Duration.ofSeconds(30))).contains("ARGS=hang");
            assertThat(process.isAlive()).isTrue();
            processes.close();
            assertThat(process.isAlive()).isFalse();
            assertThat(processes.all()).isEmpty();
        }
    }
}
