package dev.ekubridge.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ekubridge.EkuBridge;
import dev.ekubridge.EkuBridgeConfig;
import dev.ekubridge.EkuBridgeException;
import dev.ekubridge.EkuPolicy;
import dev.ekubridge.Identity;
import dev.ekubridge.testsupport.pki.Ca;
import dev.ekubridge.testsupport.pki.Issued;
import dev.ekubridge.testsupport.pki.KeyKind;
import dev.ekubridge.testsupport.pki.LeafEku;
import dev.ekubridge.testsupport.pki.TestPki;
import dev.ekubridge.testsupport.tls.Jsse;
import dev.ekubridge.testing.RecordingTrustManager;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Inbound EKU policy scoped by peer, local port and issuer, over real loopback sockets: one bridge, one server
 * context, listeners on two ports; the most specific rule decides and the refusal names it. (The source document's
 * case: SIP on one port relaxed while the SSH tunnel on another stays strict, in the same JVM.)
 */
class ScopedPolicyTest {
    private static final Ca PUBLIC_CA = TestPki.root("Scoped Public CA", KeyKind.EC_P256);
    private static final Ca PRIVATE_CA = TestPki.root("Scoped Private CA", KeyKind.EC_P256);
    private static final Issued OUR_SERVER = PRIVATE_CA.leaf("edge.example").eku(LeafEku.SERVER_AUTH).issue();
    /** The peer's new public certificate: serverAuth only. */
    private static final Issued PUBLIC_PEER = PUBLIC_CA.leaf("core.example").eku(LeafEku.SERVER_AUTH).issue();
    private static final Issued PRIVATE_PEER = PRIVATE_CA.leaf("core-private.example").eku(LeafEku.SERVER_AUTH).issue();
    private static final ExecutorService ACCEPTORS = Executors.newCachedThreadPool();

    @AfterAll
    static void stop() {
        ACCEPTORS.shutdownNow();
    }

    private static EkuBridge.Builder bridge() {
        return EkuBridge.builder()
                .serverIdentity(Identity.of("edge", "test", OUR_SERVER.privateKey(), OUR_SERVER.chain()))
                .trustStore(TestPki.trustStore(PUBLIC_CA.certificate(), PRIVATE_CA.certificate()));
    }

    /** One mutual-TLS connection from {@code peer} to a new listener of {@code server}; null when accepted, else the server's refusal. */
    private static String connect(SSLContext server, Issued peer) throws Exception {
        return connectOnPort(server, 0, peer);
    }

    /** The two listeners of one JVM get different policies by local port; the refusal names the rule that decided. */
    @Test
    void aPortRuleRelaxesOneListenerWhileTheOtherStaysStrict() throws Exception {
        int sipPort;
        try (ServerSocket probe = new ServerSocket(0)) {
            sipPort = probe.getLocalPort();
        }
        EkuBridge bridge = bridge().inboundEku(EkuPolicy.STRICT).inboundEkuForPort(sipPort, EkuPolicy.LENIENT).build();
        SSLContext server = bridge.sslContext("TLS");

        assertThat(connectOnPort(server, sipPort, PUBLIC_PEER)).as("SIP listener, lenient by its port").isNull();
        assertThat(connect(server, PUBLIC_PEER)).as("another listener stays strict")
                .contains("Extended key usage does not permit use for TLS client authentication")
                .contains("(inbound.eku=strict)");
    }

