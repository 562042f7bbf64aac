package dev.ekubridge.agent.cli;

import static dev.ekubridge.agent.cli.DemoLink.DOWN;
import static dev.ekubridge.agent.cli.DemoLink.UP;

import dev.ekubridge.EkuBridge;
import dev.ekubridge.EkuPolicy;
import dev.ekubridge.EkuPolicyTrustManager;
import dev.ekubridge.Identity;
import dev.ekubridge.agent.cli.DemoLink.Endpoint;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.X509TrustManager;

/**
 * The scenario table: the source document's cases (SPEC, "The source document's scenarios") as nodes,
 * certificates and links, each link with the outcome the document says it must have.
 *
 * <p>Nodes: Core (Expressway-C) and Edge (Expressway-E), each an {@link EkuBridge}. Links: the SIP/TLS
 * traversal zone (Core is the TLS client, Edge the TLS server with its inbound EKU mode, mutual TLS),
 * the SSH tunnel on 2222 (Core to Edge; it always requires clientAuth), and in some scenarios links
 * from Edge to outside peers whose TLS is the plain JDK's, and an MRA client that trusts public CAs only.
 */
final class DemoScenarios {
    private static final char[] PEER_PASSWORD = "demo".toCharArray();

    /** How a node's client role is set up. */
    private enum ClientRole {
        /** A client identity of its own. */
        OWN,
        /** {@code client.identity=server}: the operator chose to present the server certificate as client certificate. */
        SERVER_EXPLICIT,
        /** Nothing said about the client role: the server identity is presented (Expressway's upgrade). */
        UPGRADE_DEFAULT
    }

    private DemoScenarios() {
    }

