package dev.ekubridge.it.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ekubridge.it.web.WebServerProcess.Route;
import dev.ekubridge.testsupport.process.Jdk;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Issue 9, Tomcat 11: an unmodified embedded Tomcat ({@link TomcatHttpsApp}) in its own JVM on JDK 17 and 25, an HTTPS
 * connector requiring a client certificate whose {@code SSLHostConfigCertificate} names its entry with
 * {@code certificateKeyAlias}, over the same store as {@link JettyAliasIT} ({@code server}, {@code api}, {@code client}).
 * Tomcat checks the alias names a key entry, copies that one entry into a new key store under the same alias, and
 * initialises the key manager factory of {@code keyManagerAlgorithm} with the copy; SunJSSE then calls the key manager
 * directly. (This is also how Spring Boot's {@code server.ssl.key-alias} reaches Tomcat.) A key Tomcat cannot copy
 * (a domain key store, or a PKCS#11 key) goes through Tomcat's own {@code JSSEKeyManager} instead, which asks the key
 * manager for the key by the store's alias.
 */
class TomcatAliasIT extends WebAliasTest {
    TomcatAliasIT() {
        super("TomcatAliasIT", "Tomcat 11 HTTPS, certificateKeyAlias, through EKU Bridge");
    }

    private WebServerProcess start(Path dir, Jdk jdk, Route route, Map<String, String> agent, String... connectors) {
        List<String> args = new ArrayList<>(pki.storeArgs(pki.appStore));
        args.addAll(List.of("--base", dir.resolve("tomcat-base").toString()));
        return WebServerProcess.start(processes, dir, "tomcat-" + jdk.feature(), jdk, TomcatHttpsApp.class, route, agent,
            Map.of(WebPki.DOMAIN_PASSWORD_ENV, WebPki.PASSWORD), args, connectors);
    }

    /**
     * A connector over {@link WebPki#domainStore} (type {@code DKS}), naming {@code app server}. Tomcat then does not copy
     * the entry: it initialises the factory with the whole store and wraps each key manager in its {@code JSSEKeyManager},
     * which answers the configured alias itself and asks the key manager for {@code getPrivateKey("app server")} and
     * {@code getCertificateChain("app server")}: the store's own alias must resolve (as for PKCS#11 keys, whose format is
     * not PKCS#8).
     */
    private String domainConnector(String name, String more) {
        return name + ";store=" + pki.domainStore + ";type=DKS;alias=" + WebPki.DOMAIN_PREFIX + "server" + more;
    }

    /**
     * The provider route with the application untouched ({@code java.security}: {@code EkuBridge} the default key and
     * trust manager factory algorithm, which is Tomcat's default {@code keyManagerAlgorithm}): each connector presents the
     * entry its {@code certificateKeyAlias} names, with SNI and without.
     */
    @OnEachJdk
    void providerRoutePresentsTheEntryCertificateKeyAliasNames(Jdk jdk) {
        WebServerProcess tomcat = start(dir("provider-defaults", jdk), jdk, Route.PROVIDER_DEFAULTS, null, "server;alias=server",
            "api;alias=api", domainConnector("dks", ""));
        assertThat(tomcat.out()).as(tomcat.transcript()).contains("KMF-DEFAULT=EkuBridge TMF-DEFAULT=EkuBridge");

        WebChecks.On check = checks.on(jdk, "provider (java.security defaults)", tomcat);
        check.presentsWithAndWithoutSni("server", "certificateKeyAlias=server", WebPki.WWW, pki.server);
        check.presentsWithAndWithoutSni("api", "certificateKeyAlias=api", WebPki.API, pki.api);
        check.presentsWithAndWithoutSni("dks", "DKS store, certificateKeyAlias=app server (Tomcat's JSSEKeyManager)", WebPki.WWW, pki.server);
    }

    /**
     * The provider registered only, Tomcat told {@code SSLHostConfig.setKeyManagerAlgorithm("EkuBridge")}: the same. The
     * namespaced control ({@link NamespacingProvider}) works here too: for a PKCS#8 key in a PKCS#12 store Tomcat never
     * looks an alias up itself, so that path did not depend on issue 9's change. Over a domain key store it does
     * (JSSEKeyManager): there the control fails and EKU Bridge's store aliases work.
     */
    @OnEachJdk
    void providerRouteWithTheAlgorithmNamedByTomcat(Jdk jdk) {
        WebServerProcess tomcat = start(dir("provider-registered", jdk), jdk, Route.PROVIDER_REGISTERED, null,
            "explicit;kma=EkuBridge;alias=server", "namespaced;kma=" + NamespacingProvider.ALGORITHM + ";alias=server",
            domainConnector("dks-explicit", ";kma=EkuBridge"), domainConnector("dks-namespaced", ";kma=" + NamespacingProvider.ALGORITHM));

        WebChecks.On check = checks.on(jdk, "provider (setKeyManagerAlgorithm)", tomcat);
        check.presentsWithAndWithoutSni("explicit", "keyManagerAlgorithm=EkuBridge, certificateKeyAlias=server", WebPki.WWW, pki.server);
        String control = "control: keyManagerAlgorithm=EkuBridgeNamespaced (aliases server:0:<alias>), certificateKeyAlias=server";
        check.presents("namespaced", control, WebPki.WWW, pki.server);

        String dks = "DKS store, keyManagerAlgorithm=EkuBridge, certificateKeyAlias=app server (JSSEKeyManager)";
        check.presentsWithAndWithoutSni("dks-explicit", dks, WebPki.WWW, pki.server);
        // the control fails where Tomcat asks for the key by the store's alias
        String dksControl = "control: DKS store, keyManagerAlgorithm=EkuBridgeNamespaced, certificateKeyAlias=app server";
        check.fails("dks-namespaced", dksControl, WebPki.WWW, "getPrivateKey(\"app server\") finds nothing");
    }

    /**
     * Under the agent: with {@code client.keystore} only the server role stays Tomcat's (the entry
     * {@code certificateKeyAlias} names); with {@code server.keystore} the agent's server identity replaces it.
     */
    @OnEachJdk
    void agentKeepsOrReplacesTheConfiguredEntry(Jdk jdk) {
        Path dir = dir("agent", jdk);
        WebServerProcess kept = start(dir.resolve("client-only"), jdk, Route.AGENT, WebPki.agentClientOnly(pki.agentClientStore),
            "server;alias=server", "api;alias=api", domainConnector("dks", ""));
        WebServerProcess replaced = start(dir.resolve("server"), jdk, Route.AGENT, pki.agentServerAndClient(), "server;alias=server");

        WebChecks.On onKept = checks.on(jdk, "agent client.keystore", kept);
        onKept.presentsWithAndWithoutSni("server", "certificateKeyAlias=server", WebPki.WWW, pki.server);
        onKept.presents("api", "certificateKeyAlias=api", WebPki.API, pki.api);
        onKept.presents("dks", "DKS store, certificateKeyAlias=app server (JSSEKeyManager)", WebPki.WWW, pki.server);
        checks.judgedThePeer(kept);

        checks.on(jdk, "agent server.keystore + client.keystore", replaced)
            .presentsWithAndWithoutSni("server", "certificateKeyAlias=server", WebPki.WWW, pki.agentServer);
        checks.presentedTheAgentServer(replaced);
    }
}