    private static String connectOnPort(SSLContext server, int port, Issued peer) throws Exception {
        try (SSLServerSocket listener = (SSLServerSocket) server.getServerSocketFactory().createServerSocket(port, 1,
                InetAddress.getLoopbackAddress())) {
            listener.setNeedClientAuth(true);
            Future<String> accepted = ACCEPTORS.submit(() -> {
                try (SSLSocket socket = (SSLSocket) listener.accept()) {
                    socket.setSoTimeout(10_000);
                    socket.startHandshake();
                    return null;
                } catch (Exception e) {
                    return String.valueOf(e.getMessage());
                }
            });
            SSLContext client = Jsse.SUN.context(new KeyManager[] {TestPki.fixedKeyManager(peer)},
                    new TrustManager[] {Jsse.SUN.trustManager("PKIX", TestPki.trustStore(PRIVATE_CA.certificate()))});
            try (SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort()), 10_000);
                socket.setSoTimeout(10_000);
                socket.setEnabledProtocols(new String[] {"TLSv1.2"}); // the server's verdict arrives during the handshake
                socket.startHandshake();
            } catch (Exception e) {
                // the server's reason is what matters
            }
            return accepted.get(20, TimeUnit.SECONDS);
        }
    }

    /** Precedence: the peer's exact address, then the narrowest network, then the port, then the issuer, then the default. */
    @Test
    void theMostSpecificRuleWins() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        // issuer says lenient for the public CA, but the port says strict: the port wins
        SSLContext portOverIssuer = bridge().inboundEku(EkuPolicy.LENIENT).inboundEkuForPort(port, EkuPolicy.STRICT)
                .inboundEkuForIssuer(PUBLIC_CA.certificate().getSubjectX500Principal(), EkuPolicy.LENIENT, "public").build().sslContext("TLS");
        assertThat(connectOnPort(portOverIssuer, port, PUBLIC_PEER)).contains("(inbound.eku.port." + port + "=strict)");

        // a network rule over the port rule, and the narrowest network over a wider one
        SSLContext network = bridge().inboundEku(EkuPolicy.STRICT).inboundEkuForPort(port, EkuPolicy.STRICT)
                .inboundEkuForPeer("127.0.0.0/8", EkuPolicy.STRICT).inboundEkuForPeer("127.0.0.0/24", EkuPolicy.LENIENT)
                .build().sslContext("TLS");
        assertThat(connectOnPort(network, port, PUBLIC_PEER)).as("127.0.0.0/24 is narrower than /8").isNull();

        // the exact address over every network
        SSLContext address = bridge().inboundEku(EkuPolicy.LENIENT).inboundEkuForPeer("127.0.0.0/24", EkuPolicy.LENIENT)
                .inboundEkuForPeer(InetAddress.getLoopbackAddress().getHostAddress(), EkuPolicy.STRICT).build().sslContext("TLS");
        assertThat(connect(address, PUBLIC_PEER)).contains("(inbound.eku.peer." + InetAddress.getLoopbackAddress().getHostAddress()
                + "=strict)");

        // the issuer over the default: a strict default relaxed for the public CA only
        SSLContext issuer = bridge().inboundEku(EkuPolicy.STRICT)
                .inboundEkuForIssuer(PUBLIC_CA.certificate().getSubjectX500Principal(), EkuPolicy.LENIENT, "public").build().sslContext("TLS");
        assertThat(connect(issuer, PUBLIC_PEER)).as("issued by the public CA: lenient").isNull();
        assertThat(connect(issuer, PRIVATE_PEER)).as("issued by the private CA: the strict default").contains("(inbound.eku=strict)");
    }

    /** An engine knows no local port; a host-name rule matches the host name the application gave the engine. */
    @Test
    void enginesAreScopedByTheirPeerHostOnly() throws Exception {
        // a wrapped manager that needs no handshake session, so that the engines need no handshake either
        EkuBridge bridge = bridge().trustManager(RecordingTrustManager.acceptingEverything())
                .inboundEku(EkuPolicy.STRICT).inboundEkuForPeer("core.example", EkuPolicy.LENIENT)
                .inboundEkuForPort(443, EkuPolicy.LENIENT).build();
        X509TrustManager trust = bridge.trustManager();
        SSLContext context = bridge.sslContext("TLS");
        X509Certificate[] chain = PUBLIC_PEER.chain();

        ((javax.net.ssl.X509ExtendedTrustManager) trust).checkClientTrusted(chain, "EC", context.createSSLEngine("core.example", 443));
        assertThatThrownBy(() -> ((javax.net.ssl.X509ExtendedTrustManager) trust).checkClientTrusted(chain, "EC",
                context.createSSLEngine("other.example", 443)))
                .as("a port rule does not apply to an engine").isInstanceOf(CertificateException.class)
                .hasMessageContaining("(inbound.eku=strict)");
    }

    @Test
    void scopedKeysComeFromEverySourceButTheEnvironmentAndBadOnesNameTheKey() {
        Map<String, String> system = new LinkedHashMap<>();
        system.put("ekubridge.inbound.eku.port.5061", "lenient");
        system.put("ekubridge.inbound.eku.issuer.public", "lenient");
        system.put("ekubridge.inbound.eku.issuer.public.dn", "CN=Scoped Public CA");
        EkuBridgeConfig config = EkuBridgeConfig.load("inbound.eku.peer.192.0.2.0/24=audit,inbound.eku.peer.2001:db8::/32=server-auth",
                system, Map.of());
        assertThat(config.inboundEku()).isEqualTo(EkuPolicy.STRICT);

        List<String> problems = new ArrayList<>();
        for (String arguments : new String[] {"inbound.eku.port.70000=lenient", "inbound.eku.port.sip=lenient",
                "inbound.eku.peer.not_a_host=lenient", "inbound.eku.peer.192.0.2.0/33=lenient", "inbound.eku.port.5061=relaxed",
                "inbound.eku.issuer.public=lenient", "inbound.eku.issuer.public.dn=CN=x"}) {
            try {
                EkuBridgeConfig.load(arguments, Map.of(), Map.of());
                problems.add(arguments + ": accepted");
            } catch (EkuBridgeException e) {
                assertThat(e.getMessage()).as(arguments).contains(arguments.substring(0, arguments.indexOf('=')))
                        .contains("agent argument");
            }
        }
        assertThat(problems).isEmpty();
    }
}
