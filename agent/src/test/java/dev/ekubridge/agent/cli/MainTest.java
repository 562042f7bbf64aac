package dev.ekubridge.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** What every command shares: --help (exit 0), usage errors (exit 64 with the command's usage), --version, --json's single document. */
class MainTest {
    static final List<String> COMMANDS = List.of("doctor", "probe", "dump", "bench", "inspect", "demo", "attach");

    @ParameterizedTest(name = "{0} --help")
    @ValueSource(strings = {"doctor", "probe", "dump", "bench", "inspect", "demo", "attach"})
    void everyCommandHasHelpOnStandardOutputWithExitZero(String command) {
        Cli.Run r = Cli.run(command, "--help");

        assertThat(r.status()).as(r.toString()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).startsWith("usage: java -jar ekubridge-agent.jar " + command).contains("--json").contains("exit status:");
        // --help wins over anything else on the line, even an unknown option
        assertThat(Cli.run(command, "--bogus", "-h").status()).isZero();
        assertThat(Cli.run("help", command).out()).isEqualTo(r.out());
    }

    static List<Arguments> usageErrors() {
        return List.of(
            Arguments.of("doctor", new String[] {}, "give --config FILE or key=value pairs"),
            Arguments.of("doctor", new String[] {"--config"}, "--config needs a FILE"),
            Arguments.of("doctor", new String[] {"--config", "a", "--config", "b"}, "--config is given twice"),
            Arguments.of("doctor", new String[] {"--verbose"}, "unknown option --verbose"),
            Arguments.of("doctor", new String[] {"--json=yes", "--config", "a"}, "--json takes no value"),
            Arguments.of("probe", new String[] {}, "give HOST:PORT"),
            Arguments.of("probe", new String[] {"example.test"}, "give the server as HOST:PORT"),
            Arguments.of("probe", new String[] {"example.test:99999"}, "PORT must be 1 to 65535"),
            Arguments.of("probe", new String[] {"127.0.0.1:5061", "--timeout", "0"}, "--timeout must be a whole number from 1 to 300"),
            Arguments.of("probe", new String[] {"127.0.0.1:5061", "--timeout", "ten"}, "--timeout must be a whole number"),
            Arguments.of("probe", new String[] {"127.0.0.1:5061", "stray"}, "argument 2 is neither --config FILE nor key=value"),
            Arguments.of("dump", new String[] {"--config", "a"}, "give --out DIR"),
            Arguments.of("dump", new String[] {"--out", "d"}, "give --config FILE or key=value pairs"),
            Arguments.of("bench", new String[] {"--config", "a", "--seconds", "0"}, "--seconds must be a whole number from 1 to 3600"),
            Arguments.of("bench", new String[] {}, "give --config FILE or key=value pairs"),
            Arguments.of("inspect", new String[] {}, "give --config FILE or key=value pairs"),
            Arguments.of("demo", new String[] {"now"}, "argument 1 is one too many"),
            Arguments.of("attach", new String[] {}, "give PID"),
            Arguments.of("attach", new String[] {"12ab"}, "PID must be a process id"),
            Arguments.of("attach", new String[] {"1", "a=b", "c"}, "argument 3 is one too many"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("usageErrors")
    void usageErrorsExit64WithTheCommandsUsageOnStandardError(String command, String[] args, String message) {
        String[] line = new String[args.length + 1];
        line[0] = command;
        System.arraycopy(args, 0, line, 1, args.length);

        Cli.Run r = Cli.run(line);

        assertThat(r.status()).as(r.toString()).isEqualTo(64);
        assertThat(r.out()).as(r.toString()).isEmpty();
        assertThat(r.err()).as(r.toString()).startsWith(command + ": ").contains(message)
            .contains("usage: java -jar ekubridge-agent.jar " + command).contains(command + " --help for more")
            .doesNotContain("\tat ").doesNotContain("Exception");
    }

    @Test
    void aUsageErrorWithJsonPrintsNothingOnStandardOutput() {
        for (String command : COMMANDS) {
            Cli.Run r = Cli.run(command, "--json", "--no-such-option");
            assertThat(r.status()).as(command).isEqualTo(64);
            assertThat(r.out()).as(command).isEmpty();
        }
    }

    @Test
    void aValueThatMayBeASecretIsNeverEchoedInAUsageError() {
        Cli.Run r = Cli.run("doctor", "server.password=S3cret", "Zebra-Violet");
        assertThat(r.status()).isEqualTo(64);
        assertThat(r.err()).contains("argument 2 is neither --config FILE nor key=value").doesNotContain("Zebra");

        Cli.Run odd = Cli.run("doctor", "--S3cret=Zebra!");
        assertThat(odd.err()).doesNotContain("Zebra");
    }

    @Test
    void topLevelHelpListsEveryCommandAndExitsZero() {
        for (String help : new String[] {"--help", "-h", "help"}) {
            Cli.Run r = Cli.run(help);
            assertThat(r.status()).isZero();
            assertThat(r.err()).isEmpty();
            for (String command : COMMANDS) {
                assertThat(r.out()).as(help).contains("  " + command + " ");
            }
            assertThat(r.out()).contains("--version");
        }
    }

    @Test
    void noCommandOrAnUnknownOneIsAUsageError() {
        Cli.Run none = Cli.run();
        assertThat(none.status()).isEqualTo(64);
        assertThat(none.out()).isEmpty();
        assertThat(none.err()).contains("usage: java -jar ekubridge-agent.jar COMMAND");

        Cli.Run unknown = Cli.run("predict");
        assertThat(unknown.status()).isEqualTo(64);
        assertThat(unknown.err()).contains("unknown command 'predict'");

        Cli.Run secret = Cli.run("S3cret=Zebra");
        assertThat(secret.err()).contains("unknown command (argument 1)").doesNotContain("Zebra");
    }

    @Test
    void versionSaysWhenItIsNotRunFromTheJar() {
        // in-process the classes come from target/classes, which has no manifest: CliJarIT checks the jar's version
        Cli.Run r = Cli.run("--version");
        assertThat(r.status()).isZero();
        assertThat(r.out()).startsWith("EKU Bridge agent ").contains("on Java " + System.getProperty("java.version"));

        Cli.Run json = Cli.run("--version", "--json");
        assertThat(json.status()).isZero();
        JsonNode document = json.json();
        assertThat(document.get("command").asText()).isEqualTo("version");
        assertThat(document.has("version")).isTrue();
        assertThat(document.get("exitStatus").asInt()).isZero();

        assertThat(Cli.run("--version", "--bogus").status()).isEqualTo(64);
    }
}
