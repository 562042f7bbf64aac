package dev.ekubridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.ekubridge.EkuBridgeException.Reason;
import dev.ekubridge.testing.LogCapture;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509KeyManager;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Certificate rotation without a restart: {@link EkuBridge#reload()} and {@code reload.seconds}. The bridge is built from
 * files (a PKCS#12 server store, a PEM client pair, a PEM trust store); contexts made before a reload present what it put
 * in service from their next handshake on; a file that cannot be used leaves the material in service, is logged once and
 * counted; a key is never paired with another generation's chain. Every claim about what is presented is a real
 * handshake against a plain JDK peer.
 */
class ReloadTest {
    private static final String PASSWORD = "changeit";
    private static final char[] PW = PASSWORD.toCharArray();
    private static final String PROTOCOL = "TLSv1.3";

    private static final Ca CA = TestPki.root("Reload CA", KeyKind.EC_P256);
    private static final Ca OTHER_CA = TestPki.root("Reload other CA", KeyKind.EC_P256);
    /** The plain JDK peer, trusting CA only. */
    private static final Issued PEER = CA.leaf("peer.reload.example").eku(LeafEku.BOTH).keyPair(KeyKind.EC_P256.freshKeyPair()).issue();

    @TempDir
    Path dir;
    private Path serverStore;
    private Path clientCert;
    private Path clientKey;
    private Path trustPem;
    private Issued server0;
    private Issued client0;

    static Issued serverLeaf(String name) {
        return CA.leaf(name).eku(LeafEku.SERVER_AUTH).dnsNames(name).keyPair(KeyKind.EC_P256.freshKeyPair()).issue();
    }

    static Issued clientLeaf(String name) {
        return CA.leaf(name).eku(LeafEku.CLIENT_AUTH).keyPair(KeyKind.EC_P256.freshKeyPair()).issue();
    }

    /** The server store's one entry is always named "sip": the alias stays while the certificate behind it changes. */
    static byte[] serverStoreBytes(Issued leaf, char[] password) {
        return TestPki.toPkcs12Bytes(password, Map.of("sip", leaf));
    }

    @BeforeEach
    void files() throws IOException {
        server0 = serverLeaf("sip.reload.example");
        client0 = clientLeaf("client.reload.example");
        serverStore = Files.write(dir.resolve("server.p12"), serverStoreBytes(server0, PW));
        clientCert = Pem.writeChain(dir.resolve("client.crt"), client0.chain());
        clientKey = Pem.writePkcs8(dir.resolve("client.key"), client0.privateKey());
        trustPem = Pem.writeChain(dir.resolve("trust.pem"), CA.certificate());
    }

    private Map<String, String> configuration(String... more) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("server.keystore", serverStore.toString());
        values.put("server.password", PASSWORD);
        values.put("client.cert", clientCert.toString());
        values.put("client.key", clientKey.toString());
        values.put("truststore.pem", trustPem.toString());
        for (int i = 0; i < more.length; i += 2) {
            values.put(more[i], more[i + 1]);
        }
        return values;
    }

    private EkuBridge bridge(String... more) {
        return EkuBridge.fromConfig(EkuBridgeConfig.of(configuration(more), "test"));
    }

    private static SSLContext peer(Issued identity, Ca... anchors) throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
        kmf.init(TestPki.keyStore("PKCS12", PW, "peer", identity), PW);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        KeyStore trust = TestPki.trustStore(Arrays.stream(anchors).map(Ca::certificate).toArray(java.security.cert.X509Certificate[]::new));
        tmf.init(trust);
        return Jsse.SUN.context(kmf.getKeyManagers(), tmf.getTrustManagers());
    }

    /** The serial our context presents as the TLS server to the plain peer. */
    static BigInteger presentedAsServer(SSLContext ours) throws Exception {
        HandshakeResult result = Handshake.run(peer(PEER, CA), ours, PROTOCOL, true);
        assertThat(result.succeeded()).as(result.toString()).isTrue();
        return result.serialSeenByClient();
    }

    /** The serial our context presents as the TLS client to the plain peer, which requires a certificate. */
    static BigInteger presentedAsClient(SSLContext ours) throws Exception {
        HandshakeResult result = Handshake.run(ours, peer(PEER, CA), PROTOCOL, true);
        assertThat(result.succeeded()).as(result.toString()).isTrue();
        return result.serialSeenByServer();
    }

    @Test
    void aGoodFileIsSwappedInAndContextsMadeBeforePresentIt() throws Exception {
        EkuBridge bridge = bridge();
        SSLContext before = bridge.sslContext("TLS");
        assertThat(presentedAsServer(before)).isEqualTo(server0.serial());
        assertThat(bridge.reload().changed()).as("nothing changed yet").isFalse();

        Issued server1 = serverLeaf("sip.reload.example");
        Files.write(serverStore, serverStoreBytes(server1, PW));
        ReloadResult result = bridge.reload();

        System.out.println("[reload] " + result);
        assertThat(result.changed()).isTrue();
        assertThat(result.generation()).isEqualTo(1);
        assertThat(result.changedFiles()).singleElement().asString().startsWith("server.keystore " + serverStore);
        assertThat(result.toString()).contains("server.keystore " + serverStore).contains(server1.serialHex());
        assertThat(presentedAsServer(before)).as("the context made before the reload").isEqualTo(server1.serial());
        assertThat(presentedAsClient(before)).as("the client role, unchanged").isEqualTo(client0.serial());
        assertThat(bridge.keyManager().identities(Role.SERVER)).extracting(Identity::serial).containsExactly(server1.serial());
        assertThat(bridge.reloads()).isEqualTo(1);
        assertThat(bridge.reloadFailures()).isZero();
        assertThat(bridge.reload().changed()).as("touched by nothing since").isFalse();
    }

    enum BadFile {
        GARBAGE(Reason.UNKNOWN_FORMAT),
        WRONG_PASSWORD(Reason.WRONG_PASSWORD),
        TRUNCATED(Reason.UNKNOWN_FORMAT),
        CLIENT_AUTH_ONLY(Reason.MISSING_EKU),
        EXPIRED(Reason.EXPIRED),
        EMPTY(Reason.UNKNOWN_FORMAT);

        final Reason reason;

        BadFile(Reason reason) {
            this.reason = reason;
        }

        byte[] content() {
            switch (this) {
                case GARBAGE:
                    byte[] noise = new byte[2000];
                    new java.util.Random(7).nextBytes(noise);
                    noise[0] = 0x30; // looks like DER, so it is parsed and found damaged
                    return noise;
                case WRONG_PASSWORD:
                    return serverStoreBytes(serverLeaf("sip.reload.example"), "not-the-password".toCharArray());
                case TRUNCATED:
                    byte[] whole = serverStoreBytes(serverLeaf("sip.reload.example"), PW);
                    return Arrays.copyOf(whole, whole.length / 2);
                case CLIENT_AUTH_ONLY:
                    return serverStoreBytes(clientLeaf("sip.reload.example"), PW);
                case EXPIRED:
                    return serverStoreBytes(CA.leaf("sip.reload.example").eku(LeafEku.SERVER_AUTH)
                        .validity(Instant.now().minus(Duration.ofDays(30)), Instant.now().minus(Duration.ofDays(1))).issue(), PW);
                case EMPTY:
                    return new byte[0];
                default:
                    throw new AssertionError(this);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(BadFile.class)
    void aBadFileLeavesTheMaterialInServiceAndIsLoggedOnceAndCounted(BadFile bad) throws Exception {
        EkuBridge bridge = bridge();
        SSLContext context = bridge.sslContext("TLS");
        Files.write(serverStore, bad.content());

        LogCapture.Captured<EkuBridgeException> first = LogCapture.capture(() -> catchThrowableOfType(EkuBridgeException.class, bridge::reload));
        EkuBridgeException refusal = first.result();
        System.out.println("[reload " + bad + "] " + refusal.getMessage());
        assertThat(refusal).as("the reload throws").isNotNull();
        assertThat(refusal.reason()).isEqualTo(bad.reason);
        assertThat(refusal.getMessage()).contains("server.keystore " + serverStore).contains("the certificates in service are kept")
            .doesNotContain(PASSWORD);
        assertThat(first.text()).as("logged on ekubridge.config, once").contains("ekubridge.config").contains(refusal.getMessage())
            .doesNotContain(PASSWORD);
        assertThat(bridge.reloadFailures()).isEqualTo(1);
        assertThat(presentedAsServer(context)).as("the previous certificate stays in service").isEqualTo(server0.serial());

        LogCapture.Captured<EkuBridgeException> again = LogCapture.capture(() -> catchThrowableOfType(EkuBridgeException.class, bridge::reload));
        assertThat(again.result()).as("asked again, it throws again").isNotNull();
        assertThat(again.text()).as("but the same file is not logged again").doesNotContain("ekubridge.config");
        assertThat(bridge.reloadFailures()).as("nor counted again").isEqualTo(1);

        Issued server1 = serverLeaf("sip.reload.example");
        Files.write(serverStore, serverStoreBytes(server1, PW));
        assertThat(bridge.reload().changed()).isTrue();
        assertThat(presentedAsServer(context)).isEqualTo(server1.serial());
        assertThat(bridge.reloadFailures()).isEqualTo(1);
    }

    @Test
    void aHalfWrittenFileIsRefusedThenTakenOnceComplete() throws Exception {
        EkuBridge bridge = bridge();
        SSLContext context = bridge.sslContext("TLS");
        Issued server1 = serverLeaf("sip.reload.example");
        byte[] whole = serverStoreBytes(server1, PW);

        Files.write(serverStore, Arrays.copyOf(whole, whole.length - 100));
        EkuBridgeException refusal = catchThrowableOfType(EkuBridgeException.class, bridge::reload);
        assertThat(refusal).isNotNull();
        assertThat(refusal.getMessage()).contains("truncated or damaged");
        assertThat(presentedAsServer(context)).isEqualTo(server0.serial());

        Files.write(serverStore, whole);
        assertThat(bridge.reload().changed()).isTrue();
        assertThat(presentedAsServer(context)).isEqualTo(server1.serial());
    }

    /** The PEM pair is replaced one file at a time: in between, the new certificate and the old key are refused together. */
    @Test
    void aNewCertificateIsNeverPresentedWithTheOldKey() throws Exception {
        EkuBridge bridge = bridge();
        SSLContext context = bridge.sslContext("TLS");
        Issued client1 = clientLeaf("client.reload.example");

        Pem.writeChain(clientCert, client1.chain());
        EkuBridgeException refusal = catchThrowableOfType(EkuBridgeException.class, bridge::reload);
        assertThat(refusal).isNotNull();
        assertThat(refusal.reason()).isEqualTo(Reason.KEY_MISMATCH);
        assertThat(refusal.getMessage()).contains("client.cert " + clientCert);
        assertThat(presentedAsClient(context)).as("the old pair stays").isEqualTo(client0.serial());

        Pem.writePkcs8(clientKey, client1.privateKey());
        assertThat(bridge.reload().changedFiles()).hasSize(2);
        assertThat(presentedAsClient(context)).isEqualTo(client1.serial());
    }

    @Test
    void theTrustStoreIsReloadedToo() throws Exception {
        EkuBridge bridge = bridge();
        SSLContext ours = bridge.sslContext("TLS");
        Issued stranger = OTHER_CA.leaf("stranger.reload.example").eku(LeafEku.BOTH).keyPair(KeyKind.EC_P256.freshKeyPair()).issue();

        HandshakeResult refused = Handshake.run(peer(stranger, CA), ours, PROTOCOL, true);
        assertThat(refused.succeeded()).as("a client from a CA not trusted yet: " + refused).isFalse();

        Pem.writeChain(trustPem, CA.certificate(), OTHER_CA.certificate());
        ReloadResult result = bridge.reload();
        assertThat(result.changedFiles()).singleElement().asString().startsWith("truststore.pem ");
        assertThat(result.toString()).contains("trust store of 2 certificates");

        HandshakeResult accepted = Handshake.run(peer(stranger, CA), ours, PROTOCOL, true);
        assertThat(accepted.succeeded()).as(accepted.toString()).isTrue();
        assertThat(accepted.serialSeenByServer()).isEqualTo(stranger.serial());
    }

    /**
     * A JSSE engine chooses an alias, then asks for its key and its chain: a reload between those calls must not pair one
     * generation's key with the other's chain, although the entry is called "sip" in both.
     */
    @Test
    void anAliasChosenBeforeASwapResolvesAgainstTheGenerationThatChoseIt() throws Exception {
        EkuBridge bridge = bridge();
        RoleAwareKeyManager keyManager = bridge.keyManager();
        String alias = keyManager.chooseServerAlias("EC", null, null);
        assertThat(alias).isEqualTo("sip");

        Issued server1 = serverLeaf("sip.reload.example");
        Files.write(serverStore, serverStoreBytes(server1, PW));
        assertThat(bridge.reload().changed()).isTrue();

        PrivateKey key = keyManager.getPrivateKey(alias);
        java.security.cert.X509Certificate[] chain = keyManager.getCertificateChain(alias);
        assertThat(chain[0].getSerialNumber()).as("the chain of the generation that chose").isEqualTo(server0.serial());
        assertThat(key).as("and its key").isEqualTo(server0.privateKey());

        // once the pair was served, the next handshake's choice is the new generation's
        assertThat(keyManager.chooseServerAlias("EC", null, null)).isEqualTo("sip");
        assertThat(keyManager.getCertificateChain("sip")[0].getSerialNumber()).isEqualTo(server1.serial());
        assertThat(keyManager.getPrivateKey("sip")).isEqualTo(server1.privateKey());

        // another thread, which chose nothing: its pair resolves against the generation the first call read
        Issued server2 = serverLeaf("sip.reload.example");
        AtomicReference<Object[]> pair = new AtomicReference<>();
        Thread other = new Thread(() -> {
            PrivateKey first = keyManager.getPrivateKey("sip");
            try {
                Files.write(serverStore, serverStoreBytes(server2, PW));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            bridge.reload();
            pair.set(new Object[] {first, keyManager.getCertificateChain("sip")[0]});
        });
        other.start();
        other.join();
        assertThat(pair.get()).as("the thread's pair").isNotNull();
        assertThat(pair.get()[0]).isEqualTo(server1.privateKey());
        assertThat(((java.security.cert.X509Certificate) pair.get()[1]).getSerialNumber()).isEqualTo(server1.serial());
        assertThat(keyManager.getCertificateChain("sip")[0].getSerialNumber()).as("here, afterwards").isEqualTo(server2.serial());
    }

    /** The agent's key managers (one per application context) share the bridge's material: a reload reaches them all. */
    @Test
    void keyManagersMadeForTheApplicationSeeTheReload() throws Exception {
        AgentSupport retrofit = AgentSupport.fromConfig(EkuBridgeConfig.of(configuration(), "test"));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
        kmf.init(TestPki.keyStore("PKCS12", PW, "app", PEER), PW);
        KeyManager[] retrofitted = retrofit.keyManagers(kmf.getKeyManagers());
        TrustManager[] trust = retrofit.trustManagers(null);
        SSLContext appContext = Jsse.SUN.context(retrofitted, trust);
        assertThat(presentedAsServer(appContext)).isEqualTo(server0.serial());

        Issued server1 = serverLeaf("sip.reload.example");
        Files.write(serverStore, serverStoreBytes(server1, PW));
        assertThat(retrofit.bridge().reload().changed()).isTrue();
        assertThat(presentedAsServer(appContext)).isEqualTo(server1.serial());
        assertThat(((X509KeyManager) retrofitted[0]).getCertificateChain("sip")[0].getSerialNumber()).isEqualTo(server1.serial());
    }

    @Test
    void theTimerReloadsWithinItsPeriodAndCountsABadFileOnce() throws Exception {
        EkuBridge bridge = bridge("reload.seconds", "1");
        try {
            Thread checker = bridge.reloadThread();
            assertThat(checker).as("a checker thread").isNotNull();
            assertThat(checker.isDaemon()).isTrue();
            assertThat(checker.getName()).startsWith("ekubridge-reload");
            SSLContext context = bridge.sslContext("TLS");

            Issued server1 = serverLeaf("sip.reload.example");
            Files.write(serverStore, serverStoreBytes(server1, PW));
            Duration took = awaitReloads(bridge, 1, Duration.ofSeconds(10));
            System.out.println("[reload.seconds=1] a good file was in service " + took.toMillis() + " ms after it was written");
            assertThat(took).as("within reload.seconds + 1").isLessThanOrEqualTo(Duration.ofSeconds(2));
            assertThat(presentedAsServer(context)).isEqualTo(server1.serial());

            Files.write(serverStore, BadFile.GARBAGE.content());
            Thread.sleep(3500); // three checks or more
            assertThat(bridge.reloadFailures()).as("a bad file is counted once, however many checks see it").isEqualTo(1);
            assertThat(presentedAsServer(context)).isEqualTo(server1.serial());

            Issued server2 = serverLeaf("sip.reload.example");
            Files.write(serverStore, serverStoreBytes(server2, PW));
            took = awaitReloads(bridge, 2, Duration.ofSeconds(10));
            System.out.println("[reload.seconds=1] the next good file was in service " + took.toMillis() + " ms after it was written");
            assertThat(took).isLessThanOrEqualTo(Duration.ofSeconds(2));
            assertThat(presentedAsServer(context)).isEqualTo(server2.serial());
        } finally {
            bridge.stopReloading();
        }
        Thread checker = bridge.reloadThread();
        if (checker != null) {
            checker.join(2000);
        }
        assertThat(bridge.reloadThread()).as("stopped").isNull();
    }

    private static Duration awaitReloads(EkuBridge bridge, long reloads, Duration limit) throws InterruptedException {
        long start = System.nanoTime();
        while (bridge.reloads() < reloads && System.nanoTime() - start < limit.toNanos()) {
            Thread.sleep(20);
        }
        assertThat(bridge.reloads()).as("reloads within " + limit).isEqualTo(reloads);
        return Duration.ofNanos(System.nanoTime() - start);
    }

    @Test
    void noThreadWithoutReloadSecondsAndReloadStillWorks() throws Exception {
        long before = reloadThreads();
        EkuBridge bridge = bridge("reload.seconds", "0");
        EkuBridge unset = bridge();
        assertThat(bridge.reloadThread()).isNull();
        assertThat(unset.reloadThread()).isNull();
        assertThat(reloadThreads()).as("no checker thread was started").isEqualTo(before);

        Files.write(serverStore, serverStoreBytes(serverLeaf("sip.reload.example"), PW));
        assertThat(bridge.reload().changed()).isTrue();
    }

    private static long reloadThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("ekubridge-reload")).count();
    }

    /** The note each thread keeps of its choice is one object per thread, reused: choosing still allocates nothing. */
    @Test
    void choosingAllocatesNothingWhenTheMaterialCanBeReloaded() throws Exception {
        RoleAwareKeyManager keyManager = bridge().keyManager();
        String[] clientTypes = {"RSA", "EC"};
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        for (int i = 0; i < 20_000; i++) {
            chooseAndResolve(keyManager, clientTypes);
        }
        long before = threads.getThreadAllocatedBytes(thread);
        for (int i = 0; i < 100_000; i++) {
            chooseAndResolve(keyManager, clientTypes);
        }
        long allocated = threads.getThreadAllocatedBytes(thread) - before;
        // 200,000 choices and key look-ups; one 16-byte allocation each would be 3.2 MB
        assertThat(allocated).as("bytes allocated by 200,000 choices").isLessThan(65_536);
    }

    private static void chooseAndResolve(RoleAwareKeyManager keyManager, String[] clientTypes) {
        String server = keyManager.chooseServerAlias("EC", null, null);
        String client = keyManager.chooseClientAlias(clientTypes, null, null);
        if (server == null || client == null || keyManager.getPrivateKey(server) == null || keyManager.getPrivateKey(client) == null) {
            throw new AssertionError("a selection returned null");
        }
    }

    @Test
    void aBridgeBuiltFromObjectsHasNothingToReload() {
        EkuBridge bridge = EkuBridge.builder()
            .serverIdentity(Identity.of("sip", "test", server0.privateKey(), server0.chain()))
            .build();
        EkuBridgeException e = catchThrowableOfType(EkuBridgeException.class, bridge::reload);
        assertThat(e).isNotNull();
        assertThat(e.reason()).isEqualTo(Reason.UNSUPPORTED);
        assertThat(bridge.reloadFailures()).isZero();
    }
}
