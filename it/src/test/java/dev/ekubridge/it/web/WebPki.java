package dev.ekubridge.it.web;

import dev.ekubridge.it.support.Work;
import dev.ekubridge.testsupport.pki.Ca;
import dev.ekubridge.testsupport.pki.Issued;
import dev.ekubridge.testsupport.pki.KeyKind;
import dev.ekubridge.testsupport.pki.LeafEku;
import dev.ekubridge.testsupport.pki.TestPki;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The run's certificates and stores for the web server tests (test-support's PKI, EC P-256, fresh keys), written under
 * {@code dir}. CA2 is the public CA (serverAuth only), CA1 the private one (clientAuth).
 *
 * <ul>
 * <li>{@link #appStore}: the web server's own store, as an operator fills it for single-store mode: {@code server}
 *     (CA2, serverAuth only, {@code www.example.test} and {@code example.test}), {@code api} (CA2, serverAuth only,
 *     {@code api.example.test}) and {@code client} (CA1, clientAuth only). Jetty counts every host name and CN, so it
 *     always puts its SNI key manager in front of the factory's.</li>
 * <li>{@link #peerStore}: the HTTPS client's clientAuth certificate (CA1).</li>
 * <li>{@link #agentServerStore}, {@link #agentClientStore}: the agent's own identities ({@code server.keystore},
 *     {@code client.keystore}), other certificates than the application's.</li>
 * <li>{@link #keytoolServerStore}, {@link #keytoolAgentClientStore}: one entry each, both under keytool's default alias
 *     {@code mykey}: the application's server certificate and the agent's client certificate bear the same name.</li>
 * <li>{@link #domainStore}: {@link #appStore} seen through a JDK domain key store ({@code DKS}).</li>
 * </ul>
 */
public final class WebPki {
    public static final String PASSWORD = "changeit";
    public static final String WWW = "www.example.test";
    public static final String API = "api.example.test";
    public static final String KEYTOOL_ALIAS = "mykey";
    /** The environment variable {@link #domainStore} reads the store password from (DKS takes it from nowhere else here). */
    public static final String DOMAIN_PASSWORD_ENV = "WEB_STORE_PASSWORD";
    /** {@link #domainStore}'s name for {@link #appStore}: its entries are {@code app server}, {@code app api}, {@code app client}. */
    public static final String DOMAIN_PREFIX = "app ";

    public final Issued server;
    public final Issued api;
    public final Issued appClient;
    public final Issued peer;
    public final Issued agentServer;
    public final Issued agentClient;

    public final Path appStore;
    public final Path peerStore;
    public final Path trustStore;
    public final Path agentServerStore;
    public final Path agentClientStore;
    public final Path keytoolServerStore;
    public final Path keytoolAgentClientStore;
    public final Path domainStore;

    public WebPki(Path dir) {
        Ca ca1 = TestPki.root("Web CA1 private", KeyKind.EC_P256);
        Ca ca2 = TestPki.root("Web CA2 public", KeyKind.EC_P256);
        server = leaf(ca2, WWW, LeafEku.SERVER_AUTH, WWW, "example.test");
        api = leaf(ca2, API, LeafEku.SERVER_AUTH, API);
        appClient = leaf(ca1, "app-client.example.test", LeafEku.CLIENT_AUTH);
        peer = leaf(ca1, "peer.example.net", LeafEku.CLIENT_AUTH);
        agentServer = leaf(ca2, WWW, LeafEku.SERVER_AUTH, WWW, API, "example.test");
        agentClient = leaf(ca1, "agent-client.example.test", LeafEku.CLIENT_AUTH);

        char[] pw = PASSWORD.toCharArray();
        Map<String, Issued> app = new LinkedHashMap<>();
        app.put("server", server);
        app.put("api", api);
        app.put("client", appClient);
        appStore = TestPki.writePkcs12(dir.resolve("app.p12"), pw, app);
        peerStore = TestPki.writePkcs12(dir.resolve("peer.p12"), pw, Map.of("peer", peer));
        trustStore = TestPki.writeTrustStore(dir.resolve("trust.p12"), "PKCS12", pw, ca1.certificate(), ca2.certificate());
        agentServerStore = TestPki.writePkcs12(dir.resolve("agent-server.p12"), pw, Map.of("agent-server", agentServer));
        agentClientStore = TestPki.writePkcs12(dir.resolve("agent-client.p12"), pw, Map.of("agent-client", agentClient));
        keytoolServerStore = TestPki.writePkcs12(dir.resolve("keytool-server.p12"), pw, Map.of(KEYTOOL_ALIAS, server));
        keytoolAgentClientStore = TestPki.writePkcs12(dir.resolve("keytool-agent-client.p12"), pw, Map.of(KEYTOOL_ALIAS, agentClient));
        domainStore = writeDomain(dir.resolve("app.dks"), appStore);
    }

    /** A web server fixture's TLS arguments: its key store {@code keyStore}, the trust store, the password. */
    public List<String> storeArgs(Path keyStore) {
        return List.of("--keystore", keyStore.toString(), "--truststore", trustStore.toString(), "--password", PASSWORD);
    }

    /** Agent arguments: a client identity ({@code client.keystore}) only, nothing for the server role. */
    public static Map<String, String> agentClientOnly(Path clientStore) {
        Map<String, String> agent = new LinkedHashMap<>();
        agent.put("client.keystore", clientStore.toString());
        agent.put("client.password", PASSWORD);
        return agent;
    }

    /** Agent arguments: {@link #agentServerStore} for the server role, {@link #agentClientStore} for the client role. */
    public Map<String, String> agentServerAndClient() {
        Map<String, String> agent = new LinkedHashMap<>();
        agent.put("server.keystore", agentServerStore.toString());
        agent.put("server.password", PASSWORD);
        agent.putAll(agentClientOnly(agentClientStore));
        return agent;
    }

    /**
     * A JDK domain key store ({@code KeyStore.getInstance("DKS")}) configuration holding {@code store} as {@code app}: its
     * entry names are {@code app server}... (the default separator is a space).
     */
    private static Path writeDomain(Path file, Path store) {
        String text = "domain web {\n    keystore app\n        keystoreType=\"PKCS12\"\n        keystoreURI=\"" + store.toUri()
            + "\"\n        keystorePasswordEnv=\"" + DOMAIN_PASSWORD_ENV + "\";\n};\n";
        return Work.write(file, text);
    }

    private static Issued leaf(Ca ca, String cn, LeafEku eku, String... dnsNames) {
        return ca.leaf(cn).eku(eku).dnsNames(dnsNames).keyPair(KeyKind.EC_P256.freshKeyPair()).issue();
    }

    /** {@code 1A2B... (www.example.test)}, for messages. */
    public static String describe(Issued issued) {
        return issued.serialHex() + " (" + issued.certificate().getSubjectX500Principal().getName() + ")";
    }
}
