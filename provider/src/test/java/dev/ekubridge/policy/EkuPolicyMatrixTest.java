package dev.ekubridge.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ekubridge.EkuBridge;
import dev.ekubridge.EkuPolicy;
import dev.ekubridge.Identity;
import dev.ekubridge.testing.QuietBcJsse;
import dev.ekubridge.testsupport.pki.Ca;
import dev.ekubridge.testsupport.pki.Issued;
import dev.ekubridge.testsupport.pki.KeyKind;
import dev.ekubridge.testsupport.pki.LeafEku;
import dev.ekubridge.testsupport.pki.TestPki;
import dev.ekubridge.testsupport.tls.Failures;
import dev.ekubridge.testsupport.tls.Handshake;
import dev.ekubridge.testsupport.tls.HandshakeResult;
import dev.ekubridge.testsupport.tls.Jsse;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The whole EKU policy matrix as real in-memory handshakes: direction x mode x peer leaf EKU x TLS engine x
 * protocol x key kind (2 x 4 x 7 x 2 x 2 x 2 = 448 handshakes).
 *
 * <p>Our side is built only through the public API ({@code EkuBridge.builder()...build()} and
 * {@link EkuBridge#sslContext(String, java.security.Provider)}); the peer uses plain managers: the
 * JDK's {@code SunX509} key manager (it presents its certificate whatever the EKU) and the engine's own
 * {@code PKIX} trust manager over the root. The expected verdicts are computed here from the
 * specification, independently of the main code:
 * <ul>
 * <li>INBOUND (the peer is the TLS client): strict = permits(clientAuth); lenient and audit =
 *     permits(clientAuth) or permits(serverAuth); server-auth = permits(serverAuth);</li>
 * <li>OUTBOUND (the peer is the TLS server): permits(serverAuth) in every mode;</li>
 * </ul>
 * where permits(X) = no EKU extension, or the EKU lists X or anyExtendedKeyUsage.
 */
@ExtendWith(QuietBcJsse.class)
class EkuPolicyMatrixTest {

    private static final char[] PASSWORD = "matrix-pw".toCharArray();
    private static final String EKU_REFUSAL = "Extended key usage does not permit use for";

    /** Who opens the connection. */
    enum Direction {
        /** The peer is the TLS client; our side is the server and demands a client certificate. */
        INBOUND,
        /** Our side is the TLS client; the peer is the server and demands our client certificate. */
        OUTBOUND
    }

    /** One shared PKI per key kind: a root, an issuing CA, our two identities and the seven peer leaves. */
    private static final class Pki {
        final Ca root;
        final Ca issuing;
        final Issued ourServer;
        final Issued ourClient;
        final Map<LeafEku, Issued> peers = new EnumMap<>(LeafEku.class);
        final Identity ourServerIdentity;
        final Identity ourClientIdentity;

        Pki(KeyKind kind) {
            root = TestPki.root("Matrix Root " + kind, kind);
            issuing = root.intermediate("Matrix Issuing CA " + kind);
            ourServer = issuing.leaf("our-server").eku(LeafEku.SERVER_AUTH).dnsNames(Handshake.PEER_HOST).issue();
            ourClient = issuing.leaf("our-client").eku(LeafEku.CLIENT_AUTH).issue();
            for (LeafEku eku : LeafEku.values()) {
                peers.put(eku, issuing.leaf("peer-" + eku.name().toLowerCase(Locale.ROOT)).eku(eku)
                        .dnsNames(Handshake.PEER_HOST).issue());
            }
            ourServerIdentity = Identity.of("our-server", "matrix", ourServer.privateKey(), ourServer.chain());
            ourClientIdentity = Identity.of("our-client", "matrix", ourClient.privateKey(), ourClient.chain());
        }
    }

    private static final Map<KeyKind, Pki> PKI = new EnumMap<>(KeyKind.class);
    /** SunJSSE peer key managers, per key kind and leaf (SunX509 managers hold no per-connection state). */
    private static final Map<String, KeyManager[]> PEER_KEY_MANAGERS = new ConcurrentHashMap<>();
    /** Peer trust managers, per engine and key kind. */
    private static final Map<String, TrustManager[]> PEER_TRUST_MANAGERS = new ConcurrentHashMap<>();

    @BeforeAll
    static void buildPki() {
        for (KeyKind kind : KeyKind.values()) {
            PKI.put(kind, new Pki(kind));
        }
    }

    @AfterAll
    static void reportCases() {
        System.out.printf("EkuPolicyMatrixTest: %d cases%n", cases().count());
    }

    /** One cell of the matrix, named readably. */
    record Case(Direction direction, EkuPolicy mode, LeafEku peerEku, Jsse jsse, String protocol, KeyKind kind) {
        @Override
        public String toString() {
            return direction + " " + mode + " peer=" + peerEku + " " + (jsse == Jsse.SUN ? "SunJSSE" : "BCJSSE") + " "
                    + protocol + " " + kind;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(Direction.values()).flatMap(direction ->
                Stream.of(EkuPolicy.values()).flatMap(mode ->
                        Stream.of(LeafEku.values()).flatMap(eku ->
                                Stream.of(Jsse.values()).flatMap(jsse ->
                                        Stream.of("TLSv1.3", "TLSv1.2").flatMap(protocol ->
                                                Stream.of(KeyKind.values()).map(kind ->
                                                        new Case(direction, mode, eku, jsse, protocol, kind)))))));
    }

    // ------------------------------------------------------------------------------------------------
    // the expected verdict, from the specification
    // ------------------------------------------------------------------------------------------------

    static boolean permits(LeafEku eku, KeyPurposeId usage) {
        KeyPurposeId[] purposes = eku.purposes();
        return purposes.length == 0
                || Arrays.asList(purposes).contains(usage)
                || Arrays.asList(purposes).contains(KeyPurposeId.anyExtendedKeyUsage);
    }

    static boolean expectedAccepted(Direction direction, EkuPolicy mode, LeafEku eku) {
        boolean clientAuth = permits(eku, KeyPurposeId.id_kp_clientAuth);
        boolean serverAuth = permits(eku, KeyPurposeId.id_kp_serverAuth);
        if (direction == Direction.OUTBOUND) {
            return serverAuth;
        }
        switch (mode) {
            case STRICT:
                return clientAuth;
            case LENIENT:
            case AUDIT:
                return clientAuth || serverAuth;
            case SERVER_AUTH:
                return serverAuth;
            default:
                throw new AssertionError(mode);
        }
    }

    /** The expectation table itself, spot-checked (so that a slip there cannot make the matrix pass trivially). */
    @Test
    void expectationTableFollowsTheSpecification() {
        assertThat(expectedAccepted(Direction.INBOUND, EkuPolicy.STRICT, LeafEku.SERVER_AUTH)).isFalse();
        assertThat(expectedAccepted(Direction.INBOUND, EkuPolicy.LENIENT, LeafEku.SERVER_AUTH)).isTrue();
        assertThat(expectedAccepted(Direction.INBOUND, EkuPolicy.SERVER_AUTH, LeafEku.CLIENT_AUTH)).isFalse();
        assertThat(expectedAccepted(Direction.INBOUND, EkuPolicy.AUDIT, LeafEku.CODE_SIGNING)).isFalse();
        assertThat(expectedAccepted(Direction.INBOUND, EkuPolicy.STRICT, LeafEku.ANY)).isTrue();
        assertThat(expectedAccepted(Direction.OUTBOUND, EkuPolicy.LENIENT, LeafEku.CLIENT_AUTH)).isFalse();
        assertThat(expectedAccepted(Direction.OUTBOUND, EkuPolicy.STRICT, LeafEku.NONE)).isTrue();
        assertThat(cases().filter(c -> !expectedAccepted(c.direction(), c.mode(), c.peerEku()))).hasSize(120);
    }

    // ------------------------------------------------------------------------------------------------
    // the matrix
    // ------------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void handshake(Case c) throws Exception {
        Pki pki = PKI.get(c.kind());
        Issued peer = pki.peers.get(c.peerEku());
        boolean inbound = c.direction() == Direction.INBOUND;

        // our side has both identities; the role decides which one is presented (asserted through the serials)
        EkuBridge bridge = EkuBridge.builder()
                .serverIdentity(pki.ourServerIdentity)
                .clientIdentity(pki.ourClientIdentity)
                .trustStore(TestPki.trustStore(pki.root.certificate()))
                .inboundEku(c.mode())
                .build();
        long auditedBefore = bridge.trustManager().auditedCount();
        SSLContext ours = bridge.sslContext("TLS", c.jsse().provider());
        SSLContext theirs = c.jsse().context(peerKeyManagers(c.jsse(), c.kind(), peer), peerTrustManagers(c.jsse(), pki));

        HandshakeResult r = inbound
                ? Handshake.run(theirs, ours, c.protocol(), true)
                : Handshake.run(ours, theirs, c.protocol(), true);

        boolean expected = expectedAccepted(c.direction(), c.mode(), c.peerEku());
        Throwable ourFailure = inbound ? r.serverFailure() : r.clientFailure();
        Throwable peerFailure = inbound ? r.clientFailure() : r.serverFailure();
        BigInteger peerSerialSeenByUs = inbound ? r.serialSeenByServer() : r.serialSeenByClient();
        BigInteger ourSerialSeenByPeer = inbound ? r.serialSeenByClient() : r.serialSeenByServer();
        Issued ourIdentity = inbound ? pki.ourServer : pki.ourClient;

        if (expected) {
            assertThat(r.succeeded()).as("expected acceptance: %s", r.failureText()).isTrue();
            assertThat(r.negotiatedProtocol()).isEqualTo(c.protocol());
            assertThat(peerSerialSeenByUs).as("peer leaf serial seen by our side").isEqualTo(peer.serial());
            assertThat(ourSerialSeenByPeer).as("our identity's serial seen by the peer").isEqualTo(ourIdentity.serial());
        } else {
            assertThat(r.succeeded()).as("expected refusal").isFalse();
            assertThat(ourFailure).as("our side refuses: %s", r.failureText()).isNotNull();
            assertThat(peerSerialSeenByUs).as("no session with the refused peer").isNull();
            assertThat(Failures.describe(ourFailure)).as("our side is the origin of the failure, not the receiver of an alert")
                    .doesNotContainIgnoringCase("received fatal alert")
                    .doesNotContain("TlsFatalAlertReceived");
            if (peerFailure != null) {
                assertThat(Failures.describe(peerFailure)).as("the peer only received our alert")
                        .containsIgnoringCase("alert")
                        .doesNotContain(EKU_REFUSAL);
            }
            String ourText = Failures.describe(ourFailure);
            String serialHex = peer.serial().toString(16).toUpperCase(Locale.ROOT);
            // SunJSSE puts the reason in the SSLHandshakeException; BCJSSE keeps it as the cause of its
            // TlsFatalAlert (observed with 1.84), so the EKU reason can be asserted under both engines
            assertThat(ourText).as("our side names the EKU problem").contains(EKU_REFUSAL);
            if (inbound) {
                // the policy refuses before the wrapped manager is asked: our own message, naming the leaf
                assertThat(ourText).contains("peer subject \"" + peer.certificate().getSubjectX500Principal().getName()
                                + "\" serial " + serialHex)
                        .contains("(inbound.eku=" + c.mode() + ")");
            } else {
                // outbound, the wrapped JDK manager decides first and refuses with its own EKU message
                assertThat(ourText).contains(EKU_REFUSAL + " TLS server authentication");
            }
        }

        long audited = bridge.trustManager().auditedCount() - auditedBefore;
        boolean strictWouldRefuse = inbound && !expectedAccepted(Direction.INBOUND, EkuPolicy.STRICT, c.peerEku());
        long expectedAudited = c.mode() == EkuPolicy.AUDIT && strictWouldRefuse && expected ? 1 : 0;
        assertThat(audited).as("audited handshakes").isEqualTo(expectedAudited);
    }

    // ------------------------------------------------------------------------------------------------
    // peer managers: plain JDK / Bouncy Castle factories
    // ------------------------------------------------------------------------------------------------

    /**
     * The peer's key manager, one that presents its certificate whatever its EKU (otherwise the peer would send
     * no certificate and the policy would never be reached). SunJSSE: the JDK's plain {@code SunX509} key
     * manager. BCJSSE: neither its only key manager factory ({@code PKIX}: it withholds a certificate whose EKU
     * does not fit the role, so the handshake ends with certificate_required / handshake_failure) nor
     * {@code SunX509} (it does not understand BCJSSE's EC key types such as {@code EC/secp256r1} and
     * {@code ECDHE_ECDSA}) presents every leaf, so the test PKI's fixed key manager is used.
     */
    private static KeyManager[] peerKeyManagers(Jsse jsse, KeyKind kind, Issued leaf) {
        if (jsse == Jsse.BC) {
            return new KeyManager[] {TestPki.fixedKeyManager(leaf)};
        }
        return PEER_KEY_MANAGERS.computeIfAbsent(kind + "/" + leaf.serial(), key -> {
            try {
                KeyManagerFactory kmf = KeyManagerFactory.getInstance("SunX509", Jsse.SUN.provider());
                kmf.init(TestPki.keyStore("PKCS12", PASSWORD, "peer", leaf), PASSWORD);
                return kmf.getKeyManagers();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static TrustManager[] peerTrustManagers(Jsse jsse, Pki pki) {
        return PEER_TRUST_MANAGERS.computeIfAbsent(jsse + "/" + pki.root.kind(),
            key -> new TrustManager[] {jsse.trustManager("PKIX", TestPki.trustStore(pki.root.certificate()))});
    }

}
