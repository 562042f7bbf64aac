package dev.ekubridge.it.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ekubridge.it.web.WebServerProcess.Route;
import dev.ekubridge.testsupport.process.Jdk;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Issue 9, Jetty 12: an unmodified Jetty HTTPS server ({@link JettyHttpsApp}, {@code setNeedClientAuth(true)}) in its own
 * JVM on JDK 17 and 25, whose key store holds {@code server} (CA2, serverAuth only, www.example.test), {@code api} (CA2,
 * serverAuth only, api.example.test) and {@code client} (CA1, clientAuth only). Jetty puts its
 * {@code SniX509ExtendedKeyManager} in front of the factory's key manager: it calls {@code getServerAliases} and looks
 * each alias up in its own key store, so a key manager must answer the store's own aliases; with
 * {@code setCertAlias(a)} its {@code AliasedX509ExtendedKeyManager} wants exactly {@code a} among them. A JDK
 * {@code SSLSocket} client sends SNI (or not) and presents a CA1 clientAuth certificate; every request is a full
 * handshake, in TLS 1.3 and TLS 1.2.
 */
class JettyAliasIT extends WebAliasTest {
    static final String NO_AUTHENTICATION_SCHEME = "No available authentication scheme";
    static final String NO_CIPHER_SUITES = "no cipher suites in common";
    static final String NO_ALIAS_FOUND = "Jetty finds none of its aliases";

    JettyAliasIT() {
        super("JettyAliasIT", "Jetty 12 HTTPS, SNI and setCertAlias, through EKU Bridge");
    }

    private WebServerProcess start(Path dir, Jdk jdk, Route route, Map<String, String> agent, Path keyStore, String... connectors) {
        return WebServerProcess.start(processes, dir, "jetty-" + jdk.feature(), jdk, JettyHttpsApp.class, route, agent, Map.of(),
            pki.storeArgs(keyStore), connectors);
    }

    /** {@link #start} under the agent, once the agent says it is installed. */
    private WebServerProcess startUnderAgent(Path dir, Jdk jdk, Map<String, String> agent, Path keyStore, String... connectors) {
        WebServerProcess jetty = start(dir, jdk, Route.AGENT, agent, keyStore, connectors);
        assertThat(jetty.awaitLine("installed:")).as(jetty.transcript()).isPresent();
        return jetty;
    }

    /**
     * The provider route with the application untouched: a {@code java.security} override registers
     * {@code EkuBridgeProvider} and makes {@code EkuBridge} the default key and trust manager factory algorithm, which
     * Jetty uses unless told otherwise. Single-store mode then answers the store's own aliases: Jetty's SNI key manager
     * finds them in its store and chooses by SNI; with {@code setCertAlias("server")} Jetty's alias key manager finds
     * {@code server} among them, with SNI and without.
     */
    @OnEachJdk
    void providerRouteUnmodifiedJettyPresentsTheEntryItsSniAndCertAliasChoose(Jdk jdk) {
        WebServerProcess jetty = start(dir("provider-defaults", jdk), jdk, Route.PROVIDER_DEFAULTS, null, pki.appStore,
            "default", "cert-alias;alias=server");
        assertThat(jetty.out()).as(jetty.transcript()).contains("KMF-DEFAULT=EkuBridge TMF-DEFAULT=EkuBridge");

        WebChecks.On check = checks.on(jdk, "provider (java.security defaults)", jetty);
        check.presents("default", "store server+api+client", WebPki.WWW, pki.server);
        check.presents("default", "store server+api+client", WebPki.API, pki.api);
        // no SNI: Jetty asks the factory's key manager, which takes its best serverAuth entry (ties broken by alias)
        check.presents("default", "store server+api+client", null, pki.api);
        check.presentsWithAndWithoutSni("cert-alias", "setCertAlias(\"server\")", WebPki.WWW, pki.server);
        assertThat(jetty.handshakes("default")).as("Jetty's own handshake listener").allMatch(l -> l.endsWith(" OK"));
    }

