package dev.ekubridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.security.KeyStore;
import java.security.Principal;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509KeyManager;
import javax.security.auth.x500.X500Principal;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.ekubridge.testing.CaChange;
import dev.ekubridge.testsupport.pki.Ca;
import dev.ekubridge.testsupport.pki.Issued;
import dev.ekubridge.testsupport.pki.KeyKind;
import dev.ekubridge.testsupport.pki.LeafEku;
import dev.ekubridge.testsupport.pki.TestPki;
import dev.ekubridge.testsupport.tls.Handshake;
import dev.ekubridge.testsupport.tls.HandshakeResult;
import dev.ekubridge.testsupport.tls.Jsse;

/**
 * {@link RoleAwareKeyManager}: the role comes from the JSSE callback, selection honours key types,
 * acceptable issuers and SNI, aliases are namespaced per role and store, fallback key managers serve a
 * role without identities, and single-store mode ({@code KeyManagerFactory.EkuBridge}) assigns entries to
 * roles by EKU. Every role claim is proven through real SunJSSE and BCJSSE handshakes.
 */
class RoleAwareKeyManagerTest {

    private static final char[] PW = "changeit".toCharArray();

    private static final CaChange PKI = CaChange.named("RAKM");
    /** CA1: the private CA (issues clientAuth certificates). */
    private static final Ca CA1 = PKI.privateCa();
    /** CA2: the public CA (root plus the intermediate that issues serverAuth-only certificates). */
    private static final Ca CA2_ROOT = PKI.publicRoot();
    private static final Ca CA2 = PKI.publicIssuing();

    /** Our server identity S: public, serverAuth only. Fresh keys everywhere a key must be unique. */
    private static final Issued S = PKI.server();
    /** Our client identity C: private, clientAuth only. */
    private static final Issued C = PKI.client();
    /** The remote peer: private CA, both usages (so a strict JDK accepts it in either role). */
    private static final Issued PEER = CA1.leaf(Handshake.PEER_HOST).eku(LeafEku.BOTH)
            .keyPair(KeyKind.EC_P256.freshKeyPair()).issue();

    /** SunJSSE's refusal of a client certificate whose EKU lacks clientAuth. */
    private static final String NOT_FOR_CLIENT_AUTH = "Extended key usage does not permit use for TLS client authentication";
    private static final List<String> PROTOCOLS = List.of("TLSv1.2", "TLSv1.3");

    static Stream<Arguments> engines() {
        return Stream.of(Jsse.values()).flatMap(jsse -> PROTOCOLS.stream().map(p -> Arguments.of(jsse, p)));
    }

    // ------------------------------------------------------------------------------------------------
    // helpers
    // ------------------------------------------------------------------------------------------------

    private static Identity identity(String name, Issued issued) {
        return Identity.of(name, "test " + name, issued.privateKey(), issued.chain());
    }

    /** The server identity S and the client identity C under these aliases, trusting both CAs. */
    private static EkuBridge serverAndClient(String serverAlias, String clientAlias) {
        return EkuBridge.builder()
                .serverIdentity(identity(serverAlias, S))
                .clientIdentity(identity(clientAlias, C))
                .trustStore(trustAll())
                .build();
    }

    /**
     * The application's {@code app} serves {@code appRole}; the other role is ours: the client identity C or the server
     * identity S under {@code ourAlias}.
     */
    private static EkuBridge withFallback(Role appRole, String ourAlias, X509KeyManager app) {
        EkuBridge.Builder builder = EkuBridge.builder().trustStore(trustAll());
        return (appRole == Role.SERVER
                ? builder.clientIdentity(identity(ourAlias, C)).serverFallback(app)
                : builder.serverIdentity(identity(ourAlias, S)).clientFallback(app)).build();
    }

    private static KeyStore trustAll() {
        return TestPki.trustStore(CA1.certificate(), CA2_ROOT.certificate());
    }

