package dev.ekubridge.it;

import dev.ekubridge.testsupport.process.Processes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ekubridge.it.support.AgentLog;
import dev.ekubridge.it.support.Fields;
import dev.ekubridge.it.support.Kamailio;
import dev.ekubridge.it.support.Pki.Leaf;
import dev.ekubridge.it.support.Pki.Usage;
import dev.ekubridge.it.support.SipNodeProcess;
import dev.ekubridge.it.support.Variant;
import dev.ekubridge.it.support.Work;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Kamailio 5.6, a SIP server nobody here wrote, as the peer of the unmodified JAIN-SIP node. Kamailio
 * applies OpenSSL's purpose checks (a TLS client's certificate must permit clientAuth) and has no EKU
 * switch, so it is what "a peer that checks EKU" means in practice.
 * <ul>
 * <li>As TLS server (it requires a client certificate) it accepts the node's client identity (internal
 *     CA, clientAuth) and refuses the node's serverAuth-only certificate presented as client certificate;
 *     the reply header {@code X-TLS-Peer-Serial: $tls_peer_serial} shows what it received.</li>
 * <li>As TLS client (relaying a request it received over UDP, presenting a public serverAuth-only
 *     certificate) it is accepted by the node with {@code inbound.eku=lenient} and refused with
 *     {@code strict}, and, without the agent, by the JDK's or Bouncy Castle's own check.</li>
 * </ul>
 * Skipped, with the reason, where Kamailio or its TLS module is not installed.
 */
class KamailioIT extends SipPeerTest {
    private Leaf kamailioServer;
    private Leaf kamailioClient;

    KamailioIT() {
        super("Kamailio 5.6 as the peer");
    }

    @BeforeAll
    void peerCertificates() {
        kamailioServer = pki.ca2.leaf("kamailio-server", "kamailio.example.net", Usage.SERVER_AUTH_ONLY);
        kamailioClient = pki.ca2.leaf("kamailio-client", "kamailio.example.net", Usage.SERVER_AUTH_ONLY);
    }

    @BeforeEach
    void kamailioInstalled() {
        Optional<String> missing = Kamailio.unavailable();
        Assumptions.assumeTrue(missing.isEmpty(), () -> "Kamailio tests skipped: " + missing.orElse(""));
    }

    /**
     * Kamailio as TLS server requiring a client certificate: the node with its own client identity
     * (CA1, clientAuth) is accepted and Kamailio reports that certificate's serial; the node presenting
     * its serverAuth-only server certificate as client certificate ({@code client.identity=server}) is
     * refused by Kamailio's OpenSSL purpose check.
     */
    @ParameterizedTest(name = "node {0} -> Kamailio (requires a client certificate)")
    @EnumSource(Variant.class)
    void asServerAcceptsTheClientIdentityAndRefusesServerAuthOnly(Variant variant) {
        Path dir = Work.dir("KamailioIT", "as-server", variant.toString());
        try (Processes processes = new Processes()) {
            Kamailio kamailio = startKamailio(processes, dir);
            SipNodeProcess withClientIdentity = pki.startNode(processes, dir, "node-client-identity", variant, nodeClient, "strict", false);
            SipNodeProcess serverAsClient = pki.startNode(processes, dir, "node-server-as-client", variant, null, "strict", false);
            withClientIdentity.awaitReady();
            serverAsClient.awaitReady();

            SipNodeProcess.Sent accepted = withClientIdentity.send("OPTIONS", kamailio.tlsUri(), UP_WAIT);
            assertThat(accepted.ok()).as("Kamailio accepts the client identity: %s\n%s", accepted.text(), kamailio.transcript()).isTrue();
            assertThat(accepted.fields().get("X-TLS-Peer-Serial")).as("the client certificate Kamailio received ($tls_peer_serial)")
                .isEqualTo(nodeClient.serialDecimal());
            assertThat(accepted.serverSerial()).as("the server certificate the node received").isEqualTo(kamailioServer.serialHex());
            assertThat(accepted.clientSerial()).isEqualTo(nodeClient.serialHex());
            table.add(new ScenarioTable.Row("Kamailio as server", "-", "node " + variant, "node->Kamailio, client identity CA1", true, true,
                nodeClient.describe() + " (Kamailio: " + accepted.fields().get("X-TLS-Peer-Serial") + ")", kamailioServer.describe(), null));

            SipNodeProcess.Sent refused = serverAsClient.send("OPTIONS", kamailio.tlsUri(), DOWN_WAIT);
            assertThat(refused.ok()).as("Kamailio refuses a serverAuth-only client certificate: %s", refused.text()).isFalse();
            String reason = kamailio.awaitTlsError("certificate verify failed", LOG_WAIT)
                .orElseThrow(() -> new AssertionError("Kamailio logged no TLS refusal\n" + kamailio.transcript()));
            assertThat(serverAsClient.presentations()).as("the node presented its server certificate as client certificate")
                .anySatisfy(p -> assertThat(p.role() + " " + p.serial()).isEqualTo("client " + nodeServer.serialHex()));
            assertThat(serverAsClient.awaitDecision("outbound", kamailioServer.serialHex(), LOG_WAIT))
                .hasValueSatisfying(d -> assertThat(d.accepted()).isTrue());
            assertThat(kamailio.process().err()).as("no request got through from the refused node")
                .noneMatch(l -> l.contains("EKUIT request") && l.contains("peer-serial=" + nodeServer.serialDecimal()));
            table.add(new ScenarioTable.Row("Kamailio as server", "-", "node " + variant, "node->Kamailio, server cert as client cert", false,
                false, nodeServer.describe(), kamailioServer.describe(), "Kamailio: " + reason.substring(reason.indexOf("tls_err_ret()") + 15)));
        }
    }

