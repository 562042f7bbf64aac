package dev.ekubridge.it;

import dev.ekubridge.testsupport.process.Processes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ekubridge.it.support.AgentLog;
import dev.ekubridge.it.support.Fields;
import dev.ekubridge.it.support.Kamailio;
import dev.ekubridge.it.support.OpenSsl;
import static dev.ekubridge.it.support.SipNodeProcess.agent;

import dev.ekubridge.it.support.Pki;
import dev.ekubridge.it.support.Pki.Leaf;
import dev.ekubridge.it.support.Pki.Usage;
import dev.ekubridge.it.support.Ports;
import dev.ekubridge.it.support.SipNodeProcess;
import dev.ekubridge.it.support.SipNodeProcess.AppTls;
import dev.ekubridge.it.support.TunnelProcess;
import dev.ekubridge.it.support.Variant;
import dev.ekubridge.it.support.Work;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The scenario table of docs/scenarios.md, row by row, with an unmodified JAIN-SIP application as Core and as Edge, each
 * in its own JVM with the agent attached and configured per scenario (the application itself has one
 * key store, its server certificate, and one trust store, as before the x15.5 upgrade).
 *
 * <p>Links, as in the source document and the agent's {@code demo}:
 * <ul>
 * <li><b>Core -&gt; Edge SIP/TLS</b> (the traversal zone): Core's node sends OPTIONS (and REGISTER) to
 *     the Edge's node; mutual TLS; the Edge's inbound EKU mode applies;</li>
 * <li><b>Core -&gt; Edge:2222 tunnel</b>: a second service on the Edge's side ({@link TunnelProcess})
 *     that always requires clientAuth; Core dials it with its default {@code SSLSocketFactory};</li>
 * <li><b>Edge -&gt; Core SIP/TLS</b> where the table's certificates allow it (1, 3: both directions);</li>
 * <li><b>Edge -&gt; external peer</b>: OpenSSL {@code s_server}, with or without {@code -Verify}
 *     (requiring a client certificate, checked for clientAuth), and Kamailio (requires one) where installed;</li>
 * <li><b>MRA -&gt; Edge</b> (case 3): {@code s_client} trusting only the public CA.</li>
 * </ul>
 * Every link asserts up or down, the serial each side presented in each role as the peer saw it (the
 * nodes print what JAIN-SIP's {@code TransactionExt} reports, the agent's handshake log names the serial
 * it accepted or refused), and for a link that is down, the refusing side's reason.
 *
 * <p>Matrix: each scenario runs with four Core/Edge pairs of JVMs, each variant (JDK 17 or 25, SunJSSE or
 * BCJSSE, TLS 1.3 or 1.2 enabled) once as Core and once as Edge, always SunJSSE against BCJSSE.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScenariosIT {
    static final String EKU_REFUSAL = "Extended key usage does not permit use for TLS client authentication";
    static final Duration UP_WAIT = Duration.ofSeconds(10);
    /** How long a request over a link that must be down may wait for a response: with TLS 1.3 the client only learns of the refusal when it reads. */
    static final Duration DOWN_WAIT = Duration.ofSeconds(3);
    static final Duration LOG_WAIT = Duration.ofSeconds(10);
    static final Instant BEFORE_2025 = ZonedDateTime.of(2024, 6, 1, 0, 0, 0, 0, ZoneOffset.UTC).toInstant();

    private Pki pki;
    private Pki.Ca ca1;
    private Pki.Ca ca2;
    private Pki.TrustFiles trustCa1;
    private Pki.TrustFiles trustCa2;
    private Pki.TrustFiles trustBoth;
    private final ScenarioTable table = new ScenarioTable();

    // scenario 1: certificates from the public CA issued before 2025, with both EKUs
    private Leaf core1;
    private Leaf edge1;
    private Leaf ext1;
    // 2: public, serverAuth only
    private Leaf core2;
    private Leaf edge2;
    // 2.1
    private Leaf core21Client;
    private Leaf core21Server;
    private Leaf edge21;
    // 3: private
    private Leaf core3Server;
    private Leaf core3Client;
    private Leaf edge3Server;
    private Leaf edge3Client;
    private Leaf ext3;
    // 4: edge public
    private Leaf core4Server;
    private Leaf core4Client;
    private Leaf edge4;
    private Leaf ext4;
    private Leaf kamailio4;

    @BeforeAll
    void pki() {
        pki = new Pki(Work.dir("ScenariosIT", "pki"));
        ca1 = pki.ca("CA1 internal");
        ca2 = pki.ca("CA2 public");
        trustCa1 = pki.trust("trust-ca1", ca1);
        trustCa2 = pki.trust("trust-ca2", ca2);
        trustBoth = pki.trust("trust-ca1-ca2", ca1, ca2);

        core1 = ca2.leaf("core1", "core.example.com", Usage.CLIENT_AND_SERVER_AUTH, BEFORE_2025);
        edge1 = ca2.leaf("edge1", "edge.example.com", Usage.CLIENT_AND_SERVER_AUTH, BEFORE_2025);
        ext1 = ca2.leaf("ext1", "peer.example.net", Usage.SERVER_AUTH_ONLY);

        core2 = ca2.leaf("core2", "core.example.com", Usage.SERVER_AUTH_ONLY);
        edge2 = ca2.leaf("edge2", "edge.example.com", Usage.SERVER_AUTH_ONLY);

        core21Client = ca1.leaf("core21-client", "core.example.com", Usage.CLIENT_AND_SERVER_AUTH);
        core21Server = ca2.leaf("core21-server", "core.example.com", Usage.SERVER_AUTH_ONLY);
        edge21 = ca2.leaf("edge21", "edge.example.com", Usage.SERVER_AUTH_ONLY);

        core3Server = ca1.leaf("core3-server", "core.example.com", Usage.CLIENT_AND_SERVER_AUTH);
        core3Client = ca1.leaf("core3-client", "core.example.com", Usage.CLIENT_AND_SERVER_AUTH);
        edge3Server = ca1.leaf("edge3-server", "edge.example.com", Usage.CLIENT_AND_SERVER_AUTH);
        edge3Client = ca1.leaf("edge3-client", "edge.example.com", Usage.CLIENT_AND_SERVER_AUTH);
        ext3 = ca2.leaf("ext3", "peer.example.net", Usage.SERVER_AUTH_ONLY);

        core4Server = ca1.leaf("core4-server", "core.example.com", Usage.CLIENT_AND_SERVER_AUTH);
        core4Client = ca1.leaf("core4-client", "core.example.com", Usage.CLIENT_AND_SERVER_AUTH);
        edge4 = ca2.leaf("edge4", "edge.example.com", Usage.SERVER_AUTH_ONLY);
        ext4 = ca2.leaf("ext4", "peer.example.net", Usage.SERVER_AUTH_ONLY);
        kamailio4 = ca2.leaf("kamailio4", "kamailio.example.net", Usage.SERVER_AUTH_ONLY);
    }

    @AfterAll
    void writeTable() {
        table.write(Work.root().resolve("ScenariosIT-table.md"), "ScenariosIT: the scenario table of docs/scenarios.md, played");
    }

    /** Core/Edge JVM pairs: each variant once as Core and once as Edge, SunJSSE always facing BCJSSE. */
    static Stream<Arguments> pairs() {
        return Stream.of(
            Arguments.of(Variant.SUN_17, Variant.BC_25),
            Arguments.of(Variant.BC_25, Variant.SUN_17),
            Arguments.of(Variant.BC_17, Variant.SUN_25),
            Arguments.of(Variant.SUN_25, Variant.BC_17));
    }

    static Stream<Arguments> pairsAndModes() {
        return pairs().flatMap(p -> Stream.of("strict", "lenient").map(mode -> Arguments.of(p.get()[0], p.get()[1], mode)));
    }

    // --- the rows of the table ---------------------------------------------------------------------

    /**
     * 1 upgrade: each node has one certificate from the public CA issued before 2025 (serverAuth and
     * clientAuth). The links are played first without the agent (before the upgrade), then with the
     * agent configured with that server store only, nothing said about the client role: the client role
     * keeps presenting the certificate the application has, which is the server certificate (the
     * agent's upgrade default). Every link behaves as before, with the same serials in the same
     * roles, and the Edge's EKU check is on (strict, the default).
     */
    @ParameterizedTest(name = "1 upgrade, Core {0} -> Edge {1}")
    @MethodSource("pairs")
    void scenario1Upgrade(Variant coreVariant, Variant edgeVariant) {
        String jvms = coreVariant + " -> " + edgeVariant;
        Map<String, Link> before;
        Map<String, Link> after;
        Path dir = Work.dir("ScenariosIT", "1-upgrade", jvms);
        try (Processes processes = new Processes()) {
            before = scenario1Links(processes, dir.resolve("before"), coreVariant, edgeVariant, null, null, "before upgrade (no agent)", jvms);
            Map<String, String> coreAgent = Map.of("server.keystore", core1.p12().toString(), "server.password", Pki.PASSWORD);
            Map<String, String> edgeAgent = Map.of("server.keystore", edge1.p12().toString(), "server.password", Pki.PASSWORD);
            after = scenario1Links(processes, dir.resolve("after"), coreVariant, edgeVariant, coreAgent, edgeAgent, "strict (default)", jvms);
        }
        assertThat(after).as("after the upgrade every link behaves as before it, same serials in the same roles").isEqualTo(before);
        assertThat(after.values()).allMatch(Link::up);
    }

    private Map<String, Link> scenario1Links(Processes processes, Path dir, Variant coreVariant, Variant edgeVariant,
            Map<String, String> coreAgent, Map<String, String> edgeAgent, String mode, String jvms) {
        mkdir(dir);
        // an external peer requiring a client certificate (one per phase: s_server serves one connection at a time)
        OpenSsl.Server ext = OpenSsl.server(processes, dir, "ext-mtls", ext1, trustCa2.pem(), true);
        Nodes n = startNodes(processes, dir, coreVariant, new AppTls(core1.p12(), trustCa2.p12()), coreAgent,
            edgeVariant, new AppTls(edge1.p12(), trustCa2.p12()), edgeAgent);
        SipNodeProcess core = n.core;
        SipNodeProcess edge = n.edge;
        if (coreAgent != null) {
            // only the server store is configured: the client role keeps what the application presents, its one certificate
            assertThat(core.installedLine()).as("Core's agent installed line").hasValueSatisfying(l -> assertThat(l)
                .contains("server role 'core1'").contains("inbound.eku=strict"));
            assertThat(edge.installedLine()).as("Edge's agent installed line").hasValueSatisfying(l -> assertThat(l)
                .contains("server role 'edge1'"));
        }
        Map<String, Link> links = new LinkedHashMap<>();
        Scenario s = new Scenario("1 upgrade", mode, jvms, table);
        links.put("sip", s.sip("Core->Edge SIP/TLS OPTIONS", core, edge, "OPTIONS", true, core1, edge1, null));
        links.put("sip-back", s.sip("Edge->Core SIP/TLS OPTIONS", edge, core, "OPTIONS", true, edge1, core1, null));
        links.put("tunnel", s.tunnel("Core->Edge:2222 tunnel", core, n.tunnel, true, core1, edge1, null));
        links.put("ext", s.external("Edge->ext (s_server -Verify, trusts CA2)", edge, ext, true, edge1, ext1, null));
        return links;
    }

    /**
     * 2 / test 1: every certificate from the public CA, serverAuth only; each node presents its server
     * certificate as client certificate ({@code client.identity=server}); the Edge checks EKU (strict).
     * The traversal zone Core -&gt; Edge fails: the Edge refuses Core's serverAuth-only certificate.
     */
    @ParameterizedTest(name = "2/test 1, Core {0} -> Edge {1}")
    @MethodSource("pairs")
    void scenario2Test1EdgeStrict(Variant coreVariant, Variant edgeVariant) {
        scenario2("2-test1", "2/test 1", "strict", coreVariant, edgeVariant, (s, n) -> {
            s.sip("Core->Edge SIP/TLS OPTIONS", n.core, n.edge, "OPTIONS", false, core2, edge2, EKU_REFUSAL);
            s.tunnel("Core->Edge:2222 tunnel", n.core, n.tunnel, false, core2, edge2, EKU_REFUSAL);
            // the other direction too: Core checks EKU as well (default strict)
            s.sip("Edge->Core SIP/TLS OPTIONS", n.edge, n.core, "OPTIONS", false, edge2, core2, EKU_REFUSAL);
        });
    }

    /**
     * 2 / test 2: the same certificates, the Edge's EKU checking off ({@code lenient}): the traversal zone
     * is up (the Edge accepts Core's serverAuth-only certificate in place of clientAuth), but the tunnel,
     * a separate service that still requires clientAuth, refuses it.
     */
    @ParameterizedTest(name = "2/test 2, Core {0} -> Edge {1}")
    @MethodSource("pairs")
    void scenario2Test2EdgeLenient(Variant coreVariant, Variant edgeVariant) {
        scenario2("2-test2", "2/test 2", "lenient", coreVariant, edgeVariant, (s, n) -> {
            s.sip("Core->Edge SIP/TLS OPTIONS", n.core, n.edge, "OPTIONS", true, core2, edge2, null);
            assertThat(n.edge.awaitDecision("inbound", core2.serialHex(), LOG_WAIT)).as("Edge's decision on Core's certificate")
                .hasValueSatisfying(d -> assertThat(d.detail()).isEqualTo("serverAuth instead of clientAuth"));
            s.sip("Core->Edge SIP/TLS REGISTER", n.core, n.edge, "REGISTER", true, core2, edge2, null);
            s.tunnel("Core->Edge:2222 tunnel", n.core, n.tunnel, false, core2, edge2, EKU_REFUSAL);
        });
    }

    /**
     * 2 / test 2 in ONE Edge JVM: the unmodified JAIN-SIP Edge runs its SIP listener and the tunnel side by side,
     * and the agent's configuration keys alone keep the tunnel strict while SIP is relaxed
     * ({@code inbound.eku=strict,inbound.eku.port.SIP=lenient}): Core's serverAuth-only certificate is accepted
     * by the SIP listener and refused by the tunnel, and each decision names the rule that made it.
     */
    @ParameterizedTest(name = "2/test 2 in one JVM, Core {0} -> Edge {1}")
    @MethodSource("pairs")
    void scenario2Test2OneEdgeJvmScopedByPort(Variant coreVariant, Variant edgeVariant) {
        String jvms = coreVariant + " -> " + edgeVariant;
        Path dir = Work.dir("ScenariosIT", "2-test2-one-jvm", jvms);
        try (Processes processes = new Processes()) {
            int sipPort = Ports.free();
            int tunnelPort = Ports.free();
            SipNodeProcess core = SipNodeProcess.start(processes, dir, "core", coreVariant, new AppTls(core2.p12(), trustCa2.p12()),
                agent(core2, null, "strict"), false);
            SipNodeProcess edge = SipNodeProcess.startWithTunnel(processes, dir, "edge", edgeVariant,
                new AppTls(edge2.p12(), trustCa2.p12()), with(agent(edge2, null, "strict"), "inbound.eku.port." + sipPort, "lenient"),
                sipPort, tunnelPort);
            core.awaitReady();
            edge.awaitReady();
            Scenario s = new Scenario("2/test 2, one Edge JVM", "strict, port " + sipPort + " lenient", jvms, table);
            s.sip("Core->Edge SIP/TLS OPTIONS", core, edge, "OPTIONS", true, core2, edge2, null);
            assertThat(edge.awaitDecision("inbound", core2.serialHex(), LOG_WAIT)).as("Edge's decision on Core's certificate")
                .hasValueSatisfying(d -> assertThat(d.line()).contains("(inbound.eku.port." + sipPort + "=lenient)"));
            s.tunnel("Core->Edge:2222 tunnel", core, edge.tunnel(), false, core2, edge2, EKU_REFUSAL);
            assertThat(edge.process().transcript()).as("the tunnel's refusal names the default rule")
                .contains("(inbound.eku=strict)");
        }
    }

    /**
     * Plays {@code links} of a scenario 2 test: every certificate from the public CA, serverAuth only, each node
     * presenting its server certificate as client certificate; Core strict, the Edge in {@code edgeMode}.
     */
    private void scenario2(String dirName, String scenario, String edgeMode, Variant coreVariant, Variant edgeVariant,
            BiConsumer<Scenario, Nodes> links) {
        String jvms = coreVariant + " -> " + edgeVariant;
        Path dir = Work.dir("ScenariosIT", dirName, jvms);
        try (Processes processes = new Processes()) {
            Nodes n = startNodes(processes, dir, coreVariant, new AppTls(core2.p12(), trustCa2.p12()), agent(core2, null, "strict"),
                edgeVariant, new AppTls(edge2.p12(), trustCa2.p12()), agent(edge2, null, edgeMode));
            links.accept(new Scenario(scenario, edgeMode, jvms, table), n);
        }
    }

    /**
     * Starts Core, the Edge and, beside the Edge, the tunnel service (the Edge's stores and agent, but always
     * {@code inbound.eku=strict}: it requires clientAuth whatever the SIP service's mode), and waits until all three
     * are ready. An agent null runs that node without the agent.
     */
    private static Nodes startNodes(Processes processes, Path dir, Variant coreVariant, AppTls coreApp, Map<String, String> coreAgent,
            Variant edgeVariant, AppTls edgeApp, Map<String, String> edgeAgent) {
        SipNodeProcess core = SipNodeProcess.start(processes, dir, "core", coreVariant, coreApp, coreAgent, false);
        SipNodeProcess edge = SipNodeProcess.start(processes, dir, "edge", edgeVariant, edgeApp, edgeAgent, false);
        TunnelProcess tunnel = TunnelProcess.start(processes, dir, "tunnel", edgeVariant, edgeApp,
            edgeAgent == null ? null : with(edgeAgent, "inbound.eku", "strict"));
        return new Nodes(core.awaitReady(), edge.awaitReady(), tunnel.awaitReady());
    }

    /**
     * 2.1 success: Core's client certificate from the internal CA with both EKUs (its own client store),
     * its server certificate and the Edge's from the public CA, serverAuth only. Everything is up,
     * whether the Edge checks EKU or not; Core's server role keeps presenting its public certificate.
     */
    @ParameterizedTest(name = "2.1 success, Core {0} -> Edge {1}, Edge {2}")
    @MethodSource("pairsAndModes")
    void scenario21Success(Variant coreVariant, Variant edgeVariant, String edgeMode) {
        String jvms = coreVariant + " -> " + edgeVariant;
        Path dir = Work.dir("ScenariosIT", "2.1-" + edgeMode, jvms);
        try (Processes processes = new Processes(); OpenSslPeers peers = new OpenSslPeers(processes, dir)) {
            Nodes n = startNodes(processes, dir, coreVariant, new AppTls(core21Server.p12(), trustBoth.p12()),
                agent(core21Server, core21Client, "strict"), edgeVariant, new AppTls(edge21.p12(), trustBoth.p12()), agent(edge21, null, edgeMode));
            Scenario s = new Scenario("2.1 success", edgeMode, jvms, table);
            s.sip("Core->Edge SIP/TLS OPTIONS", n.core, n.edge, "OPTIONS", true, core21Client, edge21, null);
            assertThat(n.edge.awaitDecision("inbound", core21Client.serialHex(), LOG_WAIT)).hasValueSatisfying(d ->
                assertThat(d.detail()).as("the Edge accepts Core's client certificate on its clientAuth EKU").isEqualTo("clientAuth"));
            s.sip("Core->Edge SIP/TLS REGISTER", n.core, n.edge, "REGISTER", true, core21Client, edge21, null);
            s.tunnel("Core->Edge:2222 tunnel", n.core, n.tunnel, true, core21Client, edge21, null);
            // Core as TLS server still presents its public server certificate (seen on the wire by s_client)
            s.openSslClient("s_client(CA1 client cert)->Core", peers, n.core, core21Client, trustBoth.pem(), true, core21Server, null);
        }
    }

    /**
     * 3 private: every certificate from the internal CA with both EKUs; links are up where the peer
     * trusts CA1: Core and Edge both ways, an external peer trusting CA1; an external peer with public
     * roots only refuses the Edge's client certificate, and a phone (MRA) trusting only public roots
     * refuses the Edge's server certificate.
     */
    @ParameterizedTest(name = "3 private, Core {0} -> Edge {1}")
    @MethodSource("pairs")
    void scenario3Private(Variant coreVariant, Variant edgeVariant) {
        String jvms = coreVariant + " -> " + edgeVariant;
        Path dir = Work.dir("ScenariosIT", "3-private", jvms);
        try (Processes processes = new Processes(); OpenSslPeers peers = new OpenSslPeers(processes, dir)) {
            OpenSsl.Server extCa1 = peers.server("ext-trusts-ca1", ext3, trustBoth.pem(), true);
            OpenSsl.Server extPublic = peers.server("ext-public-roots", ext3, trustCa2.pem(), true);
            Nodes n = startNodes(processes, dir, coreVariant, new AppTls(core3Server.p12(), trustCa1.p12()),
                agent(core3Server, core3Client, "strict"), edgeVariant, new AppTls(edge3Server.p12(), trustBoth.p12()),
                agent(edge3Server, edge3Client, "strict"));
            Scenario s = new Scenario("3 private", "strict", jvms, table);
            s.sip("Core->Edge SIP/TLS OPTIONS", n.core, n.edge, "OPTIONS", true, core3Client, edge3Server, null);
            s.sip("Core->Edge SIP/TLS REGISTER", n.core, n.edge, "REGISTER", true, core3Client, edge3Server, null);
            s.sip("Edge->Core SIP/TLS OPTIONS", n.edge, n.core, "OPTIONS", true, edge3Client, core3Server, null);
            s.tunnel("Core->Edge:2222 tunnel", n.core, n.tunnel, true, core3Client, edge3Server, null);
            s.external("Edge->ext (s_server -Verify, trusts CA1)", n.edge, extCa1, true, edge3Client, ext3, null);
            // the Edge's only client certificate is from CA1, which this peer does not list as acceptable: none is sent
            s.external("Edge->ext (s_server -Verify, public roots)", n.edge, extPublic, false, null, ext3, "peer did not return a certificate");
            s.openSslClient("MRA (s_client, public roots)->Edge", peers, n.edge, null, trustCa2.pem(), false, edge3Server,
                "certificate verify failed");
        }
    }

    /**
     * 4 edge public: Core from the internal CA (both EKUs), the Edge's public serverAuth-only certificate
     * copied to its client role ({@code client.identity=server}). Core and Edge are up; Edge -&gt; an
     * external peer works only where that peer does not require clientAuth: OpenSSL's s_server with
     * {@code -Verify} refuses the Edge's certificate for its purpose, without it the link is up.
     * (Kamailio, which requires a client certificate, is {@link #scenario4EdgeToKamailio}.)
     */
    @ParameterizedTest(name = "4 edge public, Core {0} -> Edge {1}")
    @MethodSource("pairs")
    void scenario4EdgePublic(Variant coreVariant, Variant edgeVariant) {
        String jvms = coreVariant + " -> " + edgeVariant;
        Path dir = Work.dir("ScenariosIT", "4-edge-public", jvms);
        try (Processes processes = new Processes(); OpenSslPeers peers = new OpenSslPeers(processes, dir)) {
            OpenSsl.Server extMtls = peers.server("ext-mtls", ext4, trustCa2.pem(), true);
            OpenSsl.Server extNoClientAuth = peers.server("ext-no-client-auth", ext4, trustCa2.pem(), false);
            Nodes n = startNodes(processes, dir, coreVariant, new AppTls(core4Server.p12(), trustBoth.p12()),
                agent(core4Server, core4Client, "strict"), edgeVariant, new AppTls(edge4.p12(), trustBoth.p12()), agent(edge4, null, "strict"));
            Scenario s = new Scenario("4 edge public", "strict", jvms, table);
            s.sip("Core->Edge SIP/TLS OPTIONS", n.core, n.edge, "OPTIONS", true, core4Client, edge4, null);
            s.tunnel("Core->Edge:2222 tunnel", n.core, n.tunnel, true, core4Client, edge4, null);
            s.external("Edge->ext (s_server -Verify)", n.edge, extMtls, false, edge4, ext4, "certificate purpose");
            s.external("Edge->ext (s_server, no client auth)", n.edge, extNoClientAuth, true, null, ext4, null);
        }
    }

    /** 4 edge public, the external peer being Kamailio, which requires a client certificate: refused. */
    @ParameterizedTest(name = "4 edge public, Edge {1} -> Kamailio")
    @MethodSource("pairs")
    void scenario4EdgeToKamailio(Variant coreVariant, Variant edgeVariant) {
        Optional<String> missing = Kamailio.unavailable();
        Assumptions.assumeTrue(missing.isEmpty(), () -> "Kamailio tests skipped: " + missing.orElse(""));
        Path dir = Work.dir("ScenariosIT", "4-edge-kamailio", edgeVariant.toString());
        try (Processes processes = new Processes()) {
            Kamailio kamailio = Kamailio.start(processes, dir, kamailio4, kamailio4, trustBoth.pem());
            SipNodeProcess edge = SipNodeProcess.start(processes, dir, "edge", edgeVariant, new AppTls(edge4.p12(), trustBoth.p12()),
                agent(edge4, null, "strict"), false).awaitReady();
            SipNodeProcess.Sent sent = edge.send("OPTIONS", kamailio.tlsUri(), DOWN_WAIT);
            assertThat(sent.ok()).as("Edge -> Kamailio (requires clientAuth) must be refused: %s", sent.text()).isFalse();
            String reason = kamailio.awaitTlsError("certificate verify failed", LOG_WAIT)
                .orElseThrow(() -> new AssertionError("Kamailio gave no TLS error\n" + kamailio.transcript() + edge.transcript()));
            assertThat(edge.presentations()).as("the Edge presented its server certificate in the client role")
                .anySatisfy(p -> assertThat(p.role() + " " + p.serial()).isEqualTo("client " + edge4.serialHex()));
            assertThat(edge.awaitDecision("outbound", kamailio4.serialHex(), LOG_WAIT)).as("the Edge saw Kamailio's server certificate")
                .hasValueSatisfying(d -> assertThat(d.accepted()).isTrue());
            table.add(new ScenarioTable.Row("4 edge public", "strict", "Edge " + edgeVariant, "Edge->Kamailio (require_certificate)", false,
                false, edge4.serialHex(), kamailio4.serialHex(), reason.substring(reason.indexOf("tls_err_ret()") + 15)));
        }
    }

    // --- links -------------------------------------------------------------------------------------

    /** What a link showed: up or down, the serials each side presented as the peer saw them, the refusal's reason. */
    record Link(boolean up, String clientSerial, String serverSerial) {
    }

    record Nodes(SipNodeProcess core, SipNodeProcess edge, TunnelProcess tunnel) {
    }

    /** Plays links of one scenario run and records them in {@code table}. */
    record Scenario(String name, String mode, String jvms, ScenarioTable table) {
        /**
         * SIP over TLS from {@code client}'s node to {@code server}'s node. Up: the response is 200, the
         * server printed the request with the client certificate it saw, the client the server
         * certificate it saw. Down: no response, the server's agent logged the refusal of exactly that
         * client certificate with {@code reason}, and the client's agent had accepted the server's.
         */
        Link sip(String link, SipNodeProcess client, SipNodeProcess server, String method, boolean expectUp, Leaf clientCert,
                Leaf serverCert, String reason) {
            SipNodeProcess.Sent sent = client.send(method, server.tlsUri(server.name()), expectUp ? UP_WAIT : DOWN_WAIT);
            String context = link + " [" + name + ", " + mode + ", " + jvms + "]";
            if (expectUp) {
                assertThat(sent.ok()).as("%s must be up: %s\n%s%s", context, sent.text(), client.transcript(), server.transcript()).isTrue();
                Fields request = server.awaitRequest(sent.callId(), LOG_WAIT)
                    .orElseThrow(() -> new AssertionError(context + ": the server printed no REQUEST line\n" + server.transcript()));
                SoftAssertions soft = new SoftAssertions();
                soft.assertThat(request.get("client-serial")).as("%s: client certificate seen by the server", context).isEqualTo(clientCert.serialHex());
                soft.assertThat(sent.clientSerial()).as("%s: client certificate the client's JSSE says it sent", context).isEqualTo(clientCert.serialHex());
                soft.assertThat(sent.serverSerial()).as("%s: server certificate seen by the client", context).isEqualTo(serverCert.serialHex());
                soft.assertThat(request.get("server-serial")).as("%s: server certificate the server's JSSE says it sent", context).isEqualTo(serverCert.serialHex());
                soft.assertAll();
                table.add(new ScenarioTable.Row(name, mode, jvms, link, true, true, clientCert.describe(), serverCert.describe(), null));
                return new Link(true, request.get("client-serial"), sent.serverSerial());
            }
            assertThat(sent.ok()).as("%s must be down: %s", context, sent.text()).isFalse();
            AgentLog.Decision refusal = server.awaitDecision("inbound", clientCert.serialHex(), LOG_WAIT)
                .orElseThrow(() -> new AssertionError(context + ": the server's agent logged no decision on the client certificate "
                    + clientCert.serialHex() + "\n" + server.transcript()));
            assertThat(refusal.accepted()).as("%s: server's decision %s", context, refusal.line()).isFalse();
            assertThat(refusal.detail()).as("%s: the server's reason", context).contains(reason);
            assertThat(server.awaitRequest(sent.callId(), Duration.ofMillis(200))).as("%s: no request may reach the server", context).isEmpty();
            Optional<AgentLog.Decision> outbound = client.awaitDecision("outbound", serverCert.serialHex(), LOG_WAIT);
            assertThat(outbound).as("%s: the client saw the server's certificate %s\n%s", context, serverCert.serialHex(), client.transcript())
                .hasValueSatisfying(d -> assertThat(d.accepted()).isTrue());
            table.add(new ScenarioTable.Row(name, mode, jvms, link, false, false, clientCert.describe(), serverCert.describe(),
                "server (" + server.name() + ", agent): " + refusal.detail()));
            return new Link(false, refusal.serial(), serverCert.serialHex());
        }

        /** Core's default SSLSocketFactory to the tunnel service, which always requires clientAuth. */
        Link tunnel(String link, SipNodeProcess core, TunnelProcess tunnel, boolean expectUp, Leaf clientCert, Leaf serverCert, String reason) {
            int mark = tunnel.mark();
            SipNodeProcess.Probed probed = core.probe(tunnel.port(), Duration.ofSeconds(5));
            String outcome = tunnel.awaitHandshake(mark, LOG_WAIT)
                .orElseThrow(() -> new AssertionError(link + ": the tunnel printed no handshake outcome\n" + tunnel.process().transcript()));
            String context = link + " [" + name + ", " + mode + ", " + jvms + "]";
            if (expectUp) {
                assertThat(probed.ok()).as("%s must be up: %s\n%s", context, probed.text(), tunnel.process().transcript()).isTrue();
                assertThat(outcome).as(context).startsWith("HANDSHAKE_OK");
                assertThat(new Fields(outcome).get("client-serial")).as("%s: client certificate seen by the tunnel", context).isEqualTo(clientCert.serialHex());
                assertThat(probed.serverSerial()).as("%s: server certificate seen by Core", context).isEqualTo(serverCert.serialHex());
                table.add(new ScenarioTable.Row(name, mode, jvms, link, true, true, clientCert.describe(), serverCert.describe(), null));
                return new Link(true, clientCert.serialHex(), probed.serverSerial());
            }
            assertThat(probed.ok()).as("%s must be down: %s", context, probed.text()).isFalse();
            assertThat(outcome).as("%s: the tunnel's reason", context).startsWith("HANDSHAKE_FAILED").contains(reason);
            Optional<String> refusedLine = tunnel.process().awaitErr(0, l -> AgentLog.decision(l)
                .filter(d -> d.serial().equals(clientCert.serialHex()) && d.refused()).isPresent(), LOG_WAIT);
            assertThat(refusedLine).as("%s: the tunnel's agent refused certificate %s", context, clientCert.serialHex()).isPresent();
            table.add(new ScenarioTable.Row(name, mode, jvms, link, false, false, clientCert.describe(), serverCert.describe(),
                "tunnel (strict): " + mostSpecific(outcome.substring("HANDSHAKE_FAILED ".length()), reason)));
            return new Link(false, clientCert.serialHex(), serverCert.serialHex());
        }

        /**
         * The Edge's node to an OpenSSL s_server. {@code presented}: the client certificate the Edge
         * presents; null when it presents none (the server asks for none, or the Edge has none from an
         * issuer the server accepts).
         */
        Link external(String link, SipNodeProcess edge, OpenSsl.Server server, boolean expectUp, Leaf presented, Leaf serverCert, String reason) {
            int before = server.clientSerials().size();
            SipNodeProcess.Sent sent = edge.send("OPTIONS", server.tlsUri("peer"), expectUp ? UP_WAIT : DOWN_WAIT);
            String context = link + " [" + name + ", " + mode + ", " + jvms + "]";
            String expectedClient = presented == null ? "-" : presented.serialHex();
            if (expectUp) {
                assertThat(sent.ok()).as("%s must be up: %s\n%s%s", context, sent.text(), edge.transcript(), server.process().transcript()).isTrue();
                assertThat(sent.fields().get("X-Peer")).as(context).isEqualTo("openssl-s_server");
                assertThat(sent.serverSerial()).as("%s: server certificate seen by the Edge", context).isEqualTo(serverCert.serialHex());
                assertThat(sent.clientSerial()).as("%s: client certificate the Edge sent", context).isEqualTo(expectedClient);
                if (presented != null) {
                    assertThat(server.clientSerials()).as("%s: client certificate seen by s_server", context).hasSize(before + 1).last()
                        .isEqualTo(presented.serialHex());
                }
                table.add(new ScenarioTable.Row(name, mode, jvms, link, true, true, presented == null ? "(none asked)" : presented.describe(),
                    serverCert.describe(), null));
                return new Link(true, expectedClient, sent.serverSerial());
            }
            assertThat(sent.ok()).as("%s must be down: %s", context, sent.text()).isFalse();
            String error = server.awaitError(LOG_WAIT)
                .orElseThrow(() -> new AssertionError(context + ": s_server printed no error\n" + server.process().transcript()));
            List<String> errors = server.errors();
            assertThat(errors).as("%s: s_server's reason", context).anySatisfy(e -> assertThat(e).contains(reason));
            if (presented != null) {
                assertThat(edge.presentations()).as("%s: the Edge presented %s in the client role", context, expectedClient)
                    .anySatisfy(p -> assertThat(p.role() + " " + p.serial()).isEqualTo("client " + expectedClient));
            } else {
                assertThat(edge.process().err()).as("%s: the Edge's key manager had no client identity the server accepts", context)
                    .anyMatch(l -> l.contains("client role: no identity for key types"));
            }
            table.add(new ScenarioTable.Row(name, mode, jvms, link, false, false, presented == null ? "(none)" : presented.describe(),
                serverCert.describe(), "s_server: " + String.join("; ", errors.stream().map(ScenariosIT::trimOpenSsl).toList())));
            return new Link(false, expectedClient, serverCert.serialHex());
        }

        /** OpenSSL s_client (presenting {@code clientCert}, or nothing) to a node, sending one OPTIONS. */
        Link openSslClient(String link, OpenSslPeers peers, SipNodeProcess node, Leaf clientCert, Path caFile, boolean expectUp,
                Leaf serverCert, String reason) {
            OpenSsl.ClientResult result = peers.client("s_client-" + node.name(), node.tlsPort(), clientCert, caFile);
            String context = link + " [" + name + ", " + mode + ", " + jvms + "]";
            if (expectUp || result.serverSerial() != null) {
                assertThat(result.serverSerial()).as("%s: server certificate seen by s_client", context).isEqualTo(serverCert.serialHex());
            }
            assertThat(node.presentations()).as("%s: the node presented %s in the server role", context, serverCert.serialHex())
                .anySatisfy(p -> assertThat(p.role() + " " + p.serial()).isEqualTo("server " + serverCert.serialHex()));
            if (expectUp) {
                assertThat(result.sipOk()).as("%s must be up\n%s%s", context, result.process().transcript(), node.transcript()).isTrue();
                Optional<Fields> request = node.awaitRequest(l -> l.contains("call-id=openssl-"), LOG_WAIT);
                assertThat(request).as(context).isPresent();
                assertThat(request.get().get("client-serial")).as("%s: client certificate seen by the node", context).isEqualTo(clientCert.serialHex());
                table.add(new ScenarioTable.Row(name, mode, jvms, link, true, true, clientCert.describe(), serverCert.describe(), null));
                return new Link(true, clientCert.serialHex(), result.serverSerial());
            }
            assertThat(result.sipOk()).as("%s must be down", context).isFalse();
            assertThat(result.errors()).as("%s: s_client's reason", context).anySatisfy(e -> assertThat(e).contains(reason));
            table.add(new ScenarioTable.Row(name, mode, jvms, link, false, false, clientCert == null ? "(none)" : clientCert.describe(),
                serverCert.describe(), "s_client: " + String.join("; ", result.errors().stream().map(ScenariosIT::trimOpenSsl).toList())));
            return new Link(false, clientCert == null ? "-" : clientCert.serialHex(), result.serverSerial());
        }
    }

    /** OpenSSL peers of one test, stopped with its processes. */
    static final class OpenSslPeers implements AutoCloseable {
        private final Processes processes;
        private final Path dir;

        OpenSslPeers(Processes processes, Path dir) {
            this.processes = processes;
            this.dir = dir;
        }

        OpenSsl.Server server(String name, Leaf leaf, Path caFile, boolean requireClientCertificate) {
            return OpenSsl.server(processes, dir, name, leaf, caFile, requireClientCertificate);
        }

        OpenSsl.ClientResult client(String name, int port, Leaf clientLeaf, Path caFile) {
            return OpenSsl.client(processes, dir, name, port, clientLeaf, caFile, Duration.ofSeconds(10));
        }

        @Override
        public void close() {
            // the processes belong to the enclosing Processes, which stops them
        }
    }

    // --- configuration -----------------------------------------------------------------------------

    static Map<String, String> with(Map<String, String> args, String key, String value) {
        Map<String, String> copy = new LinkedHashMap<>(args);
        copy.put(key, value);
        return copy;
    }

    /** Of an exception chain {@code A: m <- B: m}, the first link that names {@code reason}, else the first. */
    static String mostSpecific(String chain, String reason) {
        String[] links = chain.split(" <- ");
        for (String link : links) {
            if (link.contains(reason)) {
                return link;
            }
        }
        return links[0];
    }

    /** {@code 40A7...:error:0A000086:SSL routines:...:certificate verify failed:../ssl/...:3530:} without the thread id and source position. */
    static String trimOpenSsl(String line) {
        return line.replaceFirst("^[0-9A-F]+:error:", "error:").replaceFirst(":\\.\\./[^:]*:\\d+:.*$", "");
    }

    static Path mkdir(Path dir) {
        try {
            java.nio.file.Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return dir;
    }
}
