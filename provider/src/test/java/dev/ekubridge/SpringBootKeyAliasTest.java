package dev.ekubridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Socket;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.ekubridge.testsupport.pki.Ca;
import dev.ekubridge.testsupport.pki.Issued;
import dev.ekubridge.testsupport.pki.KeyKind;
import dev.ekubridge.testsupport.pki.LeafEku;
import dev.ekubridge.testsupport.pki.TestPki;
import dev.ekubridge.testsupport.tls.Handshake;
import dev.ekubridge.testsupport.tls.HandshakeResult;
import dev.ekubridge.testsupport.tls.Jsse;

/**
 * Spring Boot's {@code server.ssl.key-alias} (and a bundle's client alias) with Reactor Netty: Spring wraps each key
 * manager of the configured factory in its {@code AliasKeyManagerFactory.AliasX509ExtendedKeyManager}, which answers
 * {@code chooseEngineServerAlias} with the configured store alias without asking the key manager (whatever the key type),
 * {@code chooseEngineClientAlias} likewise with the client alias, and hands that plain alias to {@code getPrivateKey} and
 * {@code getCertificateChain}. With Tomcat and Jetty Spring passes the store and alias to the server's own code
 * instead (the it module's TomcatAliasIT and JettyAliasIT). {@link SpringStyleAliasKeyManager} behaves as Spring's
 * class does (spring-boot {@code core/spring-boot/.../ssl/AliasKeyManagerFactory.java}), written here rather than
 * depending on Spring Boot; it is put around {@code KeyManagerFactory.EkuBridge}'s key manager over a store
 * holding {@code server} (CA2, serverAuth only), {@code api} (CA2, serverAuth only) and {@code client} (CA1,
 * clientAuth only). Real in-memory handshakes, SunJSSE and BCJSSE, TLS 1.2 and 1.3.
 */
class SpringBootKeyAliasTest {

    private static final char[] PW = "changeit".toCharArray();
    private static final Ca CA1 = TestPki.root("Spring CA1 private", KeyKind.EC_P256);
    private static final Ca CA2 = TestPki.root("Spring CA2 public", KeyKind.EC_P256);
    private static final Issued SERVER = CA2.leaf("www.example.test").eku(LeafEku.SERVER_AUTH).dnsNames("www.example.test")
            .keyPair(KeyKind.EC_P256.freshKeyPair()).issue();
    private static final Issued API = CA2.leaf("api.example.test").eku(LeafEku.SERVER_AUTH).dnsNames("api.example.test")
            .keyPair(KeyKind.EC_P256.freshKeyPair()).issue();
    private static final Issued CLIENT = CA1.leaf("client.example.test").eku(LeafEku.CLIENT_AUTH)
            .keyPair(KeyKind.EC_P256.freshKeyPair()).issue();
    private static final Issued PEER = CA1.leaf(Handshake.PEER_HOST).eku(LeafEku.BOTH).keyPair(KeyKind.EC_P256.freshKeyPair()).issue();

    static Stream<Arguments> engines() {
        return Stream.of(Jsse.values()).flatMap(jsse -> Stream.of("TLSv1.2", "TLSv1.3").map(p -> Arguments.of(jsse, p)));
    }

    private static X509ExtendedKeyManager ekuBridgeKeyManager() throws Exception {
        Map<String, Issued> entries = new LinkedHashMap<>();
        entries.put("server", SERVER);
        entries.put("api", API);
        entries.put("client", CLIENT);
        KeyManagerFactory factory = KeyManagerFactory.getInstance(EkuBridgeProvider.NAME, new EkuBridgeProvider());
        factory.init(TestPki.keyStore("PKCS12", PW, entries), PW);
        return (X509ExtendedKeyManager) factory.getKeyManagers()[0];
    }

