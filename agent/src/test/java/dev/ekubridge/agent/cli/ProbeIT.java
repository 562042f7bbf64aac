package dev.ekubridge.agent.cli;

import static dev.ekubridge.agent.cli.CliPki.client;
import static dev.ekubridge.agent.cli.CliPki.server;
import static dev.ekubridge.agent.cli.CliPki.trust;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ekubridge.agent.cli.LoopbackServers.JdkServer;
import dev.ekubridge.agent.cli.LoopbackServers.OpenSslServer;
import dev.ekubridge.agent.cli.LoopbackServers.Silent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code probe} against real endpoints on 127.0.0.1: the JDK's own TLS server (strict, as the JDK is), {@code openssl
 * s_server} requiring a client certificate ({@code -Verify 1}) and one requesting none, every one presenting the Edge's
 * public serverAuth-only chain (CA2), a port where nothing listens, and a server that never answers.
 */
class ProbeIT extends WithCliPki {
    /** Scenario 2.1's Core: CA1 client identity with clientAuth; trusts CA1 and CA2. */
    static Path working;
    /** Scenario 2 test 1's Core: nothing said about the client role, so the public serverAuth-only certificate is presented. */
    static Path upgrade;

    /** After {@link WithCliPki#pki()}: JUnit runs a superclass's {@code @BeforeAll} first. */
    @BeforeAll
    static void configs() {
        working = pki.config("working.properties", server(pki.edge), client(pki.coreClient), trust(pki.trustStore));
        upgrade = pki.config("upgrade.properties", server(pki.edge), trust(pki.trustStore));
    }

    private static Cli.Run probe(int port, String... more) {
        List<String> args = new ArrayList<>(List.of("probe", "127.0.0.1:" + port));
        args.addAll(List.of(more));
        return Cli.run(args.toArray(new String[0]));
    }

    private static void assumeOpenSsl() {
        Assumptions.assumeTrue(LoopbackServers.openSslInstalled(), "openssl is not installed: its cases are skipped");
    }

    @Test
    void theJdksOwnServerRequiringAClientCertificateAcceptsOurClientIdentityAndReportsItsChain() throws Exception {
        try (JdkServer server = new JdkServer(pki.edge, pki.trustStore, true)) {
            Cli.Run r = probe(server.port(), "--config", working.toString());

            assertThat(r.status()).as(r.toString()).isZero();
            assertThat(r.out()).contains("EKU Bridge probe: 127.0.0.1:" + server.port() + " (SNI none; timeout 10 s")
                .containsPattern("handshake     TLSv1\\.[23], ")
                .contains("server chain  2 certificates")
                .contains("  [0] subject  CN=edge.example.test")
                .containsPattern("serial   " + pki.edge.serial() + "\\n")
                .containsPattern("EKU      serverAuth\\n")
                .contains("trust         trusted by truststore " + CliPki.path(pki.trustStore))
                .contains("host name     127.0.0.1 is among the certificate's names")
                .contains("client cert   requested")
                .contains("we presented  client " + pki.coreClient.serial() + " CN=core.example.test, EKU serverAuth, clientAuth")
                .contains("its verdict   accepted")
                .contains("verdict: the link works from here (exit 0)");
            server.awaitConnections(1);
            assertThat(server.clientSerials).containsExactly(pki.coreClient.serial());
        }
    }

    @Test
    void theJdksStrictServerRefusesTheUpgradeDefaultAndProbeNamesTheAlert() throws Exception {
        try (JdkServer server = new JdkServer(pki.edge, pki.trustStore, true)) {
            Cli.Run r = probe(server.port(), "--config", upgrade.toString(), "--json");

            assertThat(r.status()).as(r.toString()).isEqualTo(1);
            JsonNode json = r.json();
            assertThat(json.at("/clientCertificate/requested").asBoolean()).isTrue();
            assertThat(json.at("/clientCertificate/presented/serial").asText()).isEqualTo(pki.edge.serial());
            assertThat(json.at("/clientCertificate/presented/eku").toString()).isEqualTo("[\"serverAuth\"]");
            assertThat(json.at("/clientCertificate/verdict").asText()).as(json.toString()).isEqualTo("refused");
            // the alert itself, unless the server's immediate close reset the connection (or broke our pipe while we
            // still sent our flight) first and it was lost, which the detail then says
            assertThat(json.at("/clientCertificate/alert").asText().isEmpty()
                    && !json.at("/clientCertificate/detail").asText().contains("its alert, if any, was lost")).as(json.toString()).isFalse();
            assertThat(json.toString()).contains("client-certificate-refused").contains("it lacks clientAuth");
            assertThat(json.at("/server/trust/trusted").asBoolean()).isTrue();
            server.awaitConnections(1);
            assertThat(String.join("\n", server.failures)).contains("Extended key usage does not permit use for TLS client authentication");
        }
    }

