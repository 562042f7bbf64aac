package dev.ekubridge.agent.cli;

import dev.ekubridge.EkuBridge;
import dev.ekubridge.EkuPolicy;
import dev.ekubridge.EkuPolicyTrustManager;
import dev.ekubridge.Identity;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.X509TrustManager;

/**
 * {@code java -jar ekubridge-agent.jar demo}: the scenarios of docs/scenarios.md played on loopback
 * with real TLS handshakes, in this one process, with
 * certificates generated at run time. Each scenario runs once with the Edge's inbound EKU check
 * {@code strict} (Expressway "On") and once {@code lenient} ("Off"); every link's outcome is
 * compared with what the scenarios' table says it must be.
 *
 * <p>Nodes: Core (Expressway-C) and Edge (Expressway-E), each an {@link EkuBridge}. Links: the SIP/TLS
 * traversal zone (Core is the TLS client, Edge the TLS server with its inbound EKU mode, mutual TLS),
 * the SSH tunnel on 2222 (Core to Edge; it always requires clientAuth), and in some scenarios links
 * from Edge to outside peers whose TLS is the plain JDK's, and an MRA client that trusts public CAs only.
 * The rule behind every outcome: when a node is the TLS client it presents its client identity; when
 * it is the TLS server, its server identity.
 */
public final class Demo {
    /** Socket connect, accept and read timeout. */
    static final int TIMEOUT_MILLIS = 3000;

    private static final boolean UP = true;
    private static final boolean DOWN = false;
    private static final char[] PEER_PASSWORD = "demo".toCharArray();

    private static final int W_SCENARIO = 13;
    private static final int W_MODE = 8;
    private static final int W_LINK = 26;
    private static final int W_SERIAL = 6;
    private static final int W_VERDICT = 7;
    private static final int W_EXPECTED = 8;
    private static final int W_MATCH = 5;

    private Demo() {
    }

