package dev.ekubridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.ekubridge.EkuBridgeException.Reason;
import dev.ekubridge.testing.LogCapture;
import dev.ekubridge.testsupport.pki.Ca;
import dev.ekubridge.testsupport.pki.Issued;
import dev.ekubridge.testsupport.pki.KeyKind;
import dev.ekubridge.testsupport.pki.LeafEku;
import dev.ekubridge.testsupport.pki.TestPki;
import dev.ekubridge.testsupport.tls.Handshake;
import dev.ekubridge.testsupport.tls.HandshakeResult;
import dev.ekubridge.testsupport.tls.Jsse;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The configuration's single store: {@code server.keystore} given alone (no {@code server.alias}, no client identity, no
 * {@code client.identity}) has its entries assigned to the roles by EKU when they differ in the roles they permit; when
 * every entry permits the same roles, nothing changes: the store serves the server role and the client role follows the
 * upgrade default. Each role's certificate is proven through real handshakes against a strict JDK peer.
 */
class SingleStoreConfigTest {
    private static final String PASSWORD = "changeit";
    private static final char[] PW = PASSWORD.toCharArray();
    private static final Ca PUBLIC_CA = TestPki.root("Single Store public CA", KeyKind.EC_P256);
    private static final Ca PRIVATE_CA = TestPki.root("Single Store private CA", KeyKind.EC_P256);
    /** The public certificate: serverAuth only. */
    private static final Issued PUBLIC = leaf(PUBLIC_CA, "sip.single.example", LeafEku.SERVER_AUTH);
    /** A private certificate: clientAuth only. */
    private static final Issued CLIENT_ONLY = leaf(PRIVATE_CA, "client.single.example", LeafEku.CLIENT_AUTH);
    /** A private certificate with both EKUs. */
    private static final Issued BOTH = leaf(PRIVATE_CA, "both.single.example", LeafEku.BOTH);
    private static final Issued CODE_SIGNING = leaf(PRIVATE_CA, "signer.single.example", LeafEku.CODE_SIGNING);
    /** The peer: strict JDK, requires a client certificate with clientAuth, trusts both CAs. */
    private static final Issued PEER = leaf(PRIVATE_CA, Handshake.PEER_HOST, LeafEku.BOTH);

    @TempDir
    Path dir;

    private static Issued leaf(Ca ca, String name, LeafEku eku) {
        return ca.leaf(name).eku(eku).dnsNames(name).keyPair(KeyKind.EC_P256.freshKeyPair()).issue();
    }

    private Path store(Object... aliasThenLeaf) {
        Map<String, Issued> entries = new LinkedHashMap<>();
        for (int i = 0; i < aliasThenLeaf.length; i += 2) {
            entries.put((String) aliasThenLeaf[i], (Issued) aliasThenLeaf[i + 1]);
        }
        return TestPki.writePkcs12(dir.resolve("server-" + System.nanoTime() + ".p12"), PW, entries);
    }