    /** The JDK's key manager factory {@code algorithm} over {@link #singleStore()}. */
    private static KeyManagerFactory jdkKeyManagers(String algorithm) throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(algorithm, Jsse.SUN.provider());
        kmf.init(singleStore(), PW);
        return kmf;
    }

    /** A SunJSSE context presenting through {@code kmf}'s key managers, with the JDK's PKIX trust over {@link #trustAll()}. */
    private static SSLContext jdkContext(KeyManagerFactory kmf) throws Exception {
        TrustManagerFactory pkix = TrustManagerFactory.getInstance("PKIX", Jsse.SUN.provider());
        pkix.init(trustAll());
        return Jsse.SUN.context(kmf.getKeyManagers(), pkix.getTrustManagers());
    }

    /** A plain JDK/BC peer: PKIX key manager over {@code identity} (may be null), PKIX trust over the anchors. */
    private static SSLContext peer(Jsse jsse, Issued identity, X509Certificate... anchors) throws Exception {
        KeyManager[] kms = null;
        if (identity != null) {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX", jsse.provider());
            kmf.init(TestPki.keyStore("PKCS12", PW, "peer", identity), PW);
            kms = kmf.getKeyManagers();
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX", jsse.provider());
        tmf.init(TestPki.trustStore(anchors));
        return jsse.context(kms, tmf.getTrustManagers());
    }

    private static SSLContext peer(Jsse jsse, Issued identity) throws Exception {
        return peer(jsse, identity, CA1.certificate(), CA2_ROOT.certificate());
    }

    private static SSLContext context(Jsse jsse, EkuBridge bridge) {
        return jsse.context(new KeyManager[] {bridge.keyManager()}, new TrustManager[] {bridge.trustManager()});
    }

    /**
     * {@code ours} handshakes once as TLS server and once as TLS client with {@code theirs} (which requires a client
     * certificate): both succeed, the server role presenting {@code server} and the client role {@code client}.
     */
    private static void assertEachRolePresents(SSLContext ours, SSLContext theirs, String protocol, Issued server, Issued client)
            throws Exception {
        HandshakeResult asServer = Handshake.run(theirs, ours, protocol, true);
        HandshakeResult asClient = Handshake.run(ours, theirs, protocol, true);

        assertThat(asServer.succeeded()).as(asServer.toString()).isTrue();
        assertThat(asServer.serialSeenByClient()).as("the server role presents the server entry").isEqualTo(server.serial());
        assertThat(asClient.succeeded()).as(asClient.toString()).isTrue();
        assertThat(asClient.serialSeenByServer()).as("the client role presents the client entry").isEqualTo(client.serial());
    }

    private static BigInteger serialOf(RoleAwareKeyManager km, String alias) {
        X509Certificate[] chain = km.getCertificateChain(alias);
        return chain == null ? null : chain[0].getSerialNumber();
    }

    private static SSLEngine idleEngine() throws Exception {
        return Jsse.SUN.context(null, null).createSSLEngine();
    }

    private static SSLSocket unconnectedSocket() throws Exception {
        return (SSLSocket) Jsse.SUN.context(null, null).getSocketFactory().createSocket();
    }

    private static Consumer<SSLEngine> sni(String host) {
        return engine -> {
            SSLParameters parameters = engine.getSSLParameters();
            parameters.setServerNames(List.of(new SNIHostName(host)));
            engine.setSSLParameters(parameters);
        };
    }

    // ------------------------------------------------------------------------------------------------
    // 1. role separation through real handshakes
    // ------------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("engines")
    void serverRolePresentsServerIdentityAndClientRolePresentsClientIdentity(Jsse jsse, String protocol)
            throws Exception {
        EkuBridge bridge = serverAndClient("server", "client");
        SSLContext ours = context(jsse, bridge);
        SSLContext theirs = peer(jsse, PEER);

        HandshakeResult asServer = Handshake.run(theirs, ours, protocol, true);
        assertThat(asServer.succeeded()).as(asServer.toString()).isTrue();
        assertThat(asServer.serialSeenByClient()).as("peer (TLS client) sees S").isEqualTo(S.serial());
        assertThat(asServer.certificatesSeenByClient()).containsExactly(S.chain());
        assertThat(asServer.serialSeenByServer()).isEqualTo(PEER.serial());

        HandshakeResult asClient = Handshake.run(ours, theirs, protocol, true);
        assertThat(asClient.succeeded()).as(asClient.toString()).isTrue();
        assertThat(asClient.serialSeenByServer()).as("peer (TLS server, needClientAuth) sees C").isEqualTo(C.serial());
        assertThat(asClient.certificatesSeenByServer()).containsExactly(C.chain());
        assertThat(asClient.serialSeenByClient()).isEqualTo(PEER.serial());
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("engines")
    void sslContextOfTheBridgeSeparatesRolesToo(Jsse jsse, String protocol) throws Exception {
        EkuBridge bridge = serverAndClient("server", "client");
        SSLContext ours = bridge.sslContext("TLS", jsse.provider());

        assertEachRolePresents(ours, peer(jsse, PEER), protocol, S, C);
    }

    /** The control: without a client identity (upgrade default) the serverAuth-only S goes out and a strict peer refuses it. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("engines")
    void withoutClientIdentityTheServerIdentityGoesOutAndAStrictPeerRefusesIt(Jsse jsse, String protocol)
            throws Exception {
        EkuBridge bridge = EkuBridge.builder().serverIdentity(identity("server", S)).trustStore(trustAll()).build();
        assertThat(bridge.keyManager().identities(Role.CLIENT)).extracting(Identity::serial).containsExactly(S.serial());

        HandshakeResult asClient = Handshake.run(context(jsse, bridge), peer(jsse, PEER), protocol, true);

        assertThat(asClient.succeeded()).as(asClient.toString()).isFalse();
        assertThat(asClient.serverFailure()).as(asClient.toString()).isNotNull();
        assertThat(asClient.serialSeenByServer()).isNull();
        if (jsse == Jsse.SUN) {
            assertThat(asClient.failureText())
                    .contains(NOT_FOR_CLIENT_AUTH);
        }
    }

    // ------------------------------------------------------------------------------------------------
    // 2. callbacks, aliases and key/chain pairs
    // ------------------------------------------------------------------------------------------------

    @Test
    void allSixCallbacksRouteToTheirRoleAndEveryAliasResolvesToItsOwnPair() throws Exception {
        EkuBridge bridge = serverAndClient("sip-server", "sip-client");
        RoleAwareKeyManager km = bridge.keyManager();
        SSLSocket socket = unconnectedSocket();
        SSLEngine engine = idleEngine();

        String server1 = km.chooseServerAlias("EC", null, socket);
        String server2 = km.chooseEngineServerAlias("EC", null, engine);
        String server3 = km.chooseServerAlias("EC", null, null);
        String client1 = km.chooseClientAlias(new String[] {"EC"}, null, socket);
        String client2 = km.chooseEngineClientAlias(new String[] {"EC"}, null, engine);
        String client3 = km.chooseEngineClientAlias(new String[] {"EC"}, null, null);
        String[] serverAliases = km.getServerAliases("EC", null);
        String[] clientAliases = km.getClientAliases("EC", null);

        // unambiguous names are the stores' own aliases, so frameworks can look them up in their own store
        assertThat(List.of(server1, server2, server3)).containsOnly("sip-server");
        assertThat(List.of(client1, client2, client3)).containsOnly("sip-client");
        assertThat(serverAliases).containsExactly("sip-server");
        assertThat(clientAliases).containsExactly("sip-client");

        assertThat(km.getPrivateKey("sip-server")).isEqualTo(S.privateKey());
        assertThat(km.getCertificateChain("sip-server")).containsExactly(S.chain());
        assertThat(km.getPrivateKey("sip-client")).isEqualTo(C.privateKey());
        assertThat(km.getCertificateChain("sip-client")).containsExactly(C.chain());
        assertThat(km.identity("sip-server").serial()).isEqualTo(S.serial());
        assertThat(km.identity("sip-client").serial()).isEqualTo(C.serial());

        // namespaced forms, an unknown alias and null are not ours
        for (String alias : Arrays.asList("server:0:sip-server", "client:0:sip-client", "sip", "app-server:sip-server", null)) {
            assertThat(km.getPrivateKey(alias)).as(alias).isNull();
            assertThat(km.getCertificateChain(alias)).as(alias).isNull();
            assertThat(km.identity(alias)).as(alias).isNull();
        }
        assertThat(km.identities(Role.SERVER)).extracting(Identity::serial).containsExactly(S.serial());
        assertThat(km.identities(Role.CLIENT)).extracting(Identity::serial).containsExactly(C.serial());
    }

    @Test
    void twoIdentitiesWithTheSameNameAreNamespacedPerRoleAndEachResolvesToItsOwnPair() {
        RoleAwareKeyManager km = serverAndClient("sip", "sip").keyManager();

        assertThat(km.chooseServerAlias("EC", null, null)).isEqualTo("server:0:sip");
        assertThat(km.chooseClientAlias(new String[] {"EC"}, null, null)).isEqualTo("client:0:sip");
        assertThat(km.getPrivateKey("server:0:sip")).isEqualTo(S.privateKey());
        assertThat(km.getCertificateChain("server:0:sip")).containsExactly(S.chain());
        assertThat(km.getPrivateKey("client:0:sip")).isEqualTo(C.privateKey());
        assertThat(km.getCertificateChain("client:0:sip")).containsExactly(C.chain());
        assertThat(km.getPrivateKey("sip")).as("the bare name is ambiguous, so it is not an alias").isNull();
    }

    @Test
    void anIdentityThatServesBothRolesHasOneAlias() {
        RoleAwareKeyManager km = EkuBridge.builder()
                .serverIdentity(identity("shared", S))
                .clientUsesServerIdentity()
                .trustStore(trustAll())
                .build()
                .keyManager();

        assertThat(km.chooseServerAlias("EC", null, null)).isEqualTo("shared");
        assertThat(km.chooseClientAlias(new String[] {"EC"}, null, null)).isEqualTo("shared");
        assertThat(km.getPrivateKey("shared")).isEqualTo(S.privateKey());
    }

    @Test
    void twoStoresWhoseEntriesAreBothNamedOneDoNotCollide() {
        Issued s2 = CA2.leaf("sip2.example.test").eku(LeafEku.SERVER_AUTH)
                .keyPair(KeyKind.EC_P256.freshKeyPair()).issue();
        KeyStore serverStore = TestPki.keyStore("PKCS12", PW, "1", S);
        KeyStore secondServerStore = TestPki.keyStore("PKCS12", PW, "1", s2);
        KeyStore clientStore = TestPki.keyStore("PKCS12", PW, "1", C);
        List<Identity> servers = new ArrayList<>(Identities.fromKeyStore(serverStore, PW, null, "server store"));
        servers.addAll(Identities.fromKeyStore(secondServerStore, PW, null, "second server store"));

        RoleAwareKeyManager km = EkuBridge.builder()
                .serverIdentities(servers)
                .clientIdentities(Identities.fromKeyStore(clientStore, PW, null, "client store"))
                .trustStore(trustAll())
                .build()
                .keyManager();

        // all three are named "1": namespaced by role and rank
        assertThat(km.getServerAliases("EC", null)).containsExactly("server:0:1", "server:1:1");
        assertThat(km.getClientAliases("EC", null)).containsExactly("client:0:1");
        assertThat(km.chooseServerAlias("EC", null, null)).isEqualTo("server:0:1");
        assertThat(km.chooseClientAlias(new String[] {"EC"}, null, null)).isEqualTo("client:0:1");

        assertThat(km.getPrivateKey("server:0:1")).isEqualTo(S.privateKey());
        assertThat(km.getCertificateChain("server:0:1")[0]).isEqualTo(S.certificate());
        assertThat(km.getPrivateKey("server:1:1")).isEqualTo(s2.privateKey());
        assertThat(km.getCertificateChain("server:1:1")[0]).isEqualTo(s2.certificate());
        assertThat(km.getPrivateKey("client:0:1")).isEqualTo(C.privateKey());
        assertThat(km.getCertificateChain("client:0:1")[0]).isEqualTo(C.certificate());

        assertThat(km.getPrivateKey("server:0:1")).isNotEqualTo(km.getPrivateKey("client:0:1"));
        assertThat(km.getPrivateKey("server:0:1")).isNotEqualTo(km.getPrivateKey("server:1:1"));
        assertThat(km.getPrivateKey("1")).isNull();
    }

    // ------------------------------------------------------------------------------------------------
    // 3. key types
    // ------------------------------------------------------------------------------------------------

    private static final class KeyTypeFixture {
        static final Issued SERVER_EC = CA2.leaf("ec.example.test").eku(LeafEku.SERVER_AUTH).issue();
        static final Issued SERVER_RSA = CA2.leaf("rsa.example.test").eku(LeafEku.SERVER_AUTH)
                .keyKind(KeyKind.RSA_2048).issue();
        static final Issued CLIENT_EC = CA1.leaf("ec-client").eku(LeafEku.CLIENT_AUTH).issue();
        static final Issued CLIENT_RSA = CA1.leaf("rsa-client").eku(LeafEku.CLIENT_AUTH)
                .keyKind(KeyKind.RSA_2048).issue();
    }

    @ParameterizedTest(name = "RSA ranked first: {0}")
    @ValueSource(booleans = {true, false})
    void serverKeyTypeSelectsTheIdentityOfThatKeyAlgorithm(boolean rsaFirst) {
        Identity ec = identity("ec", KeyTypeFixture.SERVER_EC);
        Identity rsa = identity("rsa", KeyTypeFixture.SERVER_RSA);
        RoleAwareKeyManager km = EkuBridge.builder()
                .serverIdentities(rsaFirst ? List.of(rsa, ec) : List.of(ec, rsa))
                .clientIdentity(identity("client", C))
                .trustStore(trustAll())
                .build()
                .keyManager();
        BigInteger ecSerial = KeyTypeFixture.SERVER_EC.serial();
        BigInteger rsaSerial = KeyTypeFixture.SERVER_RSA.serial();

        SoftAssertions soft = new SoftAssertions();
        // SunJSSE key types
        soft.assertThat(serialOf(km, km.chooseServerAlias("EC", null, null))).as("EC").isEqualTo(ecSerial);
        soft.assertThat(serialOf(km, km.chooseServerAlias("RSA", null, null))).as("RSA").isEqualTo(rsaSerial);
        soft.assertThat(serialOf(km, km.chooseEngineServerAlias("EC", null, null))).as("engine EC").isEqualTo(ecSerial);
        soft.assertThat(serialOf(km, km.chooseEngineServerAlias("RSA", null, null))).as("engine RSA").isEqualTo(rsaSerial);
        // BCJSSE key types (TLS 1.2 server auth types, TLS 1.3 key type with curve)
        soft.assertThat(serialOf(km, km.chooseServerAlias("ECDHE_ECDSA", null, null))).as("ECDHE_ECDSA").isEqualTo(ecSerial);
        soft.assertThat(serialOf(km, km.chooseServerAlias("ECDHE_RSA", null, null))).as("ECDHE_RSA").isEqualTo(rsaSerial);
        soft.assertThat(serialOf(km, km.chooseServerAlias("EC/secp256r1", null, null))).as("EC/secp256r1").isEqualTo(ecSerial);
        // key types nobody holds
        for (String unknown : new String[] {"DSA", "EdDSA", "Ed25519", "EC/secp384r1", "RSASSA-PSS", "NOPE", null}) {
            soft.assertThat(km.chooseServerAlias(unknown, null, null)).as("server " + unknown).isNull();
            soft.assertThat(km.getServerAliases(unknown, null)).as("server aliases " + unknown).isNull();
        }
        soft.assertThat(km.getServerAliases("RSA", null)).as("only the RSA identity is an RSA alias")
                .containsExactly("rsa");
        soft.assertAll();
    }

    @Test
    void clientKeyTypesAreTriedInTheOrderTheEngineGivesThem() {
        RoleAwareKeyManager km = EkuBridge.builder()
                .serverIdentity(identity("server", S))
                .clientIdentity(identity("ec", KeyTypeFixture.CLIENT_EC), identity("rsa", KeyTypeFixture.CLIENT_RSA))
                .trustStore(trustAll())
                .build()
                .keyManager();
        BigInteger ec = KeyTypeFixture.CLIENT_EC.serial();
        BigInteger rsa = KeyTypeFixture.CLIENT_RSA.serial();

        assertThat(serialOf(km, km.chooseClientAlias(new String[] {"RSA", "EC"}, null, null))).isEqualTo(rsa);
        assertThat(serialOf(km, km.chooseClientAlias(new String[] {"EC", "RSA"}, null, null))).isEqualTo(ec);
        assertThat(serialOf(km, km.chooseEngineClientAlias(new String[] {"RSA", "EC"}, null, null))).isEqualTo(rsa);
        assertThat(serialOf(km, km.chooseClientAlias(new String[] {"DSA", "RSA", "EC"}, null, null))).isEqualTo(rsa);
        assertThat(serialOf(km, km.chooseClientAlias(new String[] {"ECDHE_RSA", "EC"}, null, null))).isEqualTo(rsa);
        assertThat(serialOf(km, km.chooseClientAlias(new String[] {"EC/secp256r1", "RSA"}, null, null))).isEqualTo(ec);
        assertThat(km.chooseClientAlias(new String[] {"DSA", "EdDSA"}, null, null)).isNull();
        assertThat(km.chooseClientAlias(new String[0], null, null)).isNull();
        assertThat(km.chooseClientAlias(null, null, null)).isNull();
        assertThat(km.chooseClientAlias(new String[] {"RSA"}, null, null)).isEqualTo("rsa");
    }

    /** TLS 1.2 cipher suites force the key type: the server presents the identity whose key fits. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("jsseOnly")
    void tls12CipherSuiteKeyTypeReachesTheRightServerIdentity(Jsse jsse) throws Exception {
        EkuBridge bridge = EkuBridge.builder()
                .serverIdentity(identity("ec", KeyTypeFixture.SERVER_EC), identity("rsa", KeyTypeFixture.SERVER_RSA))
                .clientIdentity(identity("client", C))
                .trustStore(trustAll())
                .build();
        SSLContext ours = context(jsse, bridge);

        HandshakeResult ecdsa = Handshake.run(peer(jsse, null, CA2_ROOT.certificate()), ours, "TLSv1.2", false,
                suites("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"), null);
        HandshakeResult rsa = Handshake.run(peer(jsse, null, CA2_ROOT.certificate()), ours, "TLSv1.2", false,
                suites("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"), null);

        assertThat(ecdsa.succeeded()).as(ecdsa.toString()).isTrue();
        assertThat(ecdsa.serialSeenByClient()).isEqualTo(KeyTypeFixture.SERVER_EC.serial());
        assertThat(rsa.succeeded()).as(rsa.toString()).isTrue();
        assertThat(rsa.serialSeenByClient()).isEqualTo(KeyTypeFixture.SERVER_RSA.serial());
    }

    static Stream<Jsse> jsseOnly() {
        return Stream.of(Jsse.values());
    }

    private static Consumer<SSLEngine> suites(String... suites) {
        return engine -> engine.setEnabledCipherSuites(suites);
    }

    // ------------------------------------------------------------------------------------------------
    // 4. acceptable issuers
    // ------------------------------------------------------------------------------------------------

    private static final class IssuerFixture {
        /** A clientAuth identity from CA2's intermediate (chain leaf, intermediate). */
        static final Issued CLIENT_CA2 = CA2.leaf("client-from-ca2").eku(LeafEku.CLIENT_AUTH)
                .keyPair(KeyKind.EC_P256.freshKeyPair()).issue();
        /** A serverAuth identity from CA1. */
        static final Issued SERVER_CA1 = CA1.leaf("server-from-ca1").eku(LeafEku.SERVER_AUTH)
                .keyPair(KeyKind.EC_P256.freshKeyPair()).issue();
        static final X500Principal UNKNOWN = new X500Principal("CN=Nobody Knows This CA, O=Elsewhere");
    }

    private static EkuBridge twoIssuerBridge() {
        return EkuBridge.builder()
                .serverIdentity(identity("ca1", IssuerFixture.SERVER_CA1), identity("ca2", S))
                .clientIdentity(identity("ca1", C), identity("ca2", IssuerFixture.CLIENT_CA2))
                .trustStore(trustAll())
                .build();
    }

    @Test
    void acceptableIssuersSelectTheIdentityThatChainsToThem() {
        RoleAwareKeyManager km = twoIssuerBridge().keyManager();
        String[] ec = {"EC"};
        Principal ca1 = CA1.certificate().getSubjectX500Principal();
        Principal ca2Issuing = CA2.certificate().getSubjectX500Principal();
        Principal ca2Root = CA2_ROOT.certificate().getSubjectX500Principal();
        BigInteger c1 = C.serial();
        BigInteger c2 = IssuerFixture.CLIENT_CA2.serial();

        SoftAssertions soft = new SoftAssertions();
        soft.assertThat(serialOf(km, km.chooseClientAlias(ec, new Principal[] {ca2Issuing}, null))).as("[CA2 issuing]").isEqualTo(c2);
        soft.assertThat(serialOf(km, km.chooseClientAlias(ec, new Principal[] {ca1}, null))).as("[CA1]").isEqualTo(c1);
        // the intermediate's issuer: matched through the chain the identity carries
        soft.assertThat(serialOf(km, km.chooseClientAlias(ec, new Principal[] {ca2Root}, null))).as("[CA2 root]").isEqualTo(c2);
        soft.assertThat(serialOf(km, km.chooseEngineClientAlias(ec, new Principal[] {ca2Root}, null))).as("engine [CA2 root]").isEqualTo(c2);
        soft.assertThat(serialOf(km, km.chooseClientAlias(ec, new Principal[] {IssuerFixture.UNKNOWN, ca2Root}, null)))
                .as("[unknown, CA2 root]").isEqualTo(c2);
        soft.assertThat(serialOf(km, km.chooseClientAlias(ec, new Principal[] {ca2Root, ca1}, null)))
                .as("both named: the better-ranked identity").isEqualTo(c1);
        // a Principal that is not an X500Principal, as some engines pass
        Principal named = () -> CA2.certificate().getSubjectX500Principal().getName();
        soft.assertThat(serialOf(km, km.chooseClientAlias(ec, new Principal[] {named}, null))).as("plain Principal").isEqualTo(c2);
        soft.assertThat(km.chooseClientAlias(ec, new Principal[] {IssuerFixture.UNKNOWN}, null)).as("[unknown]").isNull();
        soft.assertThat(km.getClientAliases("EC", new Principal[] {IssuerFixture.UNKNOWN})).as("aliases [unknown]").isNull();
        soft.assertThat(serialOf(km, km.chooseClientAlias(ec, new Principal[0], null))).as("[] = any").isEqualTo(c1);
        soft.assertThat(serialOf(km, km.chooseClientAlias(ec, null, null))).as("null = any").isEqualTo(c1);
        // the server role honours issuers the same way
        soft.assertThat(serialOf(km, km.chooseServerAlias("EC", new Principal[] {ca2Root}, null))).as("server [CA2 root]").isEqualTo(S.serial());
        soft.assertThat(serialOf(km, km.chooseServerAlias("EC", new Principal[] {ca1}, null))).as("server [CA1]")
                .isEqualTo(IssuerFixture.SERVER_CA1.serial());
        soft.assertThat(km.chooseServerAlias("EC", new Principal[] {IssuerFixture.UNKNOWN}, null)).as("server [unknown]").isNull();
        soft.assertAll();
    }

    /** The peer's certificate_authorities (its trust anchors) pick our client identity in a real handshake. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("engines")
    void peerTrustAnchorsPickTheClientIdentityInARealHandshake(Jsse jsse, String protocol) throws Exception {
        SSLContext ours = context(jsse, twoIssuerBridge());

        HandshakeResult trustsCa2 = Handshake.run(ours, peer(jsse, PEER, CA2_ROOT.certificate()), protocol, true);
        HandshakeResult trustsCa1 = Handshake.run(ours, peer(jsse, PEER, CA1.certificate()), protocol, true);

        assertThat(trustsCa2.succeeded()).as(trustsCa2.toString()).isTrue();
        assertThat(trustsCa2.serialSeenByServer()).as("peer trusting only CA2").isEqualTo(IssuerFixture.CLIENT_CA2.serial());
        assertThat(trustsCa1.succeeded()).as(trustsCa1.toString()).isTrue();
        assertThat(trustsCa1.serialSeenByServer()).as("peer trusting only CA1").isEqualTo(C.serial());
    }

    // ------------------------------------------------------------------------------------------------
    // 5. SNI on the server role
    // ------------------------------------------------------------------------------------------------

    private static final class SniFixture {
        static final Issued A = CA2.leaf("a.example.test").eku(LeafEku.SERVER_AUTH).dnsNames("a.example.test")
                .keyPair(KeyKind.EC_P256.freshKeyPair()).issue();
        static final Issued B = CA2.leaf("b.example.test").eku(LeafEku.SERVER_AUTH).dnsNames("*.b.example.test")
                .keyPair(KeyKind.EC_P256.freshKeyPair()).issue();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("engines")
    void sniHostNamePicksTheServerIdentityWhoseNamesMatch(Jsse jsse, String protocol) throws Exception {
        Identity a = identity("a", SniFixture.A);
        Identity b = identity("b", SniFixture.B);
        SoftAssertions soft = new SoftAssertions();
        for (boolean aFirst : new boolean[] {true, false}) {
            EkuBridge bridge = EkuBridge.builder()
                    .serverIdentities(aFirst ? List.of(a, b) : List.of(b, a))
                    .clientIdentity(identity("client", C))
                    .trustStore(trustAll())
                    .build();
            SSLContext ours = context(jsse, bridge);
            Map<String, BigInteger> expected = new LinkedHashMap<>();
            expected.put("a.example.test", SniFixture.A.serial());
            expected.put("x.b.example.test", SniFixture.B.serial());
            expected.put("unknown.example.test", aFirst ? SniFixture.A.serial() : SniFixture.B.serial());
            for (Map.Entry<String, BigInteger> e : expected.entrySet()) {
                // a fresh peer each time: Handshake always names the peer "peer.example:443", so a reused client
                // context would resume the previous session (SunJSSE, and BCJSSE in TLS 1.2, resume across a
                // changed SNI when the server has no SNI matchers) and the key manager would not be asked at all
                SSLContext theirs = peer(jsse, null, CA2_ROOT.certificate());
                HandshakeResult r = Handshake.run(theirs, ours, protocol, false, sni(e.getKey()), null);
                soft.assertThat(r.succeeded()).as("SNI %s, a first %s: %s", e.getKey(), aFirst, r).isTrue();
                soft.assertThat(r.serialSeenByClient()).as("SNI %s, a first %s: %s", e.getKey(), aFirst, r)
                        .isEqualTo(e.getValue());
            }
        }
        soft.assertAll();
    }

    // ------------------------------------------------------------------------------------------------
    // 6. fallback roles
    // ------------------------------------------------------------------------------------------------

    private static final class FallbackFixture {
        static final Issued APP_SERVER = CA2.leaf("app.example.test").eku(LeafEku.SERVER_AUTH)
                .keyPair(KeyKind.EC_P256.freshKeyPair()).issue();
        static final Issued APP_CLIENT = CA1.leaf("app-client").eku(LeafEku.CLIENT_AUTH)
                .keyPair(KeyKind.EC_P256.freshKeyPair()).issue();

        static X509ExtendedKeyManager appKeyManager(Issued issued) throws Exception {
            return appKeyManager(Jsse.SUN, issued);
        }

        /**
         * The application's own key manager comes from the application's JSSE: BCJSSE asks for its own key
         * types ("ECDHE_ECDSA", "EC/secp256r1"), which SunJSSE's key managers do not know (measured: a BCJSSE
         * server with SunJSSE's PKIX key manager and no EKU Bridge at all fails with handshake_failure).
         */
        static X509ExtendedKeyManager appKeyManager(Jsse jsse, Issued issued) throws Exception {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX", jsse.provider());
            kmf.init(TestPki.keyStore("PKCS12", PW, "app", issued), PW);
            return (X509ExtendedKeyManager) kmf.getKeyManagers()[0];
        }
    }

    @Test
    void serverFallbackServesTheServerRoleUnderItsOwnAliases() throws Exception {
        X509KeyManager app = FallbackFixture.appKeyManager(FallbackFixture.APP_SERVER);
        RoleAwareKeyManager km = withFallback(Role.SERVER, "client", app).keyManager();

        assertThat(km.identities(Role.SERVER)).isEmpty();
        for (String alias : new String[] {
                km.chooseServerAlias("EC", null, null),
                km.chooseServerAlias("EC", null, unconnectedSocket()),
                km.chooseEngineServerAlias("EC", null, idleEngine()),
                km.chooseEngineServerAlias("EC", null, null)}) {
            assertThat(alias).as("the application's own alias, as its key manager names it").endsWith(".app");
            assertThat(km.getPrivateKey(alias)).as(alias).isEqualTo(FallbackFixture.APP_SERVER.privateKey());
            assertThat(km.getCertificateChain(alias)).as(alias).containsExactly(FallbackFixture.APP_SERVER.chain());
            assertThat(km.identity(alias)).as("fallback aliases are not our identities").isNull();
        }
        assertThat(km.getServerAliases("EC", null)).isNotEmpty().allSatisfy(a -> assertThat(a).endsWith(".app"));
        assertThat(km.chooseServerAlias("RSA", null, null)).as("the app has no RSA key").isNull();
        // the client role is still ours, namespaced next to the application's aliases
        assertThat(km.chooseClientAlias(new String[] {"EC"}, null, null)).isEqualTo("client:0:client");
        assertThat(km.getPrivateKey("client:0:client")).isEqualTo(C.privateKey());
        // an app-client: alias has no key manager behind it here
        assertThat(km.getPrivateKey("app-client:" + km.chooseServerAlias("EC", null, null))).isNull();
    }

    /**
     * The agent's client identity and the application's server entry both named alike (keytool's default alias
     * {@code mykey}, here the fixed key manager's {@code fixed}): the application's alias must stay as it is, because its
     * framework looks it up in its own key store (Jetty's SNI key manager failed with "No available authentication
     * scheme" when it was answered as {@code app-server:mykey}; JettyAliasIT); ours yields.
     */
    @Test
    void aFallbackAliasNamedLikeOneOfOursKeepsItsNameAndOursIsNamespaced() {
        X509KeyManager app = TestPki.fixedKeyManager(FallbackFixture.APP_SERVER); // its one alias is "fixed"
        RoleAwareKeyManager km = withFallback(Role.SERVER, TestPki.FIXED_ALIAS, app).keyManager();

        String server = km.chooseServerAlias("EC", null, null);
        assertThat(server).isEqualTo(TestPki.FIXED_ALIAS);
        assertThat(km.getServerAliases("EC", null)).containsExactly(TestPki.FIXED_ALIAS);
        assertThat(km.getPrivateKey(server)).isEqualTo(FallbackFixture.APP_SERVER.privateKey());
        assertThat(km.getCertificateChain(server)).containsExactly(FallbackFixture.APP_SERVER.chain());
        assertThat(km.identity(server)).as("the application's, not ours").isNull();
        String client = km.chooseClientAlias(new String[] {"EC"}, null, null);
        assertThat(client).isEqualTo("client:0:" + TestPki.FIXED_ALIAS);
        assertThat(km.getClientAliases("EC", null)).containsExactly(client);
        assertThat(km.getPrivateKey(client)).isEqualTo(C.privateKey());
        assertThat(km.getCertificateChain(client)).containsExactly(C.chain());
    }

    /** The same through the agent's path ({@link AgentSupport#keyManagers}): only the application's alias is left plain. */
    @Test
    void theAgentsRetrofitLeavesTheApplicationsAliasesPlain() {
        AgentSupport agent = AgentSupport.of(EkuBridge.builder()
                .clientIdentity(identity(TestPki.FIXED_ALIAS, C))
                .trustStore(trustAll())
                .build());
        X509KeyManager app = TestPki.fixedKeyManager(FallbackFixture.APP_SERVER);
        RoleAwareKeyManager km = (RoleAwareKeyManager) agent.keyManagers(new KeyManager[] {app})[0];

        assertThat(km.getServerAliases("EC", null)).containsExactly(TestPki.FIXED_ALIAS);
        assertThat(km.getPrivateKey(TestPki.FIXED_ALIAS)).isEqualTo(FallbackFixture.APP_SERVER.privateKey());
        assertThat(km.chooseClientAlias(new String[] {"EC"}, null, null)).isEqualTo("client:0:" + TestPki.FIXED_ALIAS);
    }

    /** The fixed key manager's one entry under another name. */
    private static final class RenamedKeyManager implements X509KeyManager {
        private final X509KeyManager delegate;
        private final String alias;

        RenamedKeyManager(X509KeyManager delegate, String alias) {
            this.delegate = delegate;
            this.alias = alias;
        }

        private String out(String theirs) {
            return theirs == null ? null : alias;
        }

        private String[] out(String[] theirs) {
            return theirs == null ? null : new String[] {alias};
        }

        private String in(String ours) {
            return alias.equals(ours) ? TestPki.FIXED_ALIAS : null;
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return out(delegate.getClientAliases(keyType, issuers));
        }

        @Override
        public String chooseClientAlias(String[] keyTypes, Principal[] issuers, java.net.Socket socket) {
            return out(delegate.chooseClientAlias(keyTypes, issuers, socket));
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return out(delegate.getServerAliases(keyType, issuers));
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, java.net.Socket socket) {
            return out(delegate.chooseServerAlias(keyType, issuers, socket));
        }

        @Override
        public X509Certificate[] getCertificateChain(String name) {
            return delegate.getCertificateChain(in(name));
        }

        @Override
        public java.security.PrivateKey getPrivateKey(String name) {
            return delegate.getPrivateKey(in(name));
        }
    }

    /** An application alias that looks like one of our namespaced aliases is still told apart. */
    @Test
    void aFallbackAliasThatIsLiterallyOneOfOursIsPrefixed() {
        X509KeyManager app = TestPki.fixedKeyManager(FallbackFixture.APP_SERVER);
        RoleAwareKeyManager km = withFallback(Role.SERVER, "fixed", new RenamedKeyManager(app, "client:0:fixed")).keyManager();

        String server = km.chooseServerAlias("EC", null, null);
        assertThat(server).isEqualTo("app-server:client:0:fixed");
        assertThat(km.getPrivateKey(server)).isEqualTo(FallbackFixture.APP_SERVER.privateKey());
        assertThat(km.getPrivateKey("client:0:fixed")).isEqualTo(C.privateKey());
    }

    @Test
    void clientFallbackServesTheClientRoleUnderItsOwnAliases() throws Exception {
        X509KeyManager app = FallbackFixture.appKeyManager(FallbackFixture.APP_CLIENT);
        RoleAwareKeyManager km = withFallback(Role.CLIENT, "server", app).keyManager();

        assertThat(km.identities(Role.CLIENT)).as("no upgrade default when the app serves the client role").isEmpty();
        String alias = km.chooseClientAlias(new String[] {"EC"}, null, null);
        assertThat(alias).endsWith(".app");
        assertThat(km.getPrivateKey(alias)).isEqualTo(FallbackFixture.APP_CLIENT.privateKey());
        assertThat(km.getCertificateChain(alias)[0]).isEqualTo(FallbackFixture.APP_CLIENT.certificate());
        assertThat(km.chooseEngineClientAlias(new String[] {"EC"}, null, idleEngine())).endsWith(".app");
        assertThat(km.chooseServerAlias("EC", null, null)).isEqualTo("server:0:server");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("engines")
    void serverFallbackIsPresentedInARealHandshakeWhileTheClientRoleStaysOurs(Jsse jsse, String protocol)
            throws Exception {
        EkuBridge bridge = withFallback(Role.SERVER, "client", FallbackFixture.appKeyManager(jsse, FallbackFixture.APP_SERVER));

        assertEachRolePresents(context(jsse, bridge), peer(jsse, PEER), protocol, FallbackFixture.APP_SERVER, C);
    }

    // ------------------------------------------------------------------------------------------------
    // 7. single-store mode versus the JDK's key managers over the same store
    // ------------------------------------------------------------------------------------------------

    /**
     * One PKCS#12 as an operator has it after the CA change: "server" = public serverAuth-only (CA2),
     * "client" = private clientAuth-only (CA1). The names are chosen so that neither the alphabetical order
     * ("client" first) nor SunX509's hash order ("server" first) happens to be right for both roles.
     */
    private static KeyStore singleStore() {
        Map<String, Issued> entries = new LinkedHashMap<>();
        entries.put("server", S);
        entries.put("client", C);
        return TestPki.keyStore("PKCS12", PW, entries);
    }

    /** The aliases a JDK key manager over {@link #singleStore} chooses for an EC client and an EC server. */
    private record Chosen(String client, String server) {
    }

    /** What {@code km} (of {@code algorithm}) chooses in each role, printed as measured. */
    private static Chosen chosenAliases(String algorithm, X509KeyManager km) {
        Chosen chosen = new Chosen(km.chooseClientAlias(new String[] {"EC"}, null, null), km.chooseServerAlias("EC", null, null));
        System.out.println("[measured] " + algorithm + " over {server=serverAuth-only, client=clientAuth}: client role -> "
                + chosen.client() + ", server role -> " + chosen.server());
        return chosen;
    }

    private static KeyManager[] ekuBridgeKeyManagers(KeyStore store) throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("EkuBridge", new EkuBridgeProvider());
        kmf.init(store, PW);
        return kmf.getKeyManagers();
    }

    private static TrustManager[] ekuBridgeTrustManagers() throws Exception {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("EkuBridge", new EkuBridgeProvider());
        tmf.init(trustAll());
        return tmf.getTrustManagers();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("engines")
    void singleStoreKeyManagerFactoryPresentsEachEntryInItsRole(Jsse jsse, String protocol) throws Exception {
        KeyManager[] kms = ekuBridgeKeyManagers(singleStore());
        assertThat(kms).hasSize(1).allSatisfy(km -> assertThat(km).isInstanceOf(RoleAwareKeyManager.class));
        RoleAwareKeyManager km = (RoleAwareKeyManager) kms[0];
        assertThat(km.identities(Role.CLIENT)).extracting(Identity::serial).startsWith(C.serial());
        assertThat(km.identities(Role.SERVER)).extracting(Identity::serial).startsWith(S.serial());
        SSLContext ours = jsse.context(kms, ekuBridgeTrustManagers());

        assertEachRolePresents(ours, peer(jsse, PEER), protocol, S, C);
    }

    /**
     * The measured comparison: the JDK's default SunX509 key manager over the SAME store ignores the role
     * and EKU, so it presents one entry in both roles; here that is the serverAuth-only "server" entry, and a
     * strict JDK server refuses our client. The EkuBridge factory over the same store succeeds (above).
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void sunX509OverTheSameStorePresentsTheServerAuthOnlyEntryAsClientAndIsRefused(String protocol)
            throws Exception {
        KeyManagerFactory kmf = jdkKeyManagers("SunX509");
        X509KeyManager sunX509 = (X509KeyManager) kmf.getKeyManagers()[0];
        Chosen chosen = chosenAliases("SunX509", sunX509);
        assertThat(chosen.client()).as("SunX509 ignores the role").isEqualTo(chosen.server());
        assertThat(chosen.client()).as("SunX509 ignores EKU").isEqualTo("server");
        assertThat(sunX509.getCertificateChain(chosen.client())[0]).isEqualTo(S.certificate());

        SSLContext jdk = jdkContext(kmf);
        SSLContext strictPeer = peer(Jsse.SUN, PEER);

        HandshakeResult asClient = Handshake.run(jdk, strictPeer, protocol, true);
        assertThat(asClient.succeeded()).as(asClient.toString()).isFalse();
        assertThat(asClient.serverFailure()).as(asClient.toString()).isNotNull();
        assertThat(asClient.failureText())
                .contains(NOT_FOR_CLIENT_AUTH);
        HandshakeResult asServer = Handshake.run(strictPeer, jdk, protocol, true);
        assertThat(asServer.succeeded()).as(asServer.toString()).isTrue();
        assertThat(asServer.serialSeenByClient()).isEqualTo(S.serial());

        HandshakeResult bridged = Handshake.run(
                Jsse.SUN.context(ekuBridgeKeyManagers(singleStore()), ekuBridgeTrustManagers()), strictPeer, protocol, true);
        assertThat(bridged.succeeded()).as(bridged.toString()).isTrue();
        assertThat(bridged.serialSeenByServer()).isEqualTo(C.serial());
    }

    /**
     * The JDK's PKIX key manager over the same store: it ranks an EKU mismatch last, so with a clientAuth
     * entry present it does pick per role; measured and asserted as it behaves.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void pkixKeyManagerOverTheSameStoreRanksByEku(String protocol) throws Exception {
        KeyManagerFactory kmf = jdkKeyManagers("PKIX");
        X509KeyManager pkixKm = (X509KeyManager) kmf.getKeyManagers()[0];
        Chosen chosen = chosenAliases("PKIX", pkixKm);
        assertThat(pkixKm.getCertificateChain(chosen.client())[0]).isEqualTo(C.certificate());
        assertThat(pkixKm.getCertificateChain(chosen.server())[0]).isEqualTo(S.certificate());

        SSLContext strictPeer = peer(Jsse.SUN, PEER);
        assertEachRolePresents(jdkContext(kmf), strictPeer, protocol, S, C);

        // with only the serverAuth-only entry, PKIX still sends it as the client certificate and a strict peer refuses it
        KeyManagerFactory only = KeyManagerFactory.getInstance("PKIX", Jsse.SUN.provider());
        only.init(TestPki.keyStore("PKCS12", PW, "server", S), PW);
        X509KeyManager onlyKm = (X509KeyManager) only.getKeyManagers()[0];
        String fallbackAlias = onlyKm.chooseClientAlias(new String[] {"EC"}, null, null);
        System.out.println("[measured] PKIX over {server=serverAuth-only}: client role -> " + fallbackAlias);
        HandshakeResult onlyServerAuth = Handshake.run(jdkContext(only), strictPeer, protocol, true);
        assertThat(fallbackAlias).isNotNull();
        assertThat(onlyServerAuth.succeeded()).as(onlyServerAuth.toString()).isFalse();
        assertThat(onlyServerAuth.failureText())
                .contains(NOT_FOR_CLIENT_AUTH);
    }

    // ------------------------------------------------------------------------------------------------
    // selection allocates nothing (the hot path); measured in bytes, not time
    // ------------------------------------------------------------------------------------------------

    @Test
    void selectionAllocatesNothing() throws Exception {
        RoleAwareKeyManager km = serverAndClient("server", "client").keyManager();
        SSLEngine engine = idleEngine();
        Principal[] issuers = {CA1.certificate().getSubjectX500Principal()};
        String[] clientTypes = {"RSA", "EC"};
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        for (int i = 0; i < 20_000; i++) {
            select(km, engine, issuers, clientTypes);
        }
        long before = threads.getThreadAllocatedBytes(thread);
        for (int i = 0; i < 100_000; i++) {
            select(km, engine, issuers, clientTypes);
        }
        long allocated = threads.getThreadAllocatedBytes(thread) - before;

        // 600,000 selections; one 16-byte allocation each would be 9.6 MB. The margin (about 6 KB is seen) covers
        // the MXBean itself and compilation happening on this thread: under 0.11 bytes per selection.
        assertThat(allocated).as("bytes allocated by 600,000 selections").isLessThan(65_536);
    }

    private static void select(RoleAwareKeyManager km, SSLEngine engine, Principal[] issuers, String[] clientTypes) {
        if (km.chooseServerAlias("EC", null, null) == null
                || km.chooseEngineServerAlias("EC", null, engine) == null
                || km.chooseServerAlias("EC", null, null) == null
                || km.chooseClientAlias(clientTypes, issuers, null) == null
                || km.chooseEngineClientAlias(clientTypes, issuers, engine) == null
                || km.chooseEngineClientAlias(clientTypes, null, engine) == null) {
            throw new AssertionError("a selection returned null");
        }
    }
}