    @Test
    void anUntrustedServerIsAFindingAndTheHandshakeStillShowsEverythingElse() throws Exception {
        try (JdkServer server = new JdkServer(pki.edge, pki.trustStore, false)) {
            // no configuration: no client certificate and the JDK default trust store, which does not hold CA2
            Cli.Run r = probe(server.port(), "--json", "--sni", "edge.example.test");

            assertThat(r.status()).as(r.toString()).isEqualTo(1);
            JsonNode json = r.json();
            assertThat(json.at("/handshake/completed").asBoolean()).isTrue();
            assertThat(json.at("/server/trust/trusted").asBoolean()).isFalse();
            assertThat(json.at("/server/trust/source").asText()).isEqualTo("the JDK default trust store");
            assertThat(json.at("/server/chain/0/serial").asText()).isEqualTo(pki.edge.serial());
            assertThat(json.at("/server/hostName/matches").asBoolean()).isTrue();
            assertThat(json.at("/target/sni").asText()).isEqualTo("edge.example.test");
            assertThat(json.at("/clientCertificate/requested").asBoolean()).isFalse();
            assertThat(json.at("/clientCertificate/verdict").asText()).isEqualTo("not-asked");
            assertThat(json.get("findings").toString()).contains("server-not-trusted");
            // the server records what it saw on its own thread, after its side of the handshake
            server.awaitConnections(1);
            assertThat(server.serverNames).containsExactly("edge.example.test");
            assertThat(server.clientSerials).containsExactly("none");
        }
    }

    @Test
    void opensslRequiringAClientCertificateAcceptsOurClientIdentityAndListsTheIssuersItAccepts() {
        assumeOpenSsl();
        try (OpenSslServer server = new OpenSslServer(dir, pki.edge, pki.caBundle, true)) {
            Cli.Run r = probe(server.port, "--config", working.toString(), "--json");

            assertThat(r.status()).as(r + server.transcript()).isZero();
            JsonNode json = r.json();
            assertThat(json.at("/clientCertificate/requested").asBoolean()).isTrue();
            List<String> issuers = new ArrayList<>();
            json.at("/clientCertificate/acceptedIssuers").forEach(i -> issuers.add(i.asText()));
            assertThat(issuers).containsExactlyInAnyOrder(pki.ca1.certificate().getSubjectX500Principal().getName(),
                pki.ca2.certificate().getSubjectX500Principal().getName());
            assertThat(json.at("/clientCertificate/presented/serial").asText()).isEqualTo(pki.coreClient.serial());
            assertThat(json.at("/clientCertificate/verdict").asText()).isEqualTo("accepted");
            assertThat(json.at("/server/chain/0/eku").toString()).isEqualTo("[\"serverAuth\"]");
            assertThat(server.clientSerials()).containsExactly(pki.coreClient.serial());
        }
    }

    @Test
    void opensslRefusesAServerAuthOnlyClientCertificateOrNoneAndProbeSaysSo() {
        assumeOpenSsl();
        try (OpenSslServer server = new OpenSslServer(dir, pki.edge, pki.caBundle, true)) {
            Cli.Run refused = probe(server.port, "--config", upgrade.toString());
            assertThat(refused.status()).as(refused + server.transcript()).isEqualTo(1);
            assertThat(refused.out()).contains("we presented  client " + pki.edge.serial())
                .contains("its verdict   REFUSED: alert ")
                .contains("BREAKS   the server asks for a client certificate and it refused our client certificate " + pki.edge.serial())
                .contains("it lacks clientAuth");

            Cli.Run none = probe(server.port);
            assertThat(none.status()).as(none.toString()).isEqualTo(1);
            assertThat(none.out()).contains("we presented  nothing (no configuration given")
                .contains("its verdict   REFUSED: alert certificate_required");
        }
    }

    @Test
    void opensslAskingForNoClientCertificate() {
        assumeOpenSsl();
        try (OpenSslServer server = new OpenSslServer(dir, pki.edge, pki.caBundle, false)) {
            Cli.Run r = probe(server.port, "--config", working.toString());

            assertThat(r.status()).as(r + server.transcript()).isZero();
            assertThat(r.out()).contains("client cert   not requested").doesNotContain("we presented")
                .contains("findings\n  none");
        }
    }

    @Test
    void aPortWhereNothingListensIsExitOneInWords() {
        int port = LoopbackServers.closedPort();

        Cli.Run r = probe(port);

        assertThat(r.status()).isEqualTo(1);
        assertThat(r.out()).contains("connect       FAILED: connection refused: nothing listens on 127.0.0.1:" + port);
        JsonNode json = probe(port, "--json").json();
        assertThat(json.get("connected").asBoolean()).isFalse();
        assertThat(json.get("findings").toString()).contains("no-connection");
    }

    @Test
    void aServerThatNeverAnswersIsCutOffAtTheTimeout() throws Exception {
        try (Silent server = new Silent()) {
            long start = System.nanoTime();
            Cli.Run r = probe(server.port(), "--timeout", "2", "--json");
            long millis = (System.nanoTime() - start) / 1_000_000;

            assertThat(millis).as("bounded by the timeout").isLessThan(4_000);
            assertThat(r.status()).isEqualTo(1);
            JsonNode json = r.json();
            assertThat(json.get("connected").asBoolean()).isTrue();
            assertThat(json.at("/handshake/completed").asBoolean()).isFalse();
            assertThat(json.at("/target/timeoutSeconds").asInt()).isEqualTo(2);
            assertThat(json.toString()).contains("2 s");
        }
    }
}
