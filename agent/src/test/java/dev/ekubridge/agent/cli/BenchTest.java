package dev.ekubridge.agent.cli;

import static dev.ekubridge.agent.cli.CliPki.client;
import static dev.ekubridge.agent.cli.CliPki.server;
import static dev.ekubridge.agent.cli.CliPki.trust;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code bench}: smoke runs of one or two seconds (never a timed assertion), both paths, and what stops it. */
class BenchTest extends WithCliPki {
    @Test
    void theNormalPathMeasuresBothSidesAndPrintsTheRatioWithItsSpread() {
        Path config = pki.config("normal.properties", server(pki.edge), client(pki.coreClient), trust(pki.trustStore));

        Cli.Run r = Cli.withConfig("bench", config, "--seconds", "2");

        assertThat(r.status()).as(r.toString()).isZero();
        assertThat(r.out()).contains("path        normal: the client identity " + pki.coreClient.serial() + " has clientAuth")
            .containsPattern("EKU Bridge  RoleAwareKeyManager \\+ EkuPolicyTrustManager \\(strict\\)\\s+[0-9]+\\.[0-9]")
            .containsPattern("JDK         SunX509 key manager \\+ PKIX trust manager\\s+[0-9]+\\.[0-9]")
            .containsPattern("ratio EKU Bridge / JDK: [0-9]+\\.[0-9]{3} \\(median of [0-9]+ per-round ratios; interquartile range "
                + "[0-9]+\\.[0-9]{3} \\.\\. [0-9]+\\.[0-9]{3}\\)");
        // progress on standard error, one line at the start when it is not a terminal, never on standard output
        assertThat(r.err()).startsWith("bench: measuring for 2 s").contains("bench: done, ");
        assertThat(r.out()).doesNotContain("bench: measuring");
    }

    @Test
    void theRelaxedPathInLenientModeAndJsonOnStandardOutputOnly() {
        // the operator's choice: the public serverAuth-only certificate as client certificate, peers lenient
        Path config = pki.config("relaxed.properties", server(pki.edge), List.of("client.identity=server", "inbound.eku=lenient"),
            trust(pki.trustStore));

        Cli.Run r = Cli.withConfig("bench", config, "--seconds", "1", "--json");

        assertThat(r.status()).as(r.toString()).isZero();
        JsonNode json = r.json();
        assertThat(json.get("command").asText()).isEqualTo("bench");
        assertThat(json.get("path").asText()).isEqualTo("relaxed");
        assertThat(json.get("inboundEku").asText()).isEqualTo("lenient");
        assertThat(json.get("clientSerial").asText()).isEqualTo(pki.edge.serial());
        assertThat(json.get("blockSize").asInt()).isEqualTo(15);
        assertThat(json.get("rounds").asInt()).isPositive();
        assertThat(json.at("/ekuBridge/handshakesPerSecond").asDouble()).isPositive();
        assertThat(json.at("/jdk/handshakesPerSecond").asDouble()).isPositive();
        assertThat(json.at("/jdk/managers").asText()).contains("EKU refusal ignored");
        double median = json.at("/ratio/median").asDouble();
        assertThat(json.at("/ratio/p25").asDouble()).isLessThanOrEqualTo(median);
        assertThat(json.at("/ratio/p75").asDouble()).isGreaterThanOrEqualTo(median);
        assertThat(r.err()).contains("bench: measuring for 1 s");
    }

    @Test
    void aClientWithoutClientAuthInStrictModeCannotHandshakeAndExitsOne() {
        Path config = pki.config("strict.properties", server(pki.edge), trust(pki.trustStore));

        Cli.Run r = Cli.withConfig("bench", config, "--seconds", "1");

        assertThat(r.status()).as(r.toString()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("error: cannot bench: the client identity " + pki.edge.serial())
            .contains("lacks clientAuth and inbound.eku=strict refuses it");
    }

    @Test
    void trustThatRefusesOurOwnCertificatesIsExitOneAndNoIdentityExitTwo() {
        // the public roots only: our own CA1 client certificate is not trusted by our own server side
        Path config = pki.config("public.properties", server(pki.edge), client(pki.coreClient), trust(pki.publicTrustStore));

        Cli.Run r = Cli.withConfig("bench", config, "--seconds", "1", "--json");

        assertThat(r.status()).as(r.toString()).isEqualTo(1);
        assertThat(r.json().get("error").asText()).startsWith("cannot bench: a handshake with EKU Bridge's managers failed");

        Cli.Run none = Cli.run("bench", "inbound.eku=lenient", "--seconds", "1");
        assertThat(none.status()).isEqualTo(2);
        assertThat(none.err()).contains("bench needs a server identity");
    }
}
