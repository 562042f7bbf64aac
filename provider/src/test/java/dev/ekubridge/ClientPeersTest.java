package dev.ekubridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.ekubridge.EkuBridgeException.Reason;
import dev.ekubridge.testsupport.pki.Ca;
import dev.ekubridge.testsupport.pki.Issued;
import dev.ekubridge.testsupport.pki.KeyKind;
import dev.ekubridge.testsupport.pki.LeafEku;
import dev.ekubridge.testsupport.pki.Pem;
import dev.ekubridge.testsupport.pki.TestPki;
import dev.ekubridge.testsupport.tls.Handshake;
import dev.ekubridge.testsupport.tls.HandshakeResult;
import dev.ekubridge.testsupport.tls.Jsse;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code client.peers}: the client identity is presented only to the peers named there; every other server that asks
 * for a certificate gets the application's (through the agent's retrofit) or none (the library). Real handshakes: one
 * client context against two servers on loopback sockets that request a client certificate, and in-memory engines
 * created for a host name, under SunJSSE and BCJSSE.
 */
class ClientPeersTest {
    private static final char[] PW = "changeit".toCharArray();
    private static final Ca CA = TestPki.root("Client Peers CA", KeyKind.EC_P256);
    /** The operator's client identity: to be presented to the named peers only. */
    private static final Issued OURS = CA.leaf("client.peers.example").eku(LeafEku.CLIENT_AUTH).keyPair(KeyKind.EC_P256.freshKeyPair()).issue();
    private static final Issued OUR_SERVER = CA.leaf("sip.peers.example").eku(LeafEku.SERVER_AUTH).keyPair(KeyKind.EC_P256.freshKeyPair()).issue();
    /** The application's own certificate, in its own key manager. */
    private static final Issued APP = CA.leaf("app.peers.example").eku(LeafEku.BOTH).keyPair(KeyKind.EC_P256.freshKeyPair()).issue();
    /** The servers we dial. */
    private static final Issued REMOTE = CA.leaf("remote.peers.example").eku(LeafEku.BOTH).keyPair(KeyKind.EC_P256.freshKeyPair()).issue();

