package dev.ekubridge.it.netty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ekubridge.it.support.AgentLog;
import dev.ekubridge.it.support.Pki.Leaf;
import dev.ekubridge.it.support.Work;
import dev.ekubridge.testsupport.process.Processes;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The inbound EKU policy in an unmodified Netty 4.2 server (issue 9): the agent wraps the trust manager Netty takes
 * from the application's own {@code TrustManagerFactory}, with {@code SslProvider.OPENSSL} (BoringSSL calls it through
 * Netty's verify callback) as with {@code JDK}. Three stock JDK clients connect to the server in turn:
 * <ol>
 * <li>a public serverAuth-only certificate from CA2, which the server trusts: {@code strict} refuses it,
 *     {@code lenient} accepts it, and without the agent the JDK refuses it with its own EKU message;</li>
 * <li>a clientAuth certificate from CA3, which the server does not trust: refused in every mode;</li>
 * <li>a clientAuth certificate from CA1: accepted in every mode.</li>
 * </ol>
 * Under the agent ({@code log.handshakes=true}) every verdict has its {@code ekubridge.handshakes} line, which shows
 * the agent was in the path; without the agent there is none.
 */
class NettyInboundEkuIT extends NettyTest {
    static Stream<Arguments> cases() {
        List<Arguments> all = new ArrayList<>();
        for (NettyVariant variant : NettyVariant.values()) {
            for (String mode : List.of("strict", "lenient", "no agent")) {
                all.add(Arguments.of(variant, mode));
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("cases")
    void inboundPolicyOfANettyServer(NettyVariant variant, String mode) {
        boolean agent = !mode.equals("no agent");
        Path dir = Work.dir("NettyInboundEkuIT", variant.name(), mode);
        try (Processes processes = new Processes()) {
            AppProcess server = AppProcess.start(processes, dir, "netty-server", variant.jdk, NettyServerApp.class,
                agent ? NettyPki.agentWithPolicy(mode) : null, pki.serverArgs(variant));
            int port = server.awaitReady();
            variant.assertEngine(server.values(), server.transcript());

            // 1. serverAuth only, trusted issuer
            boolean acceptsPublic = mode.equals("lenient");
            Outcome publicClient = connect(server, 1, port, pki.peerPublic, variant);
            publicClient.expect(acceptsPublic, pki.peerPublic);
            if (agent) {
                AgentLog.Decision decision = publicClient.decision(pki.peerPublic);
                assertThat(decision.mode()).isEqualTo(mode);
                if (acceptsPublic) {
                    assertThat(decision.detail()).isEqualTo("serverAuth instead of clientAuth");
                } else {
                    assertThat(decision.detail()).startsWith(NettyPki.EKU_REFUSAL + " (clientAuth)");
                    assertThat(publicClient.serverFailure()).as("the refusal reaches Netty as the agent's exception")
                        .contains(NettyPki.EKU_REFUSAL + " (clientAuth)").contains("(inbound.eku=strict)");
                }
            } else {
                assertThat(publicClient.serverFailure()).as("the JDK's own refusal").contains(NettyPki.EKU_REFUSAL)
                    .doesNotContain("inbound.eku");
            }

            // 2. an issuer the server does not trust
            Outcome rogue = connect(server, 2, port, pki.rogue, variant);
            rogue.expect(false, pki.rogue);
            if (agent) {
                assertThat(rogue.decision(pki.rogue).detail()).doesNotContain("Extended key usage");
            }

            // 3. clientAuth, trusted issuer
            Outcome clientAuth = connect(server, 3, port, pki.peerClient, variant);
            clientAuth.expect(true, pki.peerClient);
            if (agent) {
                assertThat(clientAuth.decision(pki.peerClient).detail()).isEqualTo("clientAuth");
            }

            List<String> lines = server.handshakeLines();
            if (agent) {
                assertThat(server.decisions()).as("one inbound decision per connection\n%s", server.transcript())
                    .extracting(d -> d.direction() + " " + d.serial() + " " + (d.accepted() ? "accepted" : "refused"))
                    .containsExactly("inbound " + pki.peerPublic.serialHex() + " " + (acceptsPublic ? "accepted" : "refused"),
                        "inbound " + pki.rogue.serialHex() + " refused",
                        "inbound " + pki.peerClient.serialHex() + " accepted");
            } else {
                assertThat(lines).as("no agent, no ekubridge.handshakes line").isEmpty();
                assertThat(server.err()).noneMatch(l -> l.contains("ekubridge"));
            }
        }
    }

    /** The stock JDK client presenting {@code client} (it trusts CA1 and CA2), and the server's report of that connection. */
    private Outcome connect(AppProcess server, int number, int port, Leaf client, NettyVariant variant) {
        JdkPeer.Seen seen = JdkPeer.connect(port, client, pki.trust.p12(), variant.protocol);
        return new Outcome(server, number, seen, server.connection(number, WAIT));
    }

    /** One connection as both sides saw it. */
    private record Outcome(AppProcess server, int number, JdkPeer.Seen client, Map<String, String> connection) {
        void expect(boolean accepted, Leaf peer) {
            String context = "connection " + number + " from " + peer + ": stock client saw " + client + "\n" + server.transcript();
            if (accepted) {
                assertThat(connection.get("RESULT")).as(context).isEqualTo("OK");
                assertThat(connection.get("SERVER_SAW_CLIENT_SERIAL")).as(context).isEqualTo(peer.serialHex());
                assertThat(client.failure()).as(context).isNull();
                assertThat(client.reply()).isEqualTo("echo hello");
            } else {
                assertThat(connection.get("RESULT")).as(context).startsWith("FAIL");
                assertThat(connection.get("SERVER_SAW_CLIENT_SERIAL")).as(context).isNull();
                assertThat(client.failure()).as(context).isNotNull();
                assertThat(client.reply()).as(context).isNull();
            }
        }

        String serverFailure() {
            return connection.get("SERVER_FAILURE");
        }

        AgentLog.Decision decision(Leaf peer) {
            return server.awaitDecision("inbound", peer.serialHex(), LOG_WAIT)
                .orElseThrow(() -> new AssertionError("no inbound decision about " + peer + "\n" + server.transcript()));
        }
    }
}
