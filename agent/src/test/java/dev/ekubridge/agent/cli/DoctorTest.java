package dev.ekubridge.agent.cli;

import static dev.ekubridge.agent.cli.CliPki.client;
import static dev.ekubridge.agent.cli.CliPki.path;
import static dev.ekubridge.agent.cli.CliPki.server;
import static dev.ekubridge.agent.cli.CliPki.trust;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/** {@code doctor}: predictions and findings for the scenarios' configurations, and its exit statuses. */
class DoctorTest extends WithCliPki {
    private static JsonNode prediction(JsonNode document, String direction, String peerStart) {
        return StreamSupport.stream(document.get("predictions").spliterator(), false)
            .filter(p -> p.get("direction").asText().equals(direction) && p.get("peer").asText().startsWith(peerStart))
            .findFirst().orElseThrow(() -> new AssertionError(direction + " " + peerStart + " in " + document.toPrettyString()));
    }

    /** {@code doctor --config CONFIG}, which must exit with {@code status}. */
    private static Cli.Run doctor(Path config, int status) {
        Cli.Run r = Cli.withConfig("doctor", config);
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        return r;
    }

    /** {@code doctor --config CONFIG --json}: its one document, which must give {@code status} as its exit status. */
    private static JsonNode doctorJson(Path config, int status) {
        JsonNode json = Cli.withConfig("doctor", config, "--json").json();
        assertThat(json.get("exitStatus").asInt()).isEqualTo(status);
        return json;
    }

    private static List<String> codes(JsonNode document, String severity) {
        List<String> codes = new ArrayList<>();
        for (JsonNode finding : document.get("findings")) {
            if (finding.get("severity").asText().equals(severity)) {
                codes.add(finding.get("code").asText());
            }
        }
        return codes;
    }

    @Test
    void theUpgradeDefaultWithAPublicServerAuthOnlyCertificateWillBreakAndExitsOne() {
        // scenario 2 test 1 for one node: CA2 serverAuth only, nothing said about the client role
        Path config = pki.config("upgrade.properties", server(pki.edge), trust(pki.trustStore));

        Cli.Run r = doctor(config, 1);

        assertThat(r.err()).isEmpty();
        assertThat(r.out()).contains("EKU Bridge doctor: config file " + config)
            .contains("client role   presents the server identity, by the upgrade default")
            .containsPattern("we dial\\s+checks EKU strictly \\(wants clientAuth\\)\\s+our client cert\\s+DOWN\\s+the peer\\s+"
                + "no clientAuth in it, only serverAuth \\(scenario 2 test 1")
            .containsPattern("we dial\\s+lenient \\(takes serverAuth instead\\)\\s+our client cert\\s+UP\\s+it takes serverAuth instead")
            .containsPattern("it dials\\s+strict or lenient; has serverAuth only\\s+its client cert\\s+DOWN\\s+us\\s+no clientAuth in it; "
                + "inbound.eku=strict \\(scenario 2 test 1, the Edge\\)")
            .contains("BREAKS   client identity lacks clientAuth: no client identity is configured, so the server identity "
                + pki.edge.serial())
            .contains("verdict: something will break: 1 finding marked BREAKS (exit 1)");

        JsonNode json = doctorJson(config, 1);
        assertThat(json.get("command").asText()).isEqualTo("doctor");
        assertThat(json.get("breaks").asBoolean()).isTrue();
        assertThat(json.at("/roles/client/kind").asText()).isEqualTo("upgrade-default");
        assertThat(json.at("/roles/client/presented/serial").asText()).isEqualTo(pki.edge.serial());
        assertThat(json.at("/roles/client/presented/eku").toString()).isEqualTo("[\"serverAuth\"]");
        JsonNode strict = prediction(json, "outbound", "checks EKU strictly");
        assertThat(strict.get("outcome").asText()).isEqualTo("down");
        assertThat(strict.get("refusedBy").asText()).isEqualTo("the peer");
        assertThat(prediction(json, "outbound", "lenient").get("outcome").asText()).isEqualTo("up");
        assertThat(prediction(json, "inbound", "strict or lenient; has serverAuth only").get("refusedBy").asText()).isEqualTo("us");
        assertThat(codes(json, "breaks")).containsExactly("client-lacks-clientauth");
        assertThat(codes(json, "info")).contains("upgrade-default", "inbound-strict", "expires");
    }

    @Test
    void presentingTheServerCertificateAsClientCertificateByChoiceBreaksToo() {
        // scenario 4: the Edge's client role is its public server certificate, explicitly
        Path config = pki.config("edge-explicit.properties", server(pki.edge), List.of("client.identity=server"),
            trust(pki.trustStore));

        JsonNode json = doctorJson(config, 1);

        assertThat(json.at("/roles/client/kind").asText()).isEqualTo("server-explicit");
        assertThat(prediction(json, "outbound", "checks EKU strictly").get("why").asText()).contains("scenario 4");
        assertThat(codes(json, "breaks")).containsExactly("client-lacks-clientauth");
    }