    private static SSLContext context(Jsse jsse, KeyManager keyManager) throws Exception {
        KeyStore anchors = TestPki.trustStore(CA1.certificate(), CA2.certificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX", jsse.provider());
        tmf.init(anchors);
        return jsse.context(new KeyManager[] {keyManager}, tmf.getTrustManagers());
    }

    private static SSLContext peer(Jsse jsse) throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX", jsse.provider());
        kmf.init(TestPki.keyStore("PKCS12", PW, "peer", PEER), PW);
        return context(jsse, kmf.getKeyManagers()[0]);
    }

    /** {@code server.ssl.key-alias=server}, then {@code =api}: the server presents exactly that entry. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("engines")
    void theConfiguredServerAliasIsPresented(Jsse jsse, String protocol) throws Exception {
        for (Issued expected : List.of(SERVER, API)) {
            String alias = expected == SERVER ? "server" : "api";
            SSLContext server = context(jsse, new SpringStyleAliasKeyManager(ekuBridgeKeyManager(), alias, null));

            HandshakeResult result = Handshake.run(peer(jsse), server, protocol, true);

            assertThat(result.succeeded()).as("key-alias=%s: %s", alias, result).isTrue();
            assertThat(result.serialSeenByClient()).as("key-alias=%s", alias).isEqualTo(expected.serial());
            assertThat(result.serialSeenByServer()).isEqualTo(PEER.serial());
        }
    }

    /** A client alias ({@code client}) makes our client role present that entry; without one EKU Bridge chooses it by EKU. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("engines")
    void theConfiguredClientAliasIsPresentedAndWithoutOneTheClientAuthEntry(Jsse jsse, String protocol) throws Exception {
        for (String clientAlias : new String[] {"client", null}) {
            SSLContext client = context(jsse, new SpringStyleAliasKeyManager(ekuBridgeKeyManager(), "server", clientAlias));

            HandshakeResult result = Handshake.run(client, peer(jsse), protocol, true);

            assertThat(result.succeeded()).as("client alias %s: %s", clientAlias, result).isTrue();
            assertThat(result.serialSeenByServer()).as("client alias %s", clientAlias).isEqualTo(CLIENT.serial());
        }
    }

    /** Below the handshakes: the plain store aliases resolve to their own pairs, as Spring's wrapper needs. */
    @Test
    void thePlainStoreAliasesResolve() throws Exception {
        X509ExtendedKeyManager km = ekuBridgeKeyManager();
        assertThat(km.getPrivateKey("server")).isEqualTo(SERVER.privateKey());
        assertThat(km.getCertificateChain("server")).containsExactly(SERVER.chain());
        assertThat(km.getPrivateKey("api")).isEqualTo(API.privateKey());
        assertThat(km.getPrivateKey("client")).isEqualTo(CLIENT.privateKey());
        assertThat(km.getServerAliases("EC", null)).contains("server", "api");
        assertThat(km.getClientAliases("EC", null)).contains("client");
    }

    /** As Spring Boot's {@code AliasKeyManagerFactory.AliasX509ExtendedKeyManager} behaves. */
    static final class SpringStyleAliasKeyManager extends X509ExtendedKeyManager {
        private final X509ExtendedKeyManager delegate;
        private final String serverAlias;
        private final String clientAlias;

        SpringStyleAliasKeyManager(X509ExtendedKeyManager delegate, String serverAlias, String clientAlias) {
            this.delegate = delegate;
            this.serverAlias = serverAlias;
            this.clientAlias = clientAlias;
        }

        @Override
        public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
            return clientAlias != null ? clientAlias : delegate.chooseEngineClientAlias(keyTypes, issuers, engine);
        }

        @Override
        public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
            return serverAlias != null ? serverAlias : delegate.chooseEngineServerAlias(keyType, issuers, engine);
        }

        @Override
        public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
            return clientAlias != null ? clientAlias : delegate.chooseClientAlias(keyTypes, issuers, socket);
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return delegate.chooseServerAlias(keyType, issuers, socket); // Spring ignores the alias here
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return delegate.getCertificateChain(alias);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return delegate.getPrivateKey(alias);
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return delegate.getClientAliases(keyType, issuers);
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return delegate.getServerAliases(keyType, issuers);
        }
    }
}