    static List<DemoScenario> all(DemoPki pki) throws GeneralSecurityException {
        final DemoPki.Ca ca1 = pki.ca("CA1 internal", 0xCA1);
        final DemoPki.Ca ca2 = pki.ca("CA2 public", 0xCA2);
        List<DemoScenario> scenarios = new ArrayList<DemoScenario>();

        // 1 upgrade: one certificate per node, from the public CA before 2025 (serverAuth and clientAuth);
        // x15.5 copies it into the client store. Expected: links behave as before the upgrade (all up).
        final DemoPki.Leaf core1 = ca2.leaf("core.example.com", 0x101, true, true);
        final DemoPki.Leaf edge1 = ca2.leaf("edge.example.com", 0x102, true, true);
        final DemoPki.Leaf peer1 = ca2.leaf("peer.example.net", 0x103, true, false);
        scenarios.add(new DemoScenario("1 upgrade", EnumSet.of(EkuPolicy.STRICT), Arrays.asList(
            "Core  server " + cert(core1) + " issued before 2025; client = server (upgrade default); trusts CA2",
            "Edge  server " + cert(edge1) + " issued before 2025; client = server (upgrade default); trusts CA2",
            "ext   server " + cert(peer1) + "; JDK TLS, trusts CA2, requires a client cert (clientAuth)"),
            new DemoScenario.Topology() {
                @Override
                public List<DemoLink> links(EkuPolicy mode) throws GeneralSecurityException, IOException {
                    EkuBridge core = node(core1, null, ClientRole.UPGRADE_DEFAULT, EkuPolicy.STRICT, ca2);
                    EkuBridge edge = node(edge1, null, ClientRole.UPGRADE_DEFAULT, mode, ca2);
                    String note = "note: client presents its server cert (upgrade default)";
                    return Arrays.asList(
                        sip(core, edge, UP, note),
                        ssh(core, edge, UP, note),
                        new DemoLink("Edge->ext (mTLS, strict)", endpoint("Edge", edge), jdkPeer("ext", peer1, ca2), true, UP, note));
                }
            }));

        // 2: every certificate from the public CA, serverAuth only; each node presents its server
        // certificate as client certificate (the only way to put a serverAuth-only certificate there).
        final DemoPki.Leaf core2 = ca2.leaf("core.example.com", 0x201, true, false);
        final DemoPki.Leaf edge2 = ca2.leaf("edge.example.com", 0x202, true, false);
        List<String> legend2 = Arrays.asList(
            "Core  server " + cert(core2) + "; client = server (client.identity=server); trusts CA2",
            "Edge  server " + cert(edge2) + "; client = server (client.identity=server); trusts CA2");
        DemoScenario.Topology topology2 = new DemoScenario.Topology() {
            @Override
            public List<DemoLink> links(EkuPolicy mode) throws GeneralSecurityException {
                EkuBridge core = node(core2, null, ClientRole.SERVER_EXPLICIT, EkuPolicy.STRICT, ca2);
                EkuBridge edge = node(edge2, null, ClientRole.SERVER_EXPLICIT, mode, ca2);
                // test 1 (On): the traversal zone fails; test 2 (Off): it is up, but the SSH tunnel,
                // which still requires clientAuth, fails.
                return Arrays.asList(
                    sip(core, edge, mode == EkuPolicy.LENIENT, null),
                    ssh(core, edge, DOWN, null));
            }
        };
        scenarios.add(new DemoScenario("2/test 1", EnumSet.of(EkuPolicy.STRICT), legend2, topology2));
        scenarios.add(new DemoScenario("2/test 2", EnumSet.of(EkuPolicy.LENIENT), Collections.singletonList(
            "same certificates as 2/test 1"), topology2));

        // 2.1 success: Core's client certificate from the internal CA with both EKUs; everything up in both modes.
        final DemoPki.Leaf core21Client = ca1.leaf("core.example.com", 0x211, true, true);
        final DemoPki.Leaf core21Server = ca2.leaf("core.example.com", 0x212, true, false);
        final DemoPki.Leaf edge21 = ca2.leaf("edge.example.com", 0x213, true, false);
        scenarios.add(new DemoScenario("2.1 success", EnumSet.of(EkuPolicy.STRICT, EkuPolicy.LENIENT), Arrays.asList(
            "Core  server " + cert(core21Server) + "; client " + cert(core21Client) + "; trusts CA1, CA2",
            "Edge  server " + cert(edge21) + "; client = server (client.identity=server); trusts CA1, CA2"),
            new DemoScenario.Topology() {
                @Override
                public List<DemoLink> links(EkuPolicy mode) throws GeneralSecurityException {
                    EkuBridge core = node(core21Server, core21Client, ClientRole.OWN, EkuPolicy.STRICT, ca1, ca2);
                    EkuBridge edge = node(edge21, null, ClientRole.SERVER_EXPLICIT, mode, ca1, ca2);
                    return Arrays.asList(sip(core, edge, UP, null), ssh(core, edge, UP, null));
                }
            }));

        // 3 private: everything from the internal CA with both EKUs: up where the peer trusts CA1.
        final DemoPki.Leaf core3Server = ca1.leaf("core.example.com", 0x301, true, true);
        final DemoPki.Leaf core3Client = ca1.leaf("core.example.com", 0x302, true, true);
        final DemoPki.Leaf edge3Server = ca1.leaf("edge.example.com", 0x303, true, true);
        final DemoPki.Leaf edge3Client = ca1.leaf("edge.example.com", 0x304, true, true);
        final DemoPki.Leaf peer3 = ca2.leaf("peer.example.net", 0x305, true, false);
        scenarios.add(new DemoScenario("3 private", EnumSet.of(EkuPolicy.STRICT), Arrays.asList(
            "Core  server " + cert(core3Server) + "; client " + cert(core3Client) + "; trusts CA1",
            "Edge  server " + cert(edge3Server) + "; client " + cert(edge3Client) + "; trusts CA1, CA2",
            "ext   server " + cert(peer3) + "; JDK TLS, requires a client cert; one trusts CA1, one only CA2 (public roots)",
            "MRA   a phone client without certificate; trusts only CA2 (public roots)"),
            new DemoScenario.Topology() {
                @Override
                public List<DemoLink> links(EkuPolicy mode) throws GeneralSecurityException, IOException {
                    EkuBridge core = node(core3Server, core3Client, ClientRole.OWN, EkuPolicy.STRICT, ca1);
                    EkuBridge edge = node(edge3Server, edge3Client, ClientRole.OWN, mode, ca1, ca2);
                    Endpoint edgeClient = endpoint("Edge", edge);
                    return Arrays.asList(
                        sip(core, edge, UP, null),
                        ssh(core, edge, UP, null),
                        new DemoLink("Edge->ext (trusts CA1)", edgeClient, jdkPeer("ext", peer3, ca1, ca2), true, UP, null),
                        new DemoLink("Edge->ext (public roots)", edgeClient, jdkPeer("ext", peer3, ca2), true, DOWN, null),
                        new DemoLink("MRA->Edge (public roots)", jdkPeer("MRA", null, ca2), endpoint("Edge", edge), false, DOWN, null));
                }
            }));

        // 4 edge public: the Edge's public serverAuth-only certificate is copied into its client store;
        // Edge->external peer works only where that peer does not require clientAuth.
        final DemoPki.Leaf core4Server = ca1.leaf("core.example.com", 0x401, true, true);
        final DemoPki.Leaf core4Client = ca1.leaf("core.example.com", 0x402, true, true);
        final DemoPki.Leaf edge4 = ca2.leaf("edge.example.com", 0x403, true, false);
        final DemoPki.Leaf peer4 = ca2.leaf("peer.example.net", 0x404, true, false);
        scenarios.add(new DemoScenario("4 edge public", EnumSet.of(EkuPolicy.STRICT), Arrays.asList(
            "Core  server " + cert(core4Server) + "; client " + cert(core4Client) + "; trusts CA1, CA2",
            "Edge  server " + cert(edge4) + "; client = server (client.identity=server); trusts CA1, CA2",
            "ext   server " + cert(peer4) + "; JDK TLS, trusts CA2; one requires a client cert, one asks for none"),
            new DemoScenario.Topology() {
                @Override
                public List<DemoLink> links(EkuPolicy mode) throws GeneralSecurityException, IOException {
                    EkuBridge core = node(core4Server, core4Client, ClientRole.OWN, EkuPolicy.STRICT, ca1, ca2);
                    EkuBridge edge = node(edge4, null, ClientRole.SERVER_EXPLICIT, mode, ca1, ca2);
                    Endpoint edgeClient = endpoint("Edge", edge);
                    return Arrays.asList(
                        sip(core, edge, UP, null),
                        ssh(core, edge, UP, null),
                        new DemoLink("Edge->ext (mTLS, strict)", edgeClient, jdkPeer("ext", peer4, ca2), true, DOWN, null),
                        new DemoLink("Edge->ext (no client auth)", edgeClient, jdkPeer("ext", peer4, ca2), false, UP, null));
                }
            }));
        return scenarios;
    }

