package dev.ekubridge.it.netty;

import dev.ekubridge.it.support.Pki;
import dev.ekubridge.it.support.Pki.Leaf;
import dev.ekubridge.it.support.Pki.Usage;
import dev.ekubridge.it.support.Work;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The certificates of these tests, made at run time (EC P-256):
 * <ul>
 * <li>{@link #appServer}: the Netty application's own and only certificate, public CA2, serverAuth only (it presents
 *     it in both roles, as an application with one key store does);</li>
 * <li>{@link #agentClient}: the client identity the operator gives the agent ({@code client.keystore}), internal
 *     CA1, clientAuth;</li>
 * <li>{@link #peerServer}: the stock JDK server's certificate (CA2, serverAuth);</li>
 * <li>{@link #peerPublic}: a stock JDK client presenting a public serverAuth-only certificate (CA2);</li>
 * <li>{@link #peerClient}: a stock JDK client with a clientAuth certificate (CA1);</li>
 * <li>{@link #rogue}: a client certificate (clientAuth) from CA3, which nobody trusts.</li>
 * </ul>
 * Everybody's trust store is {@link #trust}: CA1 and CA2.
 */
final class NettyPki {
    static final String EKU_REFUSAL = "Extended key usage does not permit use for TLS client authentication";

    final Pki.TrustFiles trust;
    final Leaf appServer;
    final Leaf agentClient;
    final Leaf peerServer;
    final Leaf peerPublic;
    final Leaf peerClient;
    final Leaf rogue;

    NettyPki(String testClass) {
        Pki pki = new Pki(Work.dir(testClass, "pki"));
        Pki.Ca ca1 = pki.ca("CA1 internal");
        Pki.Ca ca2 = pki.ca("CA2 public");
        Pki.Ca ca3 = pki.ca("CA3 untrusted");
        trust = pki.trust("trust-ca1-ca2", ca1, ca2);
        appServer = ca2.leaf("app-server", "netty.example.com", Usage.SERVER_AUTH_ONLY);
        agentClient = ca1.leaf("agent-client", "netty.example.com", Usage.CLIENT_AND_SERVER_AUTH);
        peerServer = ca2.leaf("peer-server", "peer.example.net", Usage.SERVER_AUTH_ONLY);
        peerPublic = ca2.leaf("peer-public", "peer.example.net", Usage.SERVER_AUTH_ONLY);
        peerClient = ca1.leaf("peer-client", "peer.example.net", Usage.CLIENT_AND_SERVER_AUTH);
        rogue = ca3.leaf("rogue-client", "rogue.example.org", Usage.CLIENT_AND_SERVER_AUTH);
    }

    /** The application's own TLS files, as its command line names them. */
    String[] appTls() {
        return new String[] {"--keystore", appServer.p12().toString(), "--truststore", trust.p12().toString(), "--password", Pki.PASSWORD};
    }

    /** {@link NettyServerApp}'s command line. */
    String[] serverArgs(NettyVariant variant) {
        return concat(new String[] {"--provider", variant.provider}, appTls());
    }

    /** {@link NettyClientApp}'s command line, to connect to 127.0.0.1:port. */
    String[] clientArgs(NettyVariant variant, int port) {
        return concat(serverArgs(variant), new String[] {"--port", String.valueOf(port)});
    }

    static String[] concat(String[] first, String[] second) {
        String[] all = java.util.Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return all;
    }

    /** Agent arguments: the client identity only (nothing for the server role), the decision log on. */
    Map<String, String> agentWithClientIdentity() {
        Map<String, String> args = new LinkedHashMap<>();
        args.put("client.keystore", agentClient.p12().toString());
        args.put("client.password", Pki.PASSWORD);
        args.put("log.handshakes", "true");
        return args;
    }

    /** Agent arguments: only the inbound policy, the decision log on. */
    static Map<String, String> agentWithPolicy(String inboundEku) {
        Map<String, String> args = new LinkedHashMap<>();
        args.put("inbound.eku", inboundEku);
        args.put("log.handshakes", "true");
        return args;
    }
}
