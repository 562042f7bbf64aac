package dev.ekubridge.agent.cli;

import static dev.ekubridge.agent.cli.CliPki.server;
import static dev.ekubridge.agent.cli.CliPki.trust;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ekubridge.testsupport.pki.Issued;
import dev.ekubridge.testsupport.pki.Pem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** {@code dump}: the diagnostic bundle's files, their names and contents, and never a private key. */
class DumpTest extends WithCliPki {
    private static final String NAME = "_[A-Za-z0-9._-]+_20[0-9]{6}T[0-9]{6}Z";

    private static List<Path> files(Path out) throws IOException {
        try (Stream<Path> files = Files.list(out)) {
            return files.sorted().collect(Collectors.toList());
        }
    }

    private static List<String> serials(Path pem) {
        return Pem.certificates(pem).stream().map(Issued::serialHex).collect(Collectors.toList());
    }

    @Test
    void writesEachRolesChainTheAnchorsAndASummaryNamedByHostAndUtcTimeWithoutAPrivateKey() throws IOException {
        Path config = pki.config("both.properties", server(pki.edge), CliPki.client(pki.coreClient), trust(pki.trustStore));
        Path out = dir.resolve("bundle");

        Cli.Run r = Cli.withConfig("dump", config, "--out", out.toString());

        assertThat(r.status()).as(r.toString()).isZero();
        assertThat(r.out()).contains("EKU Bridge diagnostic bundle written to " + out.toAbsolutePath())
            .contains("(certificates only: no private key or password)");
        List<Path> files = files(out);
        assertThat(files).hasSize(4);
        String host = Dump.hostName();
        for (Path file : files) {
            assertThat(file.getFileName().toString()).matches("(server|client|ca|summary)" + NAME + "\\.(pem|txt)")
                .contains("_" + host + "_");
            String content = Files.readString(file, StandardCharsets.UTF_8);
            assertThat(content).as(file.toString()).doesNotContain("PRIVATE KEY").doesNotContain(CliPki.PASSWORD);
        }
        Path serverPem = only(files, "server_");
        Path clientPem = only(files, "client_");
        Path caPem = only(files, "ca_");
        assertThat(serials(serverPem)).containsExactly(pki.edge.serial(), Issued.serialHex(pki.ca2.certificate()));
        assertThat(serials(clientPem)).containsExactly(pki.coreClient.serial(), Issued.serialHex(pki.ca1.certificate()));
        assertThat(Pem.certificates(caPem)).extracting(X509Certificate::getSubjectX500Principal)
            .containsExactlyInAnyOrder(pki.ca1.certificate().getSubjectX500Principal(), pki.ca2.certificate().getSubjectX500Principal());
        String summary = Files.readString(only(files, "summary_"), StandardCharsets.UTF_8);
        assertThat(summary).contains("EKU Bridge diagnostic bundle").contains("host " + host)
            .contains("EKU Bridge doctor: config file " + config).contains("predictions").contains("verdict: nothing will break")
            .contains(clientPem.getFileName().toString());
    }

    @Test
    void theUpgradeDefaultIsSaidInTheClientFileAndJsonListsTheFiles() throws IOException {
        Path config = pki.config("upgrade.properties", server(pki.edge), trust(pki.trustStore));
        Path out = dir.resolve("bundle-json");

        Cli.Run r = Cli.withConfig("dump", config, "--out", out.toString(), "--json");

        assertThat(r.status()).as(r.toString()).isZero();
        JsonNode json = r.json();
        assertThat(json.get("directory").asText()).isEqualTo(out.toAbsolutePath().toString());
        assertThat(json.get("time").asText()).matches("20[0-9]{6}T[0-9]{6}Z");
        assertThat(json.get("files")).hasSize(4);
        for (JsonNode file : json.get("files")) {
            assertThat(Path.of(file.get("path").asText())).exists();
        }
        Path clientPem = only(files(out), "client_");
        assertThat(Files.readString(clientPem)).startsWith("# the client role presents the server identity (upgrade default");
        assertThat(serials(clientPem)).first().isEqualTo(pki.edge.serial());
        assertThat(Files.readString(only(files(out), "summary_"))).contains("BREAKS   client identity lacks clientAuth");
        for (Path file : files(out)) {
            assertThat(Files.readString(file)).doesNotContain("PRIVATE KEY");
        }
    }

    @Test
    void aDirectoryThatCannotBeWrittenIsExitOneAndABadConfigurationExitTwo() throws IOException {
        Path config = pki.config("ok.properties", server(pki.edge), trust(pki.trustStore));
        Path file = Files.writeString(dir.resolve("not-a-directory"), "x");

        Cli.Run blocked = Cli.withConfig("dump", config, "--out", file.toString());
        assertThat(blocked.status()).as(blocked.toString()).isEqualTo(1);
        assertThat(blocked.err()).startsWith("error: cannot write the bundle into " + file.toAbsolutePath());
        assertThat(blocked.err().strip().split("\n")).hasSize(1);

        Cli.Run bad = Cli.run("dump", "server.keystore=" + CliPki.path(pki.dir.resolve("missing.p12")), "--out", dir.resolve("x").toString());
        assertThat(bad.status()).isEqualTo(2);
        assertThat(bad.err()).contains("no such file");
        assertThat(dir.resolve("x")).doesNotExist();
    }

    private static Path only(List<Path> files, String prefix) {
        List<Path> matching = files.stream().filter(f -> f.getFileName().toString().startsWith(prefix)).collect(Collectors.toList());
        assertThat(matching).as(prefix + " in " + files).hasSize(1);
        return matching.get(0);
    }
}