    /** {@code 101 (CA2; serverAuth+clientAuth)}. */
    private static String cert(DemoPki.Leaf leaf) {
        List<String> ekus = CertText.ekus(leaf.certificate);
        StringBuilder names = new StringBuilder();
        for (String oid : ekus) {
            names.append(names.length() == 0 ? "" : "+").append(CertText.ekuName(oid));
        }
        return CertText.serial(leaf.certificate) + " (" + leaf.issuer.name.substring(0, 3) + "; " + names + ")";
    }

    /** The SIP/TLS traversal zone: Core dials the Edge, mutual TLS, the Edge's inbound EKU mode applies. */
    private static DemoLink sip(EkuBridge core, EkuBridge edge, boolean expectUp, String note) {
        return new DemoLink("Core->Edge SIP/TLS", endpoint("Core", core), endpoint("Edge", edge), true, expectUp, note);
    }

    /** The SSH tunnel: Core dials the Edge on 2222, which requires clientAuth whatever the SIP mode is. */
    private static DemoLink ssh(EkuBridge core, EkuBridge edge, boolean expectUp, String note) {
        Endpoint tunnel = new Endpoint("Edge:2222", edge.keyManager(),
            EkuPolicyTrustManager.wrap(edge.trustManager(), EkuPolicy.STRICT), "SSH tunnel");
        return new DemoLink("Core->Edge:2222 SSH tunnel", endpoint("Core", core), tunnel, true, expectUp, note);
    }

    private static Endpoint endpoint(String name, EkuBridge bridge) {
        return new Endpoint(name, bridge.keyManager(), bridge.trustManager(), "inbound.eku=" + bridge.trustManager().policy());
    }

    private static EkuBridge node(DemoPki.Leaf server, DemoPki.Leaf client, ClientRole clientRole, EkuPolicy inbound,
            DemoPki.Ca... trusted) throws GeneralSecurityException {
        EkuBridge.Builder builder = EkuBridge.builder()
            .serverIdentity(identity(server, "server"))
            .trustStore(trustStore(trusted))
            .inboundEku(inbound);
        if (clientRole == ClientRole.OWN) {
            builder.clientIdentity(identity(client, "client"));
        } else if (clientRole == ClientRole.SERVER_EXPLICIT) {
            builder.clientUsesServerIdentity();
        }
        return builder.build();
    }

    private static Identity identity(DemoPki.Leaf leaf, String role) {
        String host = leaf.certificate.getSubjectX500Principal().getName();
        return Identity.of(role, "demo " + role + " certificate of " + host, leaf.privateKey, leaf.chain());
    }

    private static KeyStore trustStore(DemoPki.Ca... trusted) throws GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new GeneralSecurityException("cannot create an empty key store: " + e, e);
        }
        for (DemoPki.Ca ca : trusted) {
            store.setCertificateEntry(ca.name, ca.certificate);
        }
        return store;
    }

    /** A peer whose TLS is the plain JDK's (SunJSSE's PKIX managers): it checks EKU as the JDK does. */
    private static Endpoint jdkPeer(String name, DemoPki.Leaf leaf, DemoPki.Ca... trusted) throws GeneralSecurityException, IOException {
        X509KeyManager keyManager = null;
        if (leaf != null) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("peer", leaf.privateKey, PEER_PASSWORD, leaf.chain());
            KeyManagerFactory factory = KeyManagerFactory.getInstance("PKIX");
            factory.init(keys, PEER_PASSWORD);
            keyManager = first(factory.getKeyManagers(), X509KeyManager.class);
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
        factory.init(trustStore(trusted));
        return new Endpoint(name, keyManager, first(factory.getTrustManagers(), X509TrustManager.class), "JDK check");
    }

    private static <T> T first(Object[] managers, Class<T> type) {
        for (Object manager : managers) {
            if (type.isInstance(manager)) {
                return type.cast(manager);
            }
        }
        throw new IllegalStateException("no " + type.getSimpleName() + " among " + Arrays.toString(managers));
    }
}