    private static final ExecutorService SERVERS = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "client-peers-test-server");
        thread.setDaemon(true);
        return thread;
    });

    @AfterAll
    static void stopServers() {
        SERVERS.shutdownNow();
    }

    private static EkuBridge.Builder bridge() {
        return EkuBridge.builder()
            .serverIdentity(Identity.of("server", "test", OUR_SERVER.privateKey(), OUR_SERVER.chain()))
            .clientIdentity(Identity.of("client", "test", OURS.privateKey(), OURS.chain()))
            .trustStore(TestPki.trustStore(CA.certificate()));
    }

    private static KeyManager[] keyManagers(Jsse jsse, Issued identity) throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX", jsse.provider());
        kmf.init(TestPki.keyStore("PKCS12", PW, "own", identity), PW);
        return kmf.getKeyManagers();
    }

    private static TrustManager[] trustManagers(Jsse jsse) throws Exception {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX", jsse.provider());
        tmf.init(TestPki.trustStore(CA.certificate()));
        return tmf.getTrustManagers();
    }

    /** A server that requests (wants, does not need) a client certificate: the remote peers we dial. */
    private static SSLContext remote(Jsse jsse) throws Exception {
        return jsse.context(keyManagers(jsse, REMOTE), trustManagers(jsse));
    }

    /** A loopback server on 127.0.0.1 that reports the client certificate each handshake showed it. */
    private static final class RequestingServer implements AutoCloseable {
        final SSLServerSocket socket;

        RequestingServer(SSLContext context) throws IOException {
            socket = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 5, InetAddress.getByName("127.0.0.1"));
            socket.setWantClientAuth(true);
            socket.setSoTimeout(10_000);
        }

        int port() {
            return socket.getLocalPort();
        }

        /** The serial of the client certificate of one connection made by {@code connect}, or {@code null} when none was sent. */
        BigInteger clientSerial(SSLContext client, String host) throws Exception {
            Future<BigInteger> seen = SERVERS.submit(() -> {
                try (SSLSocket accepted = (SSLSocket) socket.accept()) {
                    accepted.setSoTimeout(10_000);
                    accepted.startHandshake();
                    accepted.getOutputStream().write(1);
                    accepted.getOutputStream().flush();
                    try {
                        Certificate[] chain = accepted.getSession().getPeerCertificates();
                        return ((X509Certificate) chain[0]).getSerialNumber();
                    } catch (SSLPeerUnverifiedException none) {
                        return null;
                    }
                }
            });
            try (SSLSocket connection = (SSLSocket) client.getSocketFactory().createSocket(host, port())) {
                connection.setSoTimeout(10_000);
                connection.startHandshake();
                assertThat(connection.getInputStream().read()).as("the server answered").isEqualTo(1);
            }
            return seen.get(20, TimeUnit.SECONDS);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    static Stream<Arguments> engines() {
        return Stream.of(Jsse.values()).flatMap(jsse -> Stream.of("TLSv1.2", "TLSv1.3").map(p -> Arguments.of(jsse, p)));
    }

    /**
     * The issue's test: one client context, two servers that request a certificate; client.peers names one of them (by
     * address and port). Only that one gets the client identity; the other gets the application's certificate when the
     * agent retrofits the application's context, and no certificate from the library (which has no application key
     * manager to fall back to).
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ADDRESS_AND_PORT", "CIDR_AND_PORT", "PORT", "HOST_NAME"})
    void onlyTheNamedServerGetsTheClientIdentity(String how) throws Exception {
        Jsse jsse = Jsse.SUN;
        try (RequestingServer named = new RequestingServer(remote(jsse)); RequestingServer other = new RequestingServer(remote(jsse))) {
            String peer;
            String namedHost = "127.0.0.1";
            switch (how) {
                case "ADDRESS_AND_PORT":
                    peer = "127.0.0.1:" + named.port();
                    break;
                case "CIDR_AND_PORT":
                    peer = "127.0.0.0/8:" + named.port();
                    break;
                case "PORT":
                    peer = ":" + named.port();
                    break;
                default:
                    // the name the application connects to, never looked up by EKU Bridge; the other server is dialled by address
                    peer = "localhost";
                    namedHost = "localhost";
                    break;
            }
            EkuBridge library = bridge().clientPeers(peer).build();
            SSLContext libraryContext = library.sslContext("TLS", jsse.provider());
            assertThat(named.clientSerial(libraryContext, namedHost)).as("named (%s): the client identity", peer).isEqualTo(OURS.serial());
            assertThat(other.clientSerial(libraryContext, "127.0.0.1")).as("not named, library: no client certificate").isNull();

            AgentSupport agent = AgentSupport.of(library);
            SSLContext appContext = jsse.context(agent.keyManagers(keyManagers(jsse, APP)), agent.trustManagers(trustManagers(jsse)));
            assertThat(named.clientSerial(appContext, namedHost)).as("named, retrofit: the client identity").isEqualTo(OURS.serial());
            assertThat(other.clientSerial(appContext, "127.0.0.1")).as("not named, retrofit: the application's").isEqualTo(APP.serial());

            // without client.peers, every server gets the client identity (what the agent did before)
            SSLContext everywhere = bridge().build().sslContext("TLS", jsse.provider());
            assertThat(other.clientSerial(everywhere, "127.0.0.1")).isEqualTo(OURS.serial());
        }
    }

    /** Engines know the peer only as the application created them: host name and port. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("engines")
    void enginesAreMatchedByTheHostAndPortTheyWereCreatedFor(Jsse jsse, String protocol) throws Exception {
        EkuBridge bridge = bridge().clientPeers("sip.carrier.example", "192.0.2.0/24", "[2001:db8::1]:" + Handshake.PEER_PORT).build();
        SSLContext ours = bridge.sslContext("TLS", jsse.provider());
        SSLContext server = remote(jsse);
        Map<String, BigInteger> expected = new java.util.LinkedHashMap<>();
        expected.put("sip.carrier.example", OURS.serial());
        expected.put("SIP.Carrier.Example", OURS.serial());
        expected.put("192.0.2.77", OURS.serial());
        expected.put("2001:db8::1", OURS.serial());
        expected.put("third-party.example", null);
        expected.put("carrier.example", null);
        expected.put("198.51.100.1", null);
        expected.put("2001:db8::2", null);
        for (Map.Entry<String, BigInteger> host : expected.entrySet()) {
            HandshakeResult result = Handshake.run(ours, server, protocol, false, host.getKey(), null, null,
                engine -> engine.setWantClientAuth(true));
            assertThat(result.succeeded()).as(host.getKey() + ": " + result).isTrue();
            assertThat(result.serialSeenByServer()).as("client certificate sent to %s", host.getKey()).isEqualTo(host.getValue());
        }
    }

    /** A peer that is not known (no socket, no engine, an engine without a host) is not a named one. */
    @Test
    void anUnknownPeerIsNotNamed() throws Exception {
        RoleAwareKeyManager keyManager = bridge().clientPeers(":5061").build().keyManager();
        assertThat(keyManager.chooseClientAlias(new String[] {"EC"}, null, null)).isNull();
        assertThat(keyManager.chooseEngineClientAlias(new String[] {"EC"}, null, Jsse.SUN.context(null, null).createSSLEngine())).isNull();
        assertThat(keyManager.chooseServerAlias("EC", null, null)).as("the server role is not limited").isEqualTo("server");
        assertThat(keyManager.chooseEngineClientAlias(new String[] {"EC"}, null,
            Jsse.SUN.context(null, null).createSSLEngine("anywhere.example", 5061))).as("any host on port 5061").isEqualTo("client");
        assertThat(keyManager.toString()).contains("client.peers :5061");
    }

    @Test
    void theConfigurationKeyTakesSpaceSeparatedPeersAlsoInAgentArguments(@TempDir Path dir) {
        Path cert = Pem.writeChain(dir.resolve("client.crt"), OURS.chain());
        Path key = Pem.writePkcs8(dir.resolve("client.key"), OURS.privateKey());
        String arguments = "client.cert=" + cert + ",client.key=" + key + ",client.peers=sip.example.com 192.0.2.0/24 :5061 [2001:db8::1]:5061";
        EkuBridgeConfig config = EkuBridgeConfig.load(arguments, Map.of(), Map.of());
        assertThat(config.clientPeers()).containsExactly("sip.example.com", "192.0.2.0/24", ":5061", "[2001:db8::1]:5061");
        EkuBridge bridge = EkuBridge.fromConfig(config);
        assertThat(bridge.keyManager().toString()).contains("client.peers sip.example.com 192.0.2.0/24 :5061 [2001:db8::1]:5061");

        EkuBridgeConfig fromFile = EkuBridgeConfig.of(Map.of("client.cert", cert.toString(), "client.key", key.toString(),
            "client.peers", " sip.example.com,  sip2.example.com:5061 "), "a map");
        assertThat(fromFile.clientPeers()).containsExactly("sip.example.com", "sip2.example.com:5061");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sip_example!", ":0", ":65536", "sip.example.com:port", "192.0.2.0/33", "[2001:db8::1]:99999", "a/b"})
    void aBadPeerIsAnErrorNamingTheKeyAndItsSource(String bad) {
        EkuBridgeException e = catchThrowableOfType(EkuBridgeException.class, () -> EkuBridgeConfig.of(Map.of(
            "server.keystore", "/nonexistent.p12", "client.peers", "sip.example.com " + bad), "my map"));
        assertThat(e).isNotNull();
        assertThat(e.reason()).isEqualTo(Reason.BAD_VALUE);
        assertThat(e.getMessage()).contains("client.peers (from my map)").contains("'" + bad + "'");
    }

    @Test
    void peersWithoutAnyIdentityAreAnError() {
        EkuBridgeException e = catchThrowableOfType(EkuBridgeException.class, () -> EkuBridgeConfig.of(Map.of(
            "client.peers", ":5061", "inbound.eku", "lenient"), "my map"));
        assertThat(e).isNotNull();
        assertThat(e.reason()).isEqualTo(Reason.MISSING_KEY);
        assertThat(e.getMessage()).contains("client.peers (from my map)");
        EkuBridgeException builder = catchThrowableOfType(EkuBridgeException.class, () -> bridge().clientPeers(List.of("not a host")));
        assertThat(builder.reason()).isEqualTo(Reason.BAD_VALUE);
    }

    /** For a socket, the host name is the one the application connected to, never a reverse look-up of the address. */
    @Test
    void aSocketToAnAddressIsNotMatchedByAHostName() throws Exception {
        try (RequestingServer server = new RequestingServer(remote(Jsse.SUN))) {
            SSLContext ours = bridge().clientPeers("localhost").build().sslContext("TLS");
            assertThat(server.clientSerial(ours, "127.0.0.1")).isNull();
            // a plain Socket connected to the address: still not the name
            try (Socket plain = new Socket(InetAddress.getByName("127.0.0.1"), server.port())) {
                assertThat(ClientPeers.parse(List.of("localhost")).names(plain, null)).isFalse();
                assertThat(ClientPeers.parse(List.of("127.0.0.1:" + server.port())).names(plain, null)).isTrue();
                assertThat(ClientPeers.parse(List.of("127.0.0.1:1")).names(plain, null)).isFalse();
            }
            server.socket.accept().close();
        }
    }
}
