package dev.ekubridge.it;

import dev.ekubridge.testsupport.process.Processes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ekubridge.it.support.AgentLog;
import dev.ekubridge.it.support.Fields;
import dev.ekubridge.it.support.OpenSsl;
import dev.ekubridge.it.support.Pki;
import dev.ekubridge.it.support.Pki.Leaf;
import dev.ekubridge.it.support.Pki.Usage;
import dev.ekubridge.it.support.SipNodeProcess;
import dev.ekubridge.it.support.Variant;
import dev.ekubridge.it.support.Work;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * OpenSSL's {@code s_server} and {@code s_client} as the peers of the unmodified JAIN-SIP node: they
 * print, independently of Java, which certificate the node presents in each role, and they apply
 * OpenSSL's purpose checks.
 * <ul>
 * <li>{@code s_server -Verify 1 -verify_return_error} requires a client certificate: it receives the
 *     node's client identity (CA1, clientAuth), never its server certificate, and it refuses the node's
 *     serverAuth-only certificate presented as client certificate ({@code client.identity=server}).</li>
 * <li>{@code s_client} connecting to the node receives the node's server certificate (CA2,
 *     serverAuth only), never its client identity; presenting a serverAuth-only client certificate, it is
 *     accepted by a node with {@code inbound.eku=lenient} and refused by one with {@code strict}.</li>
 * </ul>
 */
class OpenSslIT extends SipPeerTest {
    private Pki.TrustFiles trust;
    private Leaf peerServer;
    private Leaf peerServerAuthOnlyClient;
    private Leaf peerClient;

    OpenSslIT() {
        super("OpenSSL s_server and s_client as the peers");
    }

    @BeforeAll
    void peerCertificates() {
        trust = pki.trust;
        peerServer = pki.ca2.leaf("peer-server", "peer.example.net", Usage.SERVER_AUTH_ONLY);
        peerServerAuthOnlyClient = pki.ca2.leaf("peer-public", "peer.example.net", Usage.SERVER_AUTH_ONLY);
        peerClient = pki.ca1.leaf("peer-client", "peer.example.net", Usage.CLIENT_AND_SERVER_AUTH);
    }

    @ParameterizedTest(name = "node {0} -> s_server -Verify 1")
    @EnumSource(Variant.class)
    void sServerRequiringAClientCertificateReceivesTheClientIdentity(Variant variant) {
        Path dir = Work.dir("OpenSslIT", "s_server", variant.toString());
        try (Processes processes = new Processes()) {
            // s_server serves one connection at a time, and JAIN-SIP keeps its connections open: one s_server per node
            OpenSsl.Server server = OpenSsl.server(processes, dir, "s_server-verify", peerServer, trust.pem(), true);
            OpenSsl.Server second = OpenSsl.server(processes, dir, "s_server-verify-2", peerServer, trust.pem(), true);
            SipNodeProcess withClientIdentity = pki.startNode(processes, dir, "node-client-identity", variant, nodeClient, "strict", false);
            SipNodeProcess serverAsClient = pki.startNode(processes, dir, "node-server-as-client", variant, null, "strict", false);
            withClientIdentity.awaitReady();
            serverAsClient.awaitReady();

            SipNodeProcess.Sent up = withClientIdentity.send("OPTIONS", server.tlsUri("peer"), UP_WAIT);
            assertThat(up.ok()).as("s_server accepts the client identity: %s\n%s", up.text(), server.process().transcript()).isTrue();
            assertThat(server.clientSerials()).as("the client certificate on the wire (s_server's 'Client certificate')")
                .containsExactly(nodeClient.serialHex());
            assertThat(up.serverSerial()).isEqualTo(peerServer.serialHex());
            table.add(new ScenarioTable.Row("s_server -Verify 1", "-", "node " + variant, "node->s_server, client identity CA1", true, true,
                nodeClient.describe(), peerServer.describe(), null));

            SipNodeProcess.Sent down = serverAsClient.send("OPTIONS", second.tlsUri("peer"), DOWN_WAIT);
            assertThat(down.ok()).as("s_server refuses a serverAuth-only client certificate: %s", down.text()).isFalse();
            String reason = second.process().awaitAny(l -> l.startsWith("verify error:"), LOG_WAIT)
                .orElseThrow(() -> new AssertionError("s_server printed no verify error\n" + second.process().transcript()));
            assertThat(reason).contains("certificate purpose");
            assertThat(second.clientSerials()).as("no client certificate accepted").isEmpty();
            assertThat(serverAsClient.presentations())
                .anySatisfy(p -> assertThat(p.role() + " " + p.serial()).isEqualTo("client " + nodeServer.serialHex()));
            table.add(new ScenarioTable.Row("s_server -Verify 1", "-", "node " + variant, "node->s_server, server cert as client cert", false,
                false, nodeServer.describe(), peerServer.describe(), "s_server: " + reason));
        }
    }

