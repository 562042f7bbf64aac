package dev.ekubridge.agent.cli;

import static dev.ekubridge.agent.cli.CliPki.server;
import static dev.ekubridge.agent.cli.CliPki.trust;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ekubridge.testsupport.pki.TestPki;
import dev.ekubridge.testsupport.process.Jvm;
import dev.ekubridge.testsupport.process.ManagedProcess;
import dev.ekubridge.testsupport.process.Outcome;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The command line as operators run it, {@code java -jar ekubridge-agent.jar COMMAND} in a JVM of its own: the
 * shaded jar's manifest version, help and usage errors of every command, what depends on the JVM's own trust store,
 * and that the relocated logging stays quiet where it must.
 */
class CliJarIT extends WithCliPki {
    private static Outcome jar(List<String> jvmOptions, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Jvm.currentJava().toString());
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(Jvm.agentJar().toString());
        command.addAll(List.of(args));
        return ManagedProcess.run("cli", command, dir, Map.of(), Duration.ofSeconds(90));
    }

    private static Outcome jar(String... args) {
        return jar(List.of(), args);
    }

    @Test
    void versionComesFromTheJarManifest() {
        String version = System.getProperty("ekubridge.version");
        assertThat(version).as("failsafe passes -Dekubridge.version").isNotBlank();

        Outcome text = jar("--version");
        assertThat(text.exit()).as(text.describe()).isZero();
        assertThat(text.stdout()).startsWith("EKU Bridge agent " + version + " on Java ");

        Outcome json = jar("--version", "--json");
        assertThat(Cli.parse(json.stdout()).get("version").asText()).isEqualTo(version);
    }

    @Test
    void everyCommandHasHelpAndAUsageErrorExitsSixtyFourWithoutAStackTrace() {
        Outcome top = jar("--help");
        assertThat(top.exit()).as(top.describe()).isZero();
        for (String command : MainTest.COMMANDS) {
            Outcome help = jar(command, "--help");
            assertThat(help.exit()).as(help.describe()).isZero();
            assertThat(help.stdout()).startsWith("usage: java -jar ekubridge-agent.jar " + command);
            assertThat(help.stderr()).isEmpty();

            Outcome usage = jar(command, "--no-such-option");
            assertThat(usage.exit()).as(usage.describe()).isEqualTo(64);
            assertThat(usage.stdout()).isEmpty();
            assertThat(usage.stderr()).startsWith(command + ": unknown option --no-such-option")
                .contains("usage: java -jar ekubridge-agent.jar " + command).doesNotContain("\tat ");
        }
        Outcome none = jar();
        assertThat(none.exit()).isEqualTo(64);
    }

    @Test
    void doctorSaysSoWhenTheJvmsDefaultTrustStoreIsEmpty() {
        Path empty = TestPki.writeTrustStore(dir.resolve("empty-cacerts.p12"), "PKCS12", CliPki.PASSWORD.toCharArray());
        List<String> emptyTrust = List.of("-Djavax.net.ssl.trustStore=" + empty, "-Djavax.net.ssl.trustStorePassword=" + CliPki.PASSWORD,
            "-Djavax.net.ssl.trustStoreType=PKCS12");
        String keystore = "server.keystore=" + CliPki.path(pki.coreClient.p12());

        Outcome text = jar(emptyTrust, "doctor", keystore, "server.password=" + CliPki.PASSWORD);
        assertThat(text.exit()).as(text.describe()).isEqualTo(1);
        assertThat(text.stdout()).contains("trust         the JDK default trust store").contains(": 0 anchors")
            .contains("BREAKS   trust store empty");

        Outcome json = jar(emptyTrust, "doctor", "--json", keystore, "server.password=" + CliPki.PASSWORD);
        JsonNode document = Cli.parse(json.stdout());
        assertThat(document.get("exitStatus").asInt()).isEqualTo(1);
        assertThat(document.get("findings").toString()).contains("trust-store-empty");
        assertThat(document.at("/predictions/2/outcome").asText()).isEqualTo("down");
        assertThat(document.at("/predictions/2/refusedBy").asText()).isEqualTo("us");
    }

    @Test
    void benchInAuditModeWritesOnlyItsProgressToStandardError() {
        // audit mode logs every relaxed handshake on ekubridge.audit: the bench turns that logger off, through the relocated backend
        Path config = pki.config("audit.properties", server(pki.edge), List.of("client.identity=server", "inbound.eku=audit"),
            trust(pki.trustStore));

        Outcome r = jar("bench", "--config", config.toString(), "--seconds", "1", "--json");

        assertThat(r.exit()).as(r.describe()).isZero();
        assertThat(Cli.parse(r.stdout()).get("path").asText()).isEqualTo("relaxed");
        assertThat(r.stderrLines()).as(r.describe()).allMatch(line -> line.startsWith("bench: "));
    }

    @Test
    void attachToAnUnknownPidNamesTheProblemInWords() {
        long pid = 4_194_304L + 54_321L;
        assertThat(ProcessHandle.of(pid)).isEmpty();

        Outcome r = jar("attach", Long.toString(pid));

        assertThat(r.exit()).as(r.describe()).isEqualTo(1);
        assertThat(r.stderrLines()).singleElement().asString()
            .isEqualTo("error: cannot attach to JVM " + pid + ": no process with PID " + pid + " on this machine");
    }
}