    /**
     * Kamailio as TLS client: it relays an OPTIONS it received over UDP to the node over TLS, presenting
     * its public serverAuth-only certificate. The node accepts it with {@code inbound.eku=lenient} (200
     * comes back through Kamailio, which reports the node's server certificate serial), refuses it with
     * {@code strict} (Kamailio answers 408), and without the agent the JSSE engine itself refuses it.
     */
    @ParameterizedTest(name = "Kamailio -> node {0}: lenient accepts, strict and no agent refuse")
    @EnumSource(Variant.class)
    void asClientIsAcceptedWhenLenientAndRefusedWhenStrict(Variant variant) {
        Path dir = Work.dir("KamailioIT", "as-client", variant.toString());
        try (Processes processes = new Processes()) {
            Kamailio kamailio = startKamailio(processes, dir);
            SipNodeProcess lenient = pki.startNode(processes, dir, "node-lenient", variant, nodeClient, "lenient", true);
            SipNodeProcess strict = pki.startNode(processes, dir, "node-strict", variant, nodeClient, "strict", true);
            SipNodeProcess plain = SipNodeProcess.start(processes, dir, "node-no-agent", variant, pki.app(), null, true);
            lenient.awaitReady();
            strict.awaitReady();
            plain.awaitReady();

            // lenient: up
            SipNodeProcess.Sent up = lenient.send("OPTIONS", lenient.tlsUri("core"), UP_WAIT, kamailio.udpRoute());
            assertThat(up.ok()).as("relayed through Kamailio to the lenient node: %s\n%s%s", up.text(), kamailio.transcript(), lenient.transcript())
                .isTrue();
            assertThat(up.fields().get("X-TLS-Next-Hop-Serial")).as("the server certificate Kamailio received from the node ($tls_peer_serial)")
                .isEqualTo(nodeServer.serialDecimal());
            Fields request = lenient.awaitRequest(l -> l.contains("transport=TLS"), LOG_WAIT)
                .orElseThrow(() -> new AssertionError("the lenient node printed no TLS request\n" + lenient.transcript()));
            assertThat(request.get("client-serial")).as("Kamailio's client certificate as the node saw it").isEqualTo(kamailioClient.serialHex());
            assertThat(request.get("server-serial")).as("the node presented its server identity").isEqualTo(nodeServer.serialHex());
            assertThat(lenient.awaitDecision("inbound", kamailioClient.serialHex(), LOG_WAIT))
                .hasValueSatisfying(d -> assertThat(d.detail()).isEqualTo("serverAuth instead of clientAuth"));
            table.add(new ScenarioTable.Row("Kamailio as client", "lenient", "node " + variant, "Kamailio->node (relayed from UDP)", true, true,
                kamailioClient.describe(), nodeServer.describe() + " (Kamailio: " + up.fields().get("X-TLS-Next-Hop-Serial") + ")", null));

            // strict: down, the agent's reason
            SipNodeProcess.Sent down = strict.send("OPTIONS", strict.tlsUri("core"), UP_WAIT, kamailio.udpRoute());
            assertThat(down.ok()).as("relayed through Kamailio to the strict node: %s", down.text()).isFalse();
            AgentLog.Decision refusal = strict.awaitDecision("inbound", kamailioClient.serialHex(), LOG_WAIT)
                .orElseThrow(() -> new AssertionError("the strict node's agent logged no decision\n" + strict.transcript()));
            assertThat(refusal.refused()).isTrue();
            assertThat(refusal.detail()).contains(ScenariosIT.EKU_REFUSAL);
            assertThat(strict.awaitRequest(l -> l.contains("transport=TLS"), Duration.ofMillis(200))).isEmpty();
            table.add(new ScenarioTable.Row("Kamailio as client", "strict", "node " + variant, "Kamailio->node (relayed from UDP)", false, false,
                kamailioClient.describe(), nodeServer.describe(), "node (agent): " + refusal.detail() + "; Kamailio answered " + down.status()));

            // no agent: the JSSE engine's own check refuses, with its own message
            SipNodeProcess.Sent before = plain.send("OPTIONS", plain.tlsUri("core"), UP_WAIT, kamailio.udpRoute());
            assertThat(before.ok()).as("relayed through Kamailio to the node without the agent: %s", before.text()).isFalse();
            String engineReason = plain.process().awaitErr(0, l -> l.contains("Exception") && (l.toLowerCase().contains("key usage") || l.contains("ExtendedKeyUsage")), LOG_WAIT)
                .orElseThrow(() -> new AssertionError("no refusal logged by the node without the agent\n" + plain.transcript()));
            assertThat(engineReason).containsIgnoringCase("client");
            table.add(new ScenarioTable.Row("Kamailio as client", "(no agent)", "node " + variant, "Kamailio->node (relayed from UDP)", false,
                false, kamailioClient.describe(), nodeServer.describe(), variant.engine.providerName() + ": " + engineReason.replaceFirst("^err\\| ", "")));
            assertThat(kamailio.process().err()).as("Kamailio saw the refusals as TLS alerts").anyMatch(l -> l.contains("tls_err_ret()"));
        }
    }

    private Kamailio startKamailio(Processes processes, Path dir) {
        return Kamailio.start(processes, dir, kamailioServer, kamailioClient, pki.trust.pem());
    }
}