    /**
     * The provider registered only, Jetty told {@code setKeyManagerFactoryAlgorithm("EkuBridge")}: the same. And the
     * control, proving that these requests test the aliases: {@link NamespacingProvider}'s
     * {@code KeyManagerFactory.EkuBridgeNamespaced} is the same key manager answering {@code server:0:<alias>} as before
     * issue 9; Jetty then finds none of its aliases and fails the handshake with SunJSSE's
     * {@code No available authentication scheme}, with SNI, and with {@code setCertAlias} also without SNI. Without SNI
     * and without a certificate alias Jetty leaves the choice to the key manager, and namespaced aliases work.
     */
    @OnEachJdk
    void providerRouteWithTheAlgorithmNamedByJettyAndTheNamespacedControl(Jdk jdk) {
        WebServerProcess jetty = start(dir("provider-registered", jdk), jdk, Route.PROVIDER_REGISTERED, null, pki.appStore,
            "explicit;kmf=EkuBridge", "explicit-alias;kmf=EkuBridge;alias=server",
            "namespaced;kmf=" + NamespacingProvider.ALGORITHM, "namespaced-alias;kmf=" + NamespacingProvider.ALGORITHM + ";alias=server");

        WebChecks.On check = checks.on(jdk, "provider (setKeyManagerFactoryAlgorithm)", jetty);
        check.presents("explicit", "kmf EkuBridge", WebPki.WWW, pki.server);
        check.presents("explicit", "kmf EkuBridge", WebPki.API, pki.api);
        check.presentsWithAndWithoutSni("explicit-alias", "kmf EkuBridge, setCertAlias(\"server\")", WebPki.WWW, pki.server);

        String control = "control: kmf EkuBridgeNamespaced (aliases server:0:<alias>)";
        check.fails("namespaced", control, WebPki.WWW, NO_ALIAS_FOUND);
        check.presents("namespaced", control, null, pki.api);
        String controlAlias = control + ", setCertAlias(\"server\")";
        check.fails("namespaced-alias", controlAlias, WebPki.WWW, NO_ALIAS_FOUND);
        check.fails("namespaced-alias", controlAlias, null, NO_ALIAS_FOUND);
        for (String connector : List.of("namespaced", "namespaced-alias")) {
            // SunJSSE's reason when the key manager gives no alias: TLS 1.3 "No available authentication scheme";
            // TLS 1.2 finds no suite it has a key for, "no cipher suites in common"
            List<String> failed = jetty.handshakes(connector).stream().filter(l -> l.contains(" FAILED ")).toList();
            assertThat(failed).as("the server's reasons, from Jetty's handshake listener\n%s", jetty.transcript())
                .isNotEmpty()
                .allSatisfy(l -> assertThat(l).containsAnyOf(NO_AUTHENTICATION_SCHEME, NO_CIPHER_SUITES))
                .anySatisfy(l -> assertThat(l).contains(NO_AUTHENTICATION_SCHEME));
        }
        assertThat(jetty.handshakes("explicit")).allMatch(l -> l.endsWith(" OK"));
    }

    /**
     * The agent with {@code client.keystore} only: the server role stays the application's (Jetty's own key manager
     * factory, SunX509, over its store), now behind EKU Bridge's key manager twice (the factory's managers and the
     * context's are both retrofitted). The application's aliases pass through unchanged, so Jetty still chooses by SNI
     * and by its certificate alias; the trust side is the application's trust manager wrapped in the EKU policy.
     */
    @OnEachJdk
    void agentWithAClientIdentityOnlyKeepsTheApplicationsServerEntry(Jdk jdk) {
        WebServerProcess jetty = startUnderAgent(dir("agent-client-only", jdk), jdk, WebPki.agentClientOnly(pki.agentClientStore),
            pki.appStore, "default", "cert-alias;alias=server");

        WebChecks.On check = checks.on(jdk, "agent client.keystore", jetty);
        check.presents("default", "store server+api+client (SunX509)", WebPki.WWW, pki.server);
        check.presents("default", "store server+api+client (SunX509)", WebPki.API, pki.api);
        check.presentsWithAndWithoutSni("cert-alias", "setCertAlias(\"server\")", WebPki.WWW, pki.server);
        checks.judgedThePeer(jetty);
    }

    /**
     * The agent with {@code server.keystore} (and {@code client.keystore}): the agent's server identity replaces the
     * application's in the server role, whatever Jetty's SNI and certificate alias would have chosen (EKU Bridge's key
     * manager is the context's, outside Jetty's wrappers, and chooses by SNI among its own identities).
     */
    @OnEachJdk
    void agentWithAServerIdentityPresentsIt(Jdk jdk) {
        WebServerProcess jetty = startUnderAgent(dir("agent-server", jdk), jdk, pki.agentServerAndClient(), pki.appStore, "default",
            "cert-alias;alias=server");

        WebChecks.On check = checks.on(jdk, "agent server.keystore + client.keystore", jetty);
        check.presents("default", "store server+api+client (SunX509)", WebPki.WWW, pki.agentServer);
        check.presentsWithAndWithoutSni("default", "store server+api+client (SunX509)", WebPki.API, pki.agentServer);
        check.presentsWithAndWithoutSni("cert-alias", "setCertAlias(\"server\")", WebPki.WWW, pki.agentServer);
        checks.presentedTheAgentServer(jetty);
    }

    /**
     * The agent's client identity and the application's server entry bear the same alias (both stores made by keytool
     * without {@code -alias}: {@code mykey}). The server role stays the application's, so Jetty must still find its own
     * {@code mykey} among the aliases answered for the server role.
     */
    @OnEachJdk
    void agentClientIdentityNamedLikeTheApplicationsServerEntry(Jdk jdk) {
        WebServerProcess jetty = startUnderAgent(dir("agent-same-alias", jdk), jdk, WebPki.agentClientOnly(pki.keytoolAgentClientStore),
            pki.keytoolServerStore, "default", "cert-alias;alias=" + WebPki.KEYTOOL_ALIAS);

        WebChecks.On check = checks.on(jdk, "agent client.keystore (alias mykey, as the app's)", jetty);
        check.presents("default", "store mykey (SunX509)", WebPki.WWW, pki.server);
        check.presentsWithAndWithoutSni("cert-alias", "store mykey, setCertAlias(\"mykey\")", WebPki.WWW, pki.server);
    }
}
