package dev.ekubridge.it.netty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ekubridge.it.support.AgentLog;
import dev.ekubridge.it.support.Work;
import dev.ekubridge.testsupport.process.Processes;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Role separation in unmodified Netty 4.2 applications (issue 9): the agent, configured with a client identity only
 * ({@code client.keystore}, nothing for the server role), reaches the key managers Netty takes from the application's
 * own {@code KeyManagerFactory}, with {@code SslProvider.OPENSSL} (BoringSSL, which never creates an
 * {@code SSLContext}) as with {@code SslProvider.JDK}. The application's key store holds only its public
 * serverAuth-only certificate. The peer is a stock JDK endpoint in the test JVM (SunJSSE, PKIX trust manager).
 */
class NettyRolesIT extends NettyTest {
    /**
     * The Netty client under the agent presents the agent's client identity, which the stock strict server accepts;
     * without the agent it presents its serverAuth-only certificate, which the stock server refuses with the JDK's
     * EKU message.
     */
    @ParameterizedTest(name = "{0}: Netty client presents the agent's client identity; alone, its serverAuth-only certificate is refused")
    @EnumSource(NettyVariant.class)
    void nettyClientPresentsTheAgentsClientIdentity(NettyVariant variant) throws Exception {
        Path dir = Work.dir("NettyRolesIT", "client", variant.name());
        try (Processes processes = new Processes();
             JdkPeer.Server server = new JdkPeer.Server(pki.peerServer, pki.trust.p12(), variant.protocol)) {
            AppProcess withAgent = client(processes, dir, "netty-client-agent", variant, pki.agentWithClientIdentity(), server.port());
            Map<String, String> printed = withAgent.finish();
            JdkPeer.Seen seen = server.next();
            variant.assertEngine(printed, withAgent.transcript());
            assertThat(printed.get("RESULT")).as("Netty client under the agent -> stock strict server\n%s\nserver saw %s",
                withAgent.transcript(), seen).isEqualTo("OK");
            assertThat(seen.failure()).isNull();
            assertThat(seen.protocol()).isEqualTo(variant.protocol);
            assertThat(seen.peerSerial()).as("the client certificate the stock server received").isEqualTo(pki.agentClient.serialHex());
            assertThat(printed.get("CLIENT_PRESENTED")).as("what the Netty client's session says it presented")
                .isEqualTo(pki.agentClient.serialHex());
            assertThat(printed.get("CLIENT_SAW_SERVER_SERIAL")).isEqualTo(pki.peerServer.serialHex());
            List<AgentLog.Presented> presented = withAgent.presentations();
            assertThat(presented).as("one key choice, the client identity\n%s", withAgent.transcript()).singleElement()
                .satisfies(p -> assertThat(p.role() + " " + p.serial()).isEqualTo("client " + pki.agentClient.serialHex()));
            assertThat(withAgent.decisions()).as("the agent judged the server's certificate (outbound)")
                .anySatisfy(d -> assertThat(d.direction() + " " + d.serial() + " " + d.accepted())
                    .isEqualTo("outbound " + pki.peerServer.serialHex() + " true"));

            AppProcess alone = client(processes, dir, "netty-client-alone", variant, null, server.port());
            Map<String, String> refused = alone.finish();
            JdkPeer.Seen refusal = server.next();
            variant.assertEngine(refused, alone.transcript());
            assertThat(refused.get("RESULT")).as("Netty client alone\n%s", alone.transcript()).startsWith("FAIL");
            assertThat(refusal.failure()).as("the stock server's refusal").contains(NettyPki.EKU_REFUSAL);
            assertThat(refusal.peerSerial()).isNull();
            if (refused.get("CLIENT_PRESENTED") != null) {
                // TLS 1.3: the client's handshake ended before the server judged its certificate
                assertThat(refused.get("CLIENT_PRESENTED")).isEqualTo(pki.appServer.serialHex());
            }
            assertThat(alone.handshakeLines()).isEmpty();
        }
    }

    /**
     * The Netty server under the same agent still presents the application's own server certificate (the agent has
     * nothing for the server role), and accepts the stock client's clientAuth certificate.
     */
    @ParameterizedTest(name = "{0}: Netty server under the agent keeps presenting its own server certificate")
    @EnumSource(NettyVariant.class)
    void nettyServerKeepsPresentingItsOwnCertificate(NettyVariant variant) {
        Path dir = Work.dir("NettyRolesIT", "server", variant.name());
        try (Processes processes = new Processes()) {
            AppProcess server = AppProcess.start(processes, dir, "netty-server-agent", variant.jdk, NettyServerApp.class,
                pki.agentWithClientIdentity(), pki.serverArgs(variant));
            int port = server.awaitReady();
            variant.assertEngine(server.values(), server.transcript());

            JdkPeer.Seen seen = JdkPeer.connect(port, pki.peerClient, pki.trust.p12(), variant.protocol);
            Map<String, String> connection = server.connection(1, WAIT);
            assertThat(seen.failure()).as("stock client -> Netty server under the agent\n%s", server.transcript()).isNull();
            assertThat(seen.reply()).isEqualTo("echo hello");
            assertThat(seen.protocol()).isEqualTo(variant.protocol);
            assertThat(seen.peerSerial()).as("the server certificate the stock client received").isEqualTo(pki.appServer.serialHex());
            assertThat(connection.get("RESULT")).isEqualTo("OK");
            assertThat(connection.get("SERVER_PRESENTED")).isEqualTo(pki.appServer.serialHex());
            assertThat(connection.get("SERVER_SAW_CLIENT_SERIAL")).isEqualTo(pki.peerClient.serialHex());
            List<String> choices = server.handshakeLines().stream().filter(l -> l.contains(" role: presenting")).toList();
            assertThat(choices).as("one key choice: the application's own certificate, through the agent\n%s", server.transcript())
                .singleElement().satisfies(l -> assertThat(l)
                    .contains("server role: presenting the application's 'app-server'")
                    .contains("serial " + pki.appServer.serialHex()));
            // the agent may write its decision after the stock client has its reply: wait for the line, do not read once
            assertThat(server.awaitDecision("inbound", pki.peerClient.serialHex(), LOG_WAIT))
                .as("the agent judged the stock client's certificate (inbound)\n%s", server.transcript())
                .hasValueSatisfying(d -> assertThat(d.direction() + " " + d.serial() + " " + d.detail())
                    .isEqualTo("inbound " + pki.peerClient.serialHex() + " clientAuth"));
        }
    }

    private AppProcess client(Processes processes, Path dir, String name, NettyVariant variant, Map<String, String> agent, int port) {
        return AppProcess.start(processes, dir, name, variant.jdk, NettyClientApp.class, agent, pki.clientArgs(variant, port));
    }
}