    private static EkuBridgeConfig config(Path store, String... more) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("server.keystore", store.toString());
        values.put("server.password", PASSWORD);
        for (int i = 0; i < more.length; i += 2) {
            values.put(more[i], more[i + 1]);
        }
        return EkuBridgeConfig.of(values, "test");
    }

    private static SSLContext peer() throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
        kmf.init(TestPki.keyStore("PKCS12", PW, "peer", PEER), PW);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(TestPki.trustStore(PUBLIC_CA.certificate(), PRIVATE_CA.certificate()));
        return Jsse.SUN.context(kmf.getKeyManagers(), tmf.getTrustManagers());
    }

    private static SSLContext ours(EkuBridge bridge) throws Exception {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(TestPki.trustStore(PRIVATE_CA.certificate()));
        return Jsse.SUN.context(new KeyManager[] {bridge.keyManager()}, tmf.getTrustManagers());
    }

    private static BigInteger asServer(SSLContext ours) throws Exception {
        HandshakeResult result = Handshake.run(peer(), ours, "TLSv1.3", true);
        assertThat(result.succeeded()).as(result.toString()).isTrue();
        return result.serialSeenByClient();
    }

    private static HandshakeResult asClient(SSLContext ours) throws Exception {
        return Handshake.run(ours, peer(), "TLSv1.3", true);
    }

    @Test
    void aServerAuthOnlyAndAClientAuthOnlyEntryServeOneRoleEach() throws Exception {
        // the clientAuth-only entry sorts first: once refused for the server role, now it serves the client role
        EkuBridge bridge = EkuBridge.fromConfig(config(store("a-private", CLIENT_ONLY, "public", PUBLIC)));

        assertThat(bridge.keyManager().identities(Role.SERVER)).extracting(Identity::serial).containsExactly(PUBLIC.serial());
        assertThat(bridge.keyManager().identities(Role.CLIENT)).extracting(Identity::serial).containsExactly(CLIENT_ONLY.serial());
        assertThat(bridge.clientRoleIsUpgradeDefault()).isFalse();
        SSLContext ours = ours(bridge);
        assertThat(asServer(ours)).isEqualTo(PUBLIC.serial());
        HandshakeResult asClient = asClient(ours);
        assertThat(asClient.succeeded()).as("a strict peer accepts the clientAuth entry: " + asClient).isTrue();
        assertThat(asClient.serialSeenByServer()).isEqualTo(CLIENT_ONLY.serial());
    }

    /** The entry dedicated to a role ranks first in it: the public certificate is the server's, however the aliases sort. */
    @Test
    void aBothEntryServesTheClientRoleAndRanksAfterTheDedicatedServerEntry() throws Exception {
        EkuBridge bridge = EkuBridge.fromConfig(config(store("a-private", BOTH, "public", PUBLIC)));

        assertThat(bridge.keyManager().identities(Role.SERVER)).extracting(Identity::serial).containsExactly(PUBLIC.serial(), BOTH.serial());
        assertThat(bridge.keyManager().identities(Role.CLIENT)).extracting(Identity::serial).containsExactly(BOTH.serial());
        SSLContext ours = ours(bridge);
        assertThat(asServer(ours)).isEqualTo(PUBLIC.serial());
        assertThat(asClient(ours).serialSeenByServer()).isEqualTo(BOTH.serial());
    }

    /** Entries that all permit the same roles: as before, the store is the server's and the client role is the upgrade default. */
    @Test
    void withoutAClientAuthEntryTheUpgradeDefaultStaysWithItsWarning() throws Exception {
        LogCapture.Captured<EkuBridge> captured = LogCapture.capture(() -> EkuBridge.fromConfig(config(store("public", PUBLIC))));
        EkuBridge bridge = captured.result();
        assertThat(captured.text()).contains("the client role presents the server identity").contains("lacks the clientAuth EKU");
        assertThat(bridge.clientRoleIsUpgradeDefault()).isTrue();
        assertThat(bridge.keyManager().identities(Role.CLIENT)).extracting(Identity::serial).containsExactly(PUBLIC.serial());
        HandshakeResult asClient = asClient(ours(bridge));
        assertThat(asClient.succeeded()).as("a strict peer refuses the serverAuth-only certificate as before").isFalse();

        EkuBridge both = EkuBridge.fromConfig(config(store("both", BOTH)));
        assertThat(both.clientRoleIsUpgradeDefault()).as("one entry with both EKUs: the upgrade default, as before").isTrue();
        assertThat(asClient(ours(both)).serialSeenByServer()).isEqualTo(BOTH.serial());
    }

    /** Under the agent, the upgrade default leaves the client role to the application; a clientAuth entry takes it. */
    @Test
    void underTheAgentTheClientRoleIsTheStoresOnlyWhenItHasAClientAuthEntry() throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
        kmf.init(TestPki.keyStore("PKCS12", PW, "app", BOTH), PW);

        AgentSupport split = AgentSupport.fromConfig(config(store("public", PUBLIC, "z-private", CLIENT_ONLY)));
        RoleAwareKeyManager splitKm = (RoleAwareKeyManager) split.keyManagers(kmf.getKeyManagers())[0];
        assertThat(splitKm.identities(Role.CLIENT)).extracting(Identity::serial).containsExactly(CLIENT_ONLY.serial());

        AgentSupport serverOnly = AgentSupport.fromConfig(config(store("public", PUBLIC)));
        RoleAwareKeyManager serverOnlyKm = (RoleAwareKeyManager) serverOnly.keyManagers(kmf.getKeyManagers())[0];
        assertThat(serverOnlyKm.identities(Role.CLIENT)).as("the application's key manager").isEmpty();
        assertThat(serverOnlyKm.getCertificateChain(serverOnlyKm.chooseClientAlias(new String[] {"EC"}, null, null))[0].getSerialNumber())
            .isEqualTo(BOTH.serial());
    }

    /** A reload may turn a store into a single store and back: the assignment is made again for every generation. */
    @Test
    void theAssignmentIsMadeAgainOnReload() throws Exception {
        Path file = store("public", PUBLIC);
        AgentSupport retrofit = AgentSupport.fromConfig(config(file));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
        kmf.init(TestPki.keyStore("PKCS12", PW, "app", BOTH), PW);
        RoleAwareKeyManager km = (RoleAwareKeyManager) retrofit.keyManagers(kmf.getKeyManagers())[0];
        assertThat(km.identities(Role.CLIENT)).isEmpty();

        Files.copy(store("public", PUBLIC, "private", CLIENT_ONLY), file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThat(retrofit.bridge().reload().changed()).isTrue();
        assertThat(km.identities(Role.CLIENT)).extracting(Identity::serial).containsExactly(CLIENT_ONLY.serial());
        assertThat(km.getCertificateChain(km.chooseClientAlias(new String[] {"EC"}, null, null))[0].getSerialNumber())
            .isEqualTo(CLIENT_ONLY.serial());
    }

    @Test
    void anEntryThatServesNoRoleIsRefused() {
        EkuBridgeException e = catchThrowableOfType(EkuBridgeException.class,
            () -> EkuBridge.fromConfig(config(store("public", PUBLIC, "private", CLIENT_ONLY, "signer", CODE_SIGNING))));
        assertThat(e).isNotNull();
        assertThat(e.reason()).isEqualTo(Reason.MISSING_EKU);
        assertThat(e.getMessage()).contains("entry 'signer'").contains("permits neither TLS server nor client authentication");
    }

    @Test
    void aStoreWithoutAServerAuthEntryIsRefusedForTheServerRole() {
        EkuBridgeException e = catchThrowableOfType(EkuBridgeException.class,
            () -> EkuBridge.fromConfig(config(store("private", CLIENT_ONLY))));
        assertThat(e).isNotNull();
        assertThat(e.reason()).isEqualTo(Reason.MISSING_EKU);
        assertThat(e.getMessage()).contains("entry 'private'").contains("invalid certificate for the server role")
            .contains("no entry of the store permits serverAuth");
    }

    /** Naming the entry, a client identity or client.identity=server: the store is not split, as before. */
    @Test
    void anyClientKeyOrServerAliasKeepsTheStoreForTheServerRole() {
        Path file = store("public", PUBLIC, "private", CLIENT_ONLY);
        EkuBridgeException aliased = catchThrowableOfType(EkuBridgeException.class,
            () -> EkuBridge.fromConfig(config(file, "server.alias", "private")));
        assertThat(aliased.reason()).isEqualTo(Reason.MISSING_EKU);
        assertThat(aliased.getMessage()).contains("invalid certificate for the server role");

        EkuBridgeException copied = catchThrowableOfType(EkuBridgeException.class,
            () -> EkuBridge.fromConfig(config(file, "client.identity", "server")));
        assertThat(copied.reason()).isEqualTo(Reason.MISSING_EKU);

        EkuBridge named = EkuBridge.fromConfig(config(file, "server.alias", "public"));
        assertThat(named.keyManager().identities(Role.SERVER)).extracting(Identity::serial).containsExactly(PUBLIC.serial());
        assertThat(named.clientRoleIsUpgradeDefault()).isTrue();
    }
}