    @Test
    void aPrivateClientCertificateBesideThePublicServerOneWillNotBreakAndExitsZero() {
        // scenario 2.1: CA1 client identity with clientAuth, CA2 server identity
        Path config = pki.config("working.properties", server(pki.edge), client(pki.coreClient), trust(pki.trustStore));

        Cli.Run r = doctor(config, 0);

        assertThat(r.out()).contains("client role   presents " + pki.coreClient.serial())
            .containsPattern("we dial\\s+checks EKU strictly \\(wants clientAuth\\)\\s+our client cert\\s+UP\\s+it has clientAuth")
            .doesNotContain("BREAKS")
            .contains("verdict: nothing will break");
        JsonNode json = doctorJson(config, 0);
        assertThat(json.get("breaks").asBoolean()).isFalse();
        assertThat(json.at("/roles/client/kind").asText()).isEqualTo("own");
        assertThat(codes(json, "breaks")).isEmpty();
        assertThat(codes(json, "warning")).isEmpty();
    }

    @Test
    void lenientAcceptsServerAuthOnlyPeersThatDialUs() {
        Cli.Run r = Cli.run("doctor", "--json", "server.keystore=" + path(pki.edge.p12()), "server.password=" + CliPki.PASSWORD,
            "client.keystore=" + path(pki.coreClient.p12()), "client.password=" + CliPki.PASSWORD, "inbound.eku=lenient",
            "truststore=" + path(pki.trustStore), "truststore.password=" + CliPki.PASSWORD);

        JsonNode json = r.json();
        assertThat(json.get("source").asText()).isEqualTo("command line");
        assertThat(json.get("inboundEku").asText()).isEqualTo("lenient");
        JsonNode serverOnly = prediction(json, "inbound", "strict or lenient; has serverAuth only");
        assertThat(serverOnly.get("outcome").asText()).isEqualTo("up");
        assertThat(serverOnly.get("why").asText()).contains("accepted instead of clientAuth (inbound.eku=lenient)");
        assertThat(codes(json, "info")).contains("inbound-lenient");
    }

    @Test
    void anExpiryWithinThirtyDaysIsAWarningNotABreak() {
        Path config = pki.config("expiring.properties", server(pki.edge), client(pki.expiring), trust(pki.trustStore));

        Cli.Run r = doctor(config, 0);

        assertThat(r.out()).contains("WARNING  client identity " + pki.expiring.serial() + " (CN=expiring.example.test) expires in 10 days");
        assertThat(codes(doctorJson(config, 0), "warning")).containsExactly("expires-soon");
    }

    @Test
    void aChainWithoutItsIntermediateIsIncompleteAndWillBreak() {
        Path config = pki.config("incomplete.properties", server(pki.incomplete), client(pki.coreClient), trust(pki.trustStore));

        JsonNode json = doctorJson(config, 1);

        assertThat(codes(json, "breaks")).containsExactly("chain-incomplete");
        assertThat(json.toString()).contains("chain incomplete: the server identity's chain (1 certificate) ends at "
            + pki.incomplete.serial()).contains("CN=EKU Bridge CLI CA2 issuing");
    }

    @Test
    void anIdentityWhoseIssuerIsNotInTheTrustStoreIsAWarning() {
        // only public roots trusted, the client identity from the private CA1 (scenario 3's outside party)
        Path config = pki.config("public-trust.properties", server(pki.edge), client(pki.coreClient), trust(pki.publicTrustStore));

        Cli.Run r = doctor(config, 0);

        assertThat(r.out()).contains("WARNING  issuer not in the trust store: the client identity chains to CN=EKU Bridge CLI CA1 (internal)");
        assertThat(codes(doctorJson(config, 0), "warning")).containsExactly("issuer-not-trusted");
    }

    @Test
    void aBadConfigurationIsOneErrorLineAndExitTwo() {
        Path config = pki.properties("bad.properties", "server.keystore=" + path(pki.edge.p12()), "server.password=wrong-one");

        Cli.Run r = doctor(config, 2);

        assertThat(r.out()).isEmpty();
        assertThat(r.err().strip().split("\n")).hasSize(1);
        assertThat(r.err()).startsWith("error: server.keystore " + path(pki.edge.p12())).contains("wrong password")
            .doesNotContain("wrong-one").doesNotContain("agent argument");

        Cli.Run json = Cli.withConfig("doctor", config, "--json");
        assertThat(json.status()).isEqualTo(2);
        assertThat(json.json().get("exitStatus").asInt()).isEqualTo(2);
        assertThat(json.json().get("error").asText()).contains("wrong password");

        Cli.Run typo = Cli.run("doctor", "inbound.eku=loose");
        assertThat(typo.status()).isEqualTo(2);
        assertThat(typo.err()).contains("inbound.eku (from command-line argument inbound.eku)");
    }

    @Test
    void withoutAnyIdentityTheApplicationsOwnManagersServeBothRoles() {
        JsonNode json = Cli.run("doctor", "inbound.eku=lenient", "--json").json();

        assertThat(json.get("exitStatus").asInt()).isZero();
        assertThat(json.at("/roles/server/presented").isNull()).isTrue();
        assertThat(prediction(json, "outbound", "checks EKU strictly").get("outcome").asText()).isEqualTo("unknown");
        assertThat(codes(json, "info")).contains("no-identity");
    }
}