    /**
     * Plays every scenario in both modes and prints the table.
     *
     * @return 0 when every link's outcome matches the scenarios' table, 1 otherwise
     */
    public static int run(PrintStream out) {
        long started = System.nanoTime();
        ExecutorService executor = Executors.newSingleThreadExecutor(new ThreadFactory() {
            @Override
            public Thread newThread(Runnable task) {
                Thread thread = new Thread(task, "ekubridge-demo-server");
                thread.setDaemon(true);
                return thread;
            }
        });
        List<Scenario> scenarios;
        List<Row> rows = new ArrayList<Row>();
        try {
            scenarios = scenarios(new DemoPki());
            for (Scenario scenario : scenarios) {
                for (EkuPolicy mode : new EkuPolicy[] {EkuPolicy.STRICT, EkuPolicy.LENIENT}) {
                    for (Link link : scenario.topology.links(mode)) {
                        rows.add(new Row(scenario, mode, link, play(link, executor)));
                    }
                }
            }
        } catch (GeneralSecurityException | IOException | RuntimeException e) {
            out.println("demo: cannot set up the scenarios: " + e);
            return 1;
        } finally {
            executor.shutdownNow();
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        return print(out, scenarios, rows, millis);
    }

    // --- the scenarios ----------------------------------------------------------------------------

    /** How a node's client role is set up. */
    private enum ClientRole {
        /** A client identity of its own. */
        OWN,
        /** {@code client.identity=server}: the operator chose to present the server certificate as client certificate. */
        SERVER_EXPLICIT,
        /** Nothing said about the client role: the server identity is presented (Expressway's upgrade). */
        UPGRADE_DEFAULT
    }

    /** The links of a scenario for one Edge inbound EKU mode; builds the nodes for that mode. */
    private interface Topology {
        List<Link> links(EkuPolicy edgeMode) throws GeneralSecurityException, IOException;
    }

    private static final class Scenario {
        final String id;
        /** The mode(s) the source document used for this case. */
        final Set<EkuPolicy> documentModes;
        final List<String> legend;
        final Topology topology;

        Scenario(String id, Set<EkuPolicy> documentModes, List<String> legend, Topology topology) {
            this.id = id;
            this.documentModes = documentModes;
            this.legend = legend;
            this.topology = topology;
        }
    }

    /** One side of a link: its name in the table, its key manager (may be null: no certificate) and trust manager. */
    private static final class Endpoint {
        final String name;
        final X509KeyManager keyManager;
        final X509ExtendedTrustManager trustManager;
        /** Named in the reason when a refusal message does not say which check refused. */
        final String check;

        Endpoint(String name, X509KeyManager keyManager, X509TrustManager trustManager, String check) {
            this.name = name;
            this.keyManager = keyManager;
            if (!(trustManager instanceof X509ExtendedTrustManager)) {
                throw new IllegalArgumentException(name + ": expected an X509ExtendedTrustManager, got " + trustManager);
            }
            this.trustManager = (X509ExtendedTrustManager) trustManager;
            this.check = check;
        }
    }

    private static final class Link {
        final String name;
        final Endpoint client;
        final Endpoint server;
        final boolean needClientAuth;
        final boolean expectUp;
        /** Shown for a link that is up, e.g. that the client presented its server identity by the upgrade default. */
        final String note;

        Link(String name, Endpoint client, Endpoint server, boolean needClientAuth, boolean expectUp, String note) {
            this.name = name;
            this.client = client;
            this.server = server;
            this.needClientAuth = needClientAuth;
            this.expectUp = expectUp;
            this.note = note;
        }
    }

    private static List<Scenario> scenarios(DemoPki pki) throws GeneralSecurityException {
        final DemoPki.Ca ca1 = pki.ca("CA1 internal", 0xCA1);
        final DemoPki.Ca ca2 = pki.ca("CA2 public", 0xCA2);
        List<Scenario> scenarios = new ArrayList<Scenario>();

        // 1 upgrade: one certificate per node, from the public CA before 2025 (serverAuth and clientAuth);
        // x15.5 copies it into the client store. Expected: links behave as before the upgrade (all up).
        final DemoPki.Leaf core1 = ca2.leaf("core.example.com", 0x101, true, true);
        final DemoPki.Leaf edge1 = ca2.leaf("edge.example.com", 0x102, true, true);
        final DemoPki.Leaf peer1 = ca2.leaf("peer.example.net", 0x103, true, false);
        scenarios.add(new Scenario("1 upgrade", EnumSet.of(EkuPolicy.STRICT), Arrays.asList(
            "Core  server " + cert(core1) + " issued before 2025; client = server (upgrade default); trusts CA2",
            "Edge  server " + cert(edge1) + " issued before 2025; client = server (upgrade default); trusts CA2",
            "ext   server " + cert(peer1) + "; JDK TLS, trusts CA2, requires a client cert (clientAuth)"),
            new Topology() {
                @Override
                public List<Link> links(EkuPolicy mode) throws GeneralSecurityException, IOException {
                    EkuBridge core = node(core1, null, ClientRole.UPGRADE_DEFAULT, EkuPolicy.STRICT, ca2);
                    EkuBridge edge = node(edge1, null, ClientRole.UPGRADE_DEFAULT, mode, ca2);
                    String note = "note: client presents its server cert (upgrade default)";
                    return Arrays.asList(
                        sip(core, edge, UP, note),
                        ssh(core, edge, UP, note),
                        new Link("Edge->ext (mTLS, strict)", endpoint("Edge", edge), jdkPeer("ext", peer1, ca2), true, UP, note));
                }
            }));

        // 2: every certificate from the public CA, serverAuth only; each node presents its server
        // certificate as client certificate (the only way to put a serverAuth-only certificate there).
        final DemoPki.Leaf core2 = ca2.leaf("core.example.com", 0x201, true, false);
        final DemoPki.Leaf edge2 = ca2.leaf("edge.example.com", 0x202, true, false);
        List<String> legend2 = Arrays.asList(
            "Core  server " + cert(core2) + "; client = server (client.identity=server); trusts CA2",
            "Edge  server " + cert(edge2) + "; client = server (client.identity=server); trusts CA2");
        Topology topology2 = new Topology() {
            @Override
            public List<Link> links(EkuPolicy mode) throws GeneralSecurityException {
                EkuBridge core = node(core2, null, ClientRole.SERVER_EXPLICIT, EkuPolicy.STRICT, ca2);
                EkuBridge edge = node(edge2, null, ClientRole.SERVER_EXPLICIT, mode, ca2);
                // test 1 (On): the traversal zone fails; test 2 (Off): it is up, but the SSH tunnel,
                // which still requires clientAuth, fails.
                return Arrays.asList(
                    sip(core, edge, mode == EkuPolicy.LENIENT, null),
                    ssh(core, edge, DOWN, null));
            }
        };
        scenarios.add(new Scenario("2/test 1", EnumSet.of(EkuPolicy.STRICT), legend2, topology2));
        scenarios.add(new Scenario("2/test 2", EnumSet.of(EkuPolicy.LENIENT), Collections.singletonList(
            "same certificates as 2/test 1"), topology2));

        // 2.1 success: Core's client certificate from the internal CA with both EKUs; everything up in both modes.
        final DemoPki.Leaf core21Client = ca1.leaf("core.example.com", 0x211, true, true);
        final DemoPki.Leaf core21Server = ca2.leaf("core.example.com", 0x212, true, false);
        final DemoPki.Leaf edge21 = ca2.leaf("edge.example.com", 0x213, true, false);
        scenarios.add(new Scenario("2.1 success", EnumSet.of(EkuPolicy.STRICT, EkuPolicy.LENIENT), Arrays.asList(
            "Core  server " + cert(core21Server) + "; client " + cert(core21Client) + "; trusts CA1, CA2",
            "Edge  server " + cert(edge21) + "; client = server (client.identity=server); trusts CA1, CA2"),
            new Topology() {
                @Override
                public List<Link> links(EkuPolicy mode) throws GeneralSecurityException {
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
        scenarios.add(new Scenario("3 private", EnumSet.of(EkuPolicy.STRICT), Arrays.asList(
            "Core  server " + cert(core3Server) + "; client " + cert(core3Client) + "; trusts CA1",
            "Edge  server " + cert(edge3Server) + "; client " + cert(edge3Client) + "; trusts CA1, CA2",
            "ext   server " + cert(peer3) + "; JDK TLS, requires a client cert; one trusts CA1, one only CA2 (public roots)",
            "MRA   a phone client without certificate; trusts only CA2 (public roots)"),
            new Topology() {
                @Override
                public List<Link> links(EkuPolicy mode) throws GeneralSecurityException, IOException {
                    EkuBridge core = node(core3Server, core3Client, ClientRole.OWN, EkuPolicy.STRICT, ca1);
                    EkuBridge edge = node(edge3Server, edge3Client, ClientRole.OWN, mode, ca1, ca2);
                    Endpoint edgeClient = endpoint("Edge", edge);
                    return Arrays.asList(
                        sip(core, edge, UP, null),
                        ssh(core, edge, UP, null),
                        new Link("Edge->ext (trusts CA1)", edgeClient, jdkPeer("ext", peer3, ca1, ca2), true, UP, null),
                        new Link("Edge->ext (public roots)", edgeClient, jdkPeer("ext", peer3, ca2), true, DOWN, null),
                        new Link("MRA->Edge (public roots)", jdkPeer("MRA", null, ca2), endpoint("Edge", edge), false, DOWN, null));
                }
            }));

        // 4 edge public: the Edge's public serverAuth-only certificate is copied into its client store;
        // Edge->external peer works only where that peer does not require clientAuth.
        final DemoPki.Leaf core4Server = ca1.leaf("core.example.com", 0x401, true, true);
        final DemoPki.Leaf core4Client = ca1.leaf("core.example.com", 0x402, true, true);
        final DemoPki.Leaf edge4 = ca2.leaf("edge.example.com", 0x403, true, false);
        final DemoPki.Leaf peer4 = ca2.leaf("peer.example.net", 0x404, true, false);
        scenarios.add(new Scenario("4 edge public", EnumSet.of(EkuPolicy.STRICT), Arrays.asList(
            "Core  server " + cert(core4Server) + "; client " + cert(core4Client) + "; trusts CA1, CA2",
            "Edge  server " + cert(edge4) + "; client = server (client.identity=server); trusts CA1, CA2",
            "ext   server " + cert(peer4) + "; JDK TLS, trusts CA2; one requires a client cert, one asks for none"),
            new Topology() {
                @Override
                public List<Link> links(EkuPolicy mode) throws GeneralSecurityException, IOException {
                    EkuBridge core = node(core4Server, core4Client, ClientRole.OWN, EkuPolicy.STRICT, ca1, ca2);
                    EkuBridge edge = node(edge4, null, ClientRole.SERVER_EXPLICIT, mode, ca1, ca2);
                    Endpoint edgeClient = endpoint("Edge", edge);
                    return Arrays.asList(
                        sip(core, edge, UP, null),
                        ssh(core, edge, UP, null),
                        new Link("Edge->ext (mTLS, strict)", edgeClient, jdkPeer("ext", peer4, ca2), true, DOWN, null),
                        new Link("Edge->ext (no client auth)", edgeClient, jdkPeer("ext", peer4, ca2), false, UP, null));
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
    private static Link sip(EkuBridge core, EkuBridge edge, boolean expectUp, String note) {
        return new Link("Core->Edge SIP/TLS", endpoint("Core", core), endpoint("Edge", edge), true, expectUp, note);
    }

    /** The SSH tunnel: Core dials the Edge on 2222, which requires clientAuth whatever the SIP mode is. */
    private static Link ssh(EkuBridge core, EkuBridge edge, boolean expectUp, String note) {
        Endpoint tunnel = new Endpoint("Edge:2222", edge.keyManager(),
            EkuPolicyTrustManager.wrap(edge.trustManager(), EkuPolicy.STRICT), "SSH tunnel");
        return new Link("Core->Edge:2222 SSH tunnel", endpoint("Core", core), tunnel, true, expectUp, note);
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

    // --- one link, played over real sockets ---------------------------------------------------------

    private static final class Outcome {
        final String clientSerial;
        final String serverSerial;
        final boolean up;
        final String reason;

        Outcome(String clientSerial, String serverSerial, boolean up, String reason) {
            this.clientSerial = clientSerial;
            this.serverSerial = serverSerial;
            this.up = up;
            this.reason = reason;
        }
    }

    /**
     * One connection on 127.0.0.1: the server accepts and handshakes, then sends one byte and waits for
     * one back; the client handshakes, reads it and answers. The link is up only when both sides got
     * through (in TLS 1.3 the client finishes its handshake before the server has judged its certificate).
     */
    private static Outcome play(Link link, ExecutorService executor) throws GeneralSecurityException, IOException {
        final Recorder atServer = new Recorder(link.server.trustManager);
        Recorder atClient = new Recorder(link.client.trustManager);
        SSLContext serverContext = context(link.server.keyManager, atServer);
        SSLContext clientContext = context(link.client.keyManager, atClient);
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        final SSLServerSocket listener = (SSLServerSocket) serverContext.getServerSocketFactory().createServerSocket(0, 1, loopback);
        Throwable serverFailure = null;
        Throwable clientFailure = null;
        try {
            listener.setNeedClientAuth(link.needClientAuth);
            listener.setSoTimeout(TIMEOUT_MILLIS);
            Future<Void> serverSide = executor.submit(new Callable<Void>() {
                @Override
                public Void call() throws IOException {
                    Socket accepted = listener.accept();
                    try {
                        SSLSocket socket = (SSLSocket) accepted;
                        socket.setSoTimeout(TIMEOUT_MILLIS);
                        socket.startHandshake();
                        OutputStream output = socket.getOutputStream();
                        output.write('S');
                        output.flush();
                        if (socket.getInputStream().read() != 'C') {
                            throw new IOException("the client closed the connection after the handshake");
                        }
                    } finally {
                        accepted.close();
                    }
                    return null;
                }
            });
            SSLSocket socket = (SSLSocket) clientContext.getSocketFactory().createSocket();
            try {
                socket.connect(new InetSocketAddress(loopback, listener.getLocalPort()), TIMEOUT_MILLIS);
                socket.setSoTimeout(TIMEOUT_MILLIS);
                socket.startHandshake();
                InputStream input = socket.getInputStream();
                if (input.read() != 'S') {
                    throw new IOException("the server closed the connection after the handshake");
                }
                socket.getOutputStream().write('C');
                socket.getOutputStream().flush();
            } catch (IOException e) {
                clientFailure = e;
            } finally {
                socket.close();
            }
            try {
                serverSide.get(2L * TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                serverFailure = e.getCause();
            } catch (TimeoutException e) {
                serverSide.cancel(true);
                serverFailure = new IOException("the server side did not finish within " + 2 * TIMEOUT_MILLIS + " ms");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                serverFailure = e;
            }
        } finally {
            listener.close();
        }
        boolean up = serverFailure == null && clientFailure == null;
        return new Outcome(serial(atServer.inboundChain), serial(atClient.outboundChain), up,
            up ? null : reason(link, atServer, atClient, serverFailure, clientFailure));
    }

    private static SSLContext context(X509KeyManager keyManager, X509TrustManager trustManager) throws GeneralSecurityException {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManager == null ? new KeyManager[0] : new KeyManager[] {keyManager}, new TrustManager[] {trustManager}, null);
        return context;
    }

    private static String serial(X509Certificate[] chain) {
        return chain == null || chain.length == 0 ? "none" : CertText.serial(chain[0]);
    }

    /** The refusing side's message, shortened: who refused whose certificate, and why. */
    private static String reason(Link link, Recorder atServer, Recorder atClient, Throwable serverFailure, Throwable clientFailure) {
        String client = link.client.name;
        String server = link.server.name;
        if (atServer.refusal != null) {
            return server + " refused " + client + "'s client cert: " + shorten(atServer.refusal, atServer.inboundChain, link.server.check);
        }
        if (atClient.refusal != null) {
            return client + " refused " + server + "'s server cert: " + shorten(atClient.refusal, atClient.outboundChain, link.client.check);
        }
        if (link.needClientAuth && atServer.inboundChain == null && serverFailure != null
                && String.valueOf(serverFailure.getMessage()).contains("Empty client certificate chain")) {
            return client + " sent no client cert (none issued by a CA that " + server + " accepts)";
        }
        Throwable failure = serverFailure != null ? serverFailure : clientFailure;
        String side = serverFailure != null ? server : client;
        String message = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        return side + ": " + (message.length() > 70 ? message.substring(0, 67) + "..." : message);
    }

    private static String shorten(CertificateException refusal, X509Certificate[] chain, String check) {
        String message = String.valueOf(refusal.getMessage());
        String what;
        if (message.contains("TLS client or server authentication")) {
            what = "neither clientAuth nor serverAuth";
        } else if (message.contains("TLS client authentication")) {
            what = "no clientAuth";
        } else if (message.contains("TLS server authentication")) {
            what = "no serverAuth";
        } else if (message.contains("PKIX path") || message.contains("certification path") || message.contains("No trusted certificate")) {
            String issuer = chain == null || chain.length == 0 ? "its issuer" : commonName(chain[0].getIssuerX500Principal().getName());
            return "issuer " + issuer + " not trusted";
        } else {
            return message.length() > 70 ? message.substring(0, 67) + "..." : message;
        }
        int mode = message.indexOf("(inbound.eku=");
        if (mode >= 0 && message.indexOf(')', mode) > mode) {
            String setting = message.substring(mode + 1, message.indexOf(')', mode));
            return what + " (" + (check.startsWith("SSH") ? check + ", " : "") + setting + ")";
        }
        return what + " (" + check + ")";
    }

    private static String commonName(String distinguishedName) {
        for (String part : distinguishedName.split(",")) {
            if (part.startsWith("CN=")) {
                return part.substring(3);
            }
        }
        return distinguishedName;
    }

    /** Records the chain each side was shown, and the refusal its trust manager threw, then delegates. */
    private static final class Recorder extends X509ExtendedTrustManager {
        private final X509ExtendedTrustManager delegate;
        volatile X509Certificate[] inboundChain;
        volatile X509Certificate[] outboundChain;
        volatile CertificateException refusal;

        Recorder(X509ExtendedTrustManager delegate) {
            this.delegate = delegate;
        }

        private CertificateException refused(CertificateException e) {
            refusal = e;
            return e;
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            inboundChain = chain;
            try {
                delegate.checkClientTrusted(chain, authType);
            } catch (CertificateException e) {
                throw refused(e);
            }
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            inboundChain = chain;
            try {
                delegate.checkClientTrusted(chain, authType, socket);
            } catch (CertificateException e) {
                throw refused(e);
            }
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            inboundChain = chain;
            try {
                delegate.checkClientTrusted(chain, authType, engine);
            } catch (CertificateException e) {
                throw refused(e);
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            outboundChain = chain;
            try {
                delegate.checkServerTrusted(chain, authType);
            } catch (CertificateException e) {
                throw refused(e);
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            outboundChain = chain;
            try {
                delegate.checkServerTrusted(chain, authType, socket);
            } catch (CertificateException e) {
                throw refused(e);
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            outboundChain = chain;
            try {
                delegate.checkServerTrusted(chain, authType, engine);
            } catch (CertificateException e) {
                throw refused(e);
            }
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return delegate.getAcceptedIssuers();
        }
    }

    // --- the table ------------------------------------------------------------------------------------

    private static final class Row {
        final Scenario scenario;
        final EkuPolicy mode;
        final Link link;
        final Outcome outcome;

        Row(Scenario scenario, EkuPolicy mode, Link link, Outcome outcome) {
            this.scenario = scenario;
            this.mode = mode;
            this.link = link;
            this.outcome = outcome;
        }

        boolean asExpected() {
            return outcome.up == link.expectUp;
        }
    }

    private static int print(PrintStream out, List<Scenario> scenarios, List<Row> rows, long millis) {
        out.println("EKU Bridge demo: the source document's scenarios, played on 127.0.0.1 with real TLS handshakes");
        out.println("CA1 = internal (private) CA, CA2 = public CA (serverAuth-only certificates since 2025).");
        out.println("Core = Expressway-C, Edge = Expressway-E; Edge inbound EKU: strict = \"On\", lenient = \"Off\".");
        out.println("The rule: a node presents its client identity when it is the TLS client, its server identity when it is the TLS server.");
        out.println();
        out.println("Certificates (serial (issuer; EKU)):");
        for (Scenario scenario : scenarios) {
            for (int i = 0; i < scenario.legend.size(); i++) {
                out.println("  " + CertText.pad(i == 0 ? scenario.id : "", W_SCENARIO) + "  " + scenario.legend.get(i));
            }
        }
        out.println();
        String indent = CertText.repeat(' ', W_SCENARIO + W_MODE + W_LINK + 6);
        out.println(indent + "serial presented by");
        out.println(line("SCENARIO", "MODE", "LINK (client->server)", "CLIENT", "SERVER", "VERDICT", "EXPECTED", "MATCH", "REASON"));
        out.println(line(CertText.repeat('-', W_SCENARIO), CertText.repeat('-', W_MODE), CertText.repeat('-', W_LINK),
            CertText.repeat('-', W_SERIAL), CertText.repeat('-', W_SERIAL), CertText.repeat('-', W_VERDICT),
            CertText.repeat('-', W_EXPECTED), CertText.repeat('-', W_MATCH), CertText.repeat('-', 6)));
        int matched = 0;
        Scenario previous = null;
        for (Row row : rows) {
            if (previous != null && previous != row.scenario) {
                out.println();
            }
            previous = row.scenario;
            if (row.asExpected()) {
                matched++;
            }
            String mode = row.mode.configValue() + (row.scenario.documentModes.contains(row.mode) ? "*" : "");
            String reason = row.outcome.up ? (row.link.note == null ? "" : row.link.note) : row.outcome.reason;
            out.println(line(row.scenario.id, mode, row.link.name, row.outcome.clientSerial, row.outcome.serverSerial,
                verdict(row.outcome.up), verdict(row.link.expectUp), row.asExpected() ? "ok" : "NO", reason));
        }
        out.println();
        out.println("* the Edge mode the source document used for this case. Links on 2222 and to outside peers keep their own rules.");
        out.println(matched + " of " + rows.size() + " links as expected (" + rows.size() + " TLS connections in "
            + String.format(Locale.ROOT, "%.1f", millis / 1000.0) + " s)");
        return matched == rows.size() ? 0 : 1;
    }

    private static String verdict(boolean up) {
        return up ? "UP" : "DOWN";
    }

    private static String line(String scenario, String mode, String link, String client, String server, String verdict,
            String expected, String match, String reason) {
        String text = CertText.pad(scenario, W_SCENARIO) + "  " + CertText.pad(mode, W_MODE) + "  " + CertText.pad(link, W_LINK)
            + "  " + CertText.pad(client, W_SERIAL) + "  " + CertText.pad(server, W_SERIAL) + "  " + CertText.pad(verdict, W_VERDICT)
            + "  " + CertText.pad(expected, W_EXPECTED) + "  " + CertText.pad(match, W_MATCH) + "  " + reason;
        int end = text.length();
        while (end > 0 && text.charAt(end - 1) == ' ') {
            end--;
        }
        return text.substring(0, end);
    }
}