    @ParameterizedTest(name = "s_client -> node {0}: lenient accepts a serverAuth-only client, strict refuses")
    @EnumSource(Variant.class)
    void sClientReceivesTheServerIdentityAndMeetsTheInboundPolicy(Variant variant) {
        Path dir = Work.dir("OpenSslIT", "s_client", variant.toString());
        try (Processes processes = new Processes()) {
            SipNodeProcess lenient = pki.startNode(processes, dir, "node-lenient", variant, nodeClient, "lenient", false);
            SipNodeProcess strict = pki.startNode(processes, dir, "node-strict", variant, nodeClient, "strict", false);
            lenient.awaitReady();
            strict.awaitReady();

            // a peer with a clientAuth certificate: accepted in strict mode; the node presents its server identity
            OpenSsl.ClientResult withClientAuth = OpenSsl.client(processes, dir, "s_client-clientauth-strict", strict.tlsPort(), peerClient,
                trust.pem(), UP_WAIT);
            assertThat(withClientAuth.sipOk()).as("s_client (clientAuth) -> strict node\n%s", withClientAuth.process().transcript()).isTrue();
            assertThat(withClientAuth.serverSerial()).as("the node's server certificate on the wire").isEqualTo(nodeServer.serialHex());
            assertThat(request(strict).get("client-serial")).isEqualTo(peerClient.serialHex());
            table.add(new ScenarioTable.Row("s_client", "strict", "node " + variant, "s_client (CA1 clientAuth)->node", true, true,
                peerClient.describe(), nodeServer.describe(), null));

            // a peer with a public serverAuth-only certificate: lenient accepts it
            OpenSsl.ClientResult lenientResult = OpenSsl.client(processes, dir, "s_client-public-lenient", lenient.tlsPort(),
                peerServerAuthOnlyClient, trust.pem(), UP_WAIT);
            assertThat(lenientResult.sipOk()).as("s_client (serverAuth only) -> lenient node\n%s", lenientResult.process().transcript()).isTrue();
            assertThat(lenientResult.serverSerial()).as("the node's server certificate on the wire, not its client identity")
                .isEqualTo(nodeServer.serialHex());
            assertThat(request(lenient).get("client-serial")).isEqualTo(peerServerAuthOnlyClient.serialHex());
            assertThat(lenient.awaitDecision("inbound", peerServerAuthOnlyClient.serialHex(), LOG_WAIT))
                .hasValueSatisfying(d -> assertThat(d.detail()).isEqualTo("serverAuth instead of clientAuth"));
            table.add(new ScenarioTable.Row("s_client", "lenient", "node " + variant, "s_client (CA2 serverAuth only)->node", true, true,
                peerServerAuthOnlyClient.describe(), nodeServer.describe(), null));

            // ... and strict refuses it
            OpenSsl.ClientResult strictResult = OpenSsl.client(processes, dir, "s_client-public-strict", strict.tlsPort(),
                peerServerAuthOnlyClient, trust.pem(), DOWN_WAIT);
            assertThat(strictResult.sipOk()).as("s_client (serverAuth only) -> strict node").isFalse();
            if (strictResult.serverSerial() != null) {
                // with TLS 1.3 s_client completes its side of the handshake and prints the server certificate before the alert
                assertThat(strictResult.serverSerial()).isEqualTo(nodeServer.serialHex());
            }
            assertThat(strict.presentations()).as("the strict node presented its server identity")
                .anySatisfy(p -> assertThat(p.role() + " " + p.serial()).isEqualTo("server " + nodeServer.serialHex()));
            AgentLog.Decision refusal = strict.awaitDecision("inbound", peerServerAuthOnlyClient.serialHex(), LOG_WAIT)
                .orElseThrow(() -> new AssertionError("no decision logged\n" + strict.transcript()));
            assertThat(refusal.refused()).isTrue();
            assertThat(refusal.detail()).contains(ScenariosIT.EKU_REFUSAL);
            assertThat(strictResult.errors()).as("s_client receives an alert").anySatisfy(e -> assertThat(e).contains("alert"));
            table.add(new ScenarioTable.Row("s_client", "strict", "node " + variant, "s_client (CA2 serverAuth only)->node", false, false,
                peerServerAuthOnlyClient.describe(), nodeServer.describe(), "node (agent): " + refusal.detail() + "; s_client: "
                    + ScenariosIT.trimOpenSsl(strictResult.errors().stream().filter(e -> e.contains("alert")).findFirst().orElse(""))));
        }
    }

    private static Fields request(SipNodeProcess node) {
        Optional<Fields> request = node.awaitRequest(l -> l.contains("call-id=openssl-"), LOG_WAIT);
        return request.orElseThrow(() -> new AssertionError(node.name() + " printed no request from s_client\n" + node.transcript()));
    }
}
