package dev.ekubridge.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.ekubridge.EkuBridge;
import dev.ekubridge.EkuPolicy;
import dev.ekubridge.EkuPolicyTrustManager;
import dev.ekubridge.Identity;
import dev.ekubridge.testsupport.pki.Ca;
import dev.ekubridge.testsupport.pki.Issued;
import dev.ekubridge.testsupport.pki.KeyKind;
import dev.ekubridge.testsupport.pki.LeafEku;
import dev.ekubridge.testsupport.pki.LeafSpec;
import dev.ekubridge.testsupport.pki.TestPki;
import dev.ekubridge.testsupport.tls.Failures;
import dev.ekubridge.testsupport.tls.Handshake;
import dev.ekubridge.testsupport.tls.HandshakeResult;
import dev.ekubridge.testsupport.tls.Jsse;
import dev.ekubridge.testing.QuietBcJsse;
import dev.ekubridge.testing.RecordingTrustManager;
import java.math.BigInteger;
import java.net.Socket;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.PKIXCertPathChecker;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import javax.net.ssl.CertPathTrustManagerParameters;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the EKU policy does NOT relax: in every mode, under SunJSSE and BCJSSE, a peer client whose certificate
 * would otherwise be accepted is still refused for an untrusted issuer, an expired or not-yet-valid leaf, a
 * broken signature, KeyUsage without digitalSignature, and (by the policy itself) a code-signing-only EKU; a
 * pinned leaf is decided by the wrapped trust manager. Each delegate-decided refusal carries the wrapped
 * manager's own reason, never the policy's EKU message.
 *
 * <p>The wrapped manager is the engine's own: SunJSSE cases wrap the JDK's PKIX trust manager (through
 * {@code trustStore}), BCJSSE cases wrap BCJSSE's PKIX trust manager (through {@code trustManager}).
 *
 * <p>The peer client's base leaf is serverAuth-only in the relaxed modes (the case the relaxation exists
 * for) and serverAuth+clientAuth in strict (a serverAuth-only leaf is refused by strict on EKU before any
 * other check). The {@link Defect#NONE} control shows that each base leaf is accepted.
 */
@ExtendWith(QuietBcJsse.class)
class EkuPolicyStillRefusesTest {

    private static final String POLICY_EKU_REFUSAL = "Extended key usage does not permit use for";
    /** The engines' own EKU refusals of a client certificate (SunJSSE, BCJSSE). */
    private static final List<String> EKU_REFUSALS = List.of(
            "Extended key usage does not permit use for TLS client authentication",
            "Certificate doesn't support 'clientAuth' ExtendedKeyUsage");
    private static final char[] PASSWORD = "still-refuses".toCharArray();

    /** What is wrong with the peer's certificate. */
    enum Defect {
        /** Control: nothing; accepted in every mode. */
        NONE,
        /** Issued under a root that is not in the trust store. */
        UNTRUSTED_ISSUER,
        EXPIRED,
        NOT_YET_VALID,
        /** EKU codeSigning only: refused by the policy itself in every mode. */
        CODE_SIGNING_ONLY,
        /** KeyUsage keyEncipherment only (no digitalSignature). */
        NO_DIGITAL_SIGNATURE,
        /** The leaf's signature by its CA is damaged. */
        BROKEN_SIGNATURE,
        /** serverAuth-only leaf issued by an untrusted CA; the leaf itself is in the trust store. */
        PINNED_CA_ISSUED,
        /** serverAuth-only self-signed end-entity certificate; it is in the trust store. */
        PINNED_SELF_SIGNED,
        /** codeSigning-only leaf issued by an untrusted CA; the leaf itself is in the trust store. */
        PINNED_CODE_SIGNING;

        boolean pinned() {
            return name().startsWith("PINNED");
        }
    }

    /** One shared PKI per key kind. */
    private static final class Pki {
        final Ca root;
        final Ca issuing;
        final Ca otherIssuing;
        final Identity ourServer;
        final Identity ourClient;
        final Map<Defect, Peer> relaxedPeers = new EnumMap<>(Defect.class);
        final Map<Defect, Peer> strictPeers = new EnumMap<>(Defect.class);

        Pki(KeyKind kind) {
            root = TestPki.root("Refuses Root " + kind, kind);
            issuing = root.intermediate("Refuses Issuing CA " + kind);
            otherIssuing = TestPki.root("Untrusted Root " + kind, kind).intermediate("Untrusted Issuing CA " + kind);
            Issued server = issuing.leaf("our-server").eku(LeafEku.SERVER_AUTH).dnsNames(Handshake.PEER_HOST).issue();
            Issued client = issuing.leaf("our-client").eku(LeafEku.CLIENT_AUTH).issue();
            ourServer = Identity.of("our-server", "test", server.privateKey(), server.chain());
            ourClient = Identity.of("our-client", "test", client.privateKey(), client.chain());
            for (Defect defect : Defect.values()) {
                relaxedPeers.put(defect, peer(kind, defect, LeafEku.SERVER_AUTH));
                strictPeers.put(defect, defect.pinned() ? relaxedPeers.get(defect) : peer(kind, defect, LeafEku.BOTH));
            }
        }

        private Peer peer(KeyKind kind, Defect defect, LeafEku base) {
            Instant now = Instant.now();
            String cn = "peer-" + defect.name().toLowerCase(Locale.ROOT) + "-" + base.name().toLowerCase(Locale.ROOT);
            LeafSpec spec = issuing.leaf(cn).eku(base);
            switch (defect) {
                case NONE:
                    return Peer.of(spec.issue());
                case UNTRUSTED_ISSUER:
                    return Peer.of(otherIssuing.leaf(cn).eku(base).issue());
                case EXPIRED:
                    return Peer.of(spec.validity(now.minus(Duration.ofDays(60)), now.minus(Duration.ofDays(30))).issue());
                case NOT_YET_VALID:
                    return Peer.of(spec.validity(now.plus(Duration.ofDays(30)), now.plus(Duration.ofDays(60))).issue());
                case CODE_SIGNING_ONLY:
                    return Peer.of(spec.eku(LeafEku.CODE_SIGNING).issue());
                case NO_DIGITAL_SIGNATURE:
                    return Peer.of(spec.keyUsage(KeyUsage.keyEncipherment).issue());
                case BROKEN_SIGNATURE:
                    return Peer.of(spec.corruptSignature().issue());
                case PINNED_CA_ISSUED:
                    return Peer.of(otherIssuing.leaf(cn).eku(LeafEku.SERVER_AUTH).issue());
                case PINNED_SELF_SIGNED:
                    return Peer.selfSigned(cn, kind, KeyPurposeId.id_kp_serverAuth);
                case PINNED_CODE_SIGNING:
                    return Peer.of(otherIssuing.leaf(cn).eku(LeafEku.CODE_SIGNING).issue());
                default:
                    throw new AssertionError(defect);
            }
        }

        /** Our trust store: the root, plus the peer's leaf itself when it is pinned. */
        KeyStore trustStore(Defect defect, Peer peer) {
            return defect.pinned()
                    ? TestPki.trustStore(root.certificate(), peer.leaf())
                    : TestPki.trustStore(root.certificate());
        }
    }

    /** The peer client's key and chain (leaf first; a self-signed leaf has no issuer in TestPki). */
    private record Peer(PrivateKey key, X509Certificate[] chain) {
        static Peer of(Issued issued) {
            return new Peer(issued.privateKey(), issued.chain());
        }

        static Peer selfSigned(String cn, KeyKind kind, KeyPurposeId eku) {
            try {
                KeyPair pair = kind.pooledKeyPair();
                X500Name name = new X500Name("CN=" + cn);
                Instant now = Instant.now();
                X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name,
                        BigInteger.valueOf(now.toEpochMilli()).shiftLeft(8).add(BigInteger.valueOf(kind.ordinal())),
                        Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(30))), name,
                        pair.getPublic())
                        .addExtension(Extension.keyUsage, true, new KeyUsage(kind == KeyKind.RSA_2048
                                ? KeyUsage.digitalSignature | KeyUsage.keyEncipherment : KeyUsage.digitalSignature))
                        .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(eku))
                        .addExtension(Extension.subjectKeyIdentifier, false,
                                new JcaX509ExtensionUtils().createSubjectKeyIdentifier(pair.getPublic()));
                X509Certificate cert = new JcaX509CertificateConverter().getCertificate(
                        builder.build(new JcaContentSignerBuilder(kind.signatureAlgorithm()).build(pair.getPrivate())));
                return new Peer(pair.getPrivate(), new X509Certificate[] {cert});
            } catch (Exception e) {
                throw new IllegalStateException("cannot build self-signed leaf " + cn, e);
            }
        }

        X509Certificate leaf() {
            return chain[0];
        }
    }

    private static final Map<KeyKind, Pki> PKI = new EnumMap<>(KeyKind.class);

    @BeforeAll
    static void buildPki() {
        for (KeyKind kind : KeyKind.values()) {
            PKI.put(kind, new Pki(kind));
        }
    }

    record Case(EkuPolicy mode, Jsse jsse, String protocol, KeyKind kind, Defect defect) {
        @Override
        public String toString() {
            return mode + " " + (jsse == Jsse.SUN ? "SunJSSE" : "BCJSSE") + " " + protocol + " " + kind + " " + defect;
        }

        boolean relaxed() {
            return mode != EkuPolicy.STRICT;
        }
    }

    static Stream<Case> cases() {
        List<Case> cases = new ArrayList<>();
        for (EkuPolicy mode : EkuPolicy.values()) {
            for (Jsse jsse : Jsse.values()) {
                for (Object[] pk : new Object[][] {{"TLSv1.3", KeyKind.EC_P256}, {"TLSv1.2", KeyKind.EC_P256},
                        {"TLSv1.2", KeyKind.RSA_2048}}) {
                    for (Defect defect : Defect.values()) {
                        cases.add(new Case(mode, jsse, (String) pk[0], (KeyKind) pk[1], defect));
                    }
                }
            }
        }
        return cases.stream();
    }

    // ------------------------------------------------------------------------------------------------
    // handshakes
    // ------------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void inboundHandshake(Case c) throws Exception {
        Pki pki = PKI.get(c.kind());
        Peer peer = (c.relaxed() ? pki.relaxedPeers : pki.strictPeers).get(c.defect());
        KeyStore trustStore = pki.trustStore(c.defect(), peer);

        EkuBridge.Builder builder = EkuBridge.builder()
                .serverIdentity(pki.ourServer)
                .clientIdentity(pki.ourClient)
                .inboundEku(c.mode());
        if (c.jsse() == Jsse.SUN) {
            builder.trustStore(trustStore);
        } else {
            builder.trustManager(pkixTrustManager(Jsse.BC, trustStore));
        }
        EkuBridge bridge = builder.build();
        X509TrustManager wrapped = bridge.trustManager().delegate();
        assertThat(wrapped.getClass().getName()).as("the engine's own PKIX trust manager is wrapped")
                .startsWith(c.jsse() == Jsse.SUN ? "sun.security.ssl." : "org.bouncycastle.jsse.");

        // what the wrapped manager says on its own, in the client direction (the only one the policy uses)
        Throwable clientDirection = catchThrowable(() -> wrapped.checkClientTrusted(peer.chain(), c.kind().jcaAlgorithm()));

        SSLContext ours = bridge.sslContext("TLS", c.jsse().provider());
        SSLContext theirs = peerEngine(c).context(new KeyManager[] {TestPki.fixedKeyManager(peer.key(), peer.chain())},
                pkixTrustManagers(peerEngine(c), TestPki.trustStore(pki.root.certificate())));
        HandshakeResult r = Handshake.run(theirs, ours, c.protocol(), true);

        boolean policyRefuses = c.defect() == Defect.CODE_SIGNING_ONLY || c.defect() == Defect.PINNED_CODE_SIGNING
                || (c.mode() == EkuPolicy.STRICT && c.defect() == Defect.PINNED_CA_ISSUED)
                || (c.mode() == EkuPolicy.STRICT && c.defect() == Defect.PINNED_SELF_SIGNED);
        boolean ekuRefusal = clientDirection != null && EKU_REFUSALS.stream().anyMatch(Failures.describe(clientDirection)::contains);
        boolean expectAccepted;
        if (c.defect() == Defect.NONE) {
            expectAccepted = true;
            assertThat(clientDirection == null || ekuRefusal)
                    .as("control: the wrapped manager accepts the base leaf, or refuses it for its EKU alone: %s", clientDirection)
                    .isTrue();
        } else if (policyRefuses) {
            expectAccepted = false;
        } else if (c.defect().pinned()) {
            // SunJSSE skips every end-entity check for a pinned leaf; BCJSSE refuses it for its EKU only
            expectAccepted = true;
            assertThat(clientDirection == null || ekuRefusal).as("%s on the pinned serverAuth-only leaf: %s", c.jsse(), clientDirection)
                    .isTrue();
        } else {
            expectAccepted = false;
            assertThat(clientDirection).as("the wrapped manager itself refuses %s", c.defect()).isNotNull();
        }

        long audited = bridge.trustManager().auditedCount();
        if (expectAccepted) {
            assertThat(r.succeeded()).as("accepted: %s", r.failureText()).isTrue();
            assertThat(r.serialSeenByServer()).isEqualTo(peer.leaf().getSerialNumber());
            assertThat(audited).as("audited handshakes").isEqualTo(c.mode() == EkuPolicy.AUDIT ? 1 : 0);
            return;
        }

        assertThat(r.succeeded()).as("refused").isFalse();
        assertThat(r.serverFailure()).as("our side (the server) refuses: %s", r.failureText()).isNotNull();
        assertThat(r.serialSeenByServer()).isNull();
        String ourText = Failures.describe(r.serverFailure());
        assertThat(ourText).as("our side originates the failure")
                .doesNotContainIgnoringCase("received fatal alert")
                .doesNotContain("TlsFatalAlertReceived");
        if (r.clientFailure() != null) {
            assertThat(Failures.describe(r.clientFailure())).as("the peer only received our alert").containsIgnoringCase("alert");
        }
        assertThat(audited).as("a refused handshake is never counted as audited").isZero();

        if (policyRefuses) {
            assertThat(ourText).as("the policy's own EKU refusal")
                    .contains(POLICY_EKU_REFUSAL)
                    .contains("serial " + peer.leaf().getSerialNumber().toString(16).toUpperCase(Locale.ROOT))
                    .contains("(inbound.eku=" + c.mode() + ")");
        } else {
            if (!ekuRefusal) {
                assertThat(ourText).as("the wrapped manager's own reason").contains(clientDirection.getMessage());
            }
            assertThat(ourText).doesNotContain("inbound.eku=").doesNotContain(POLICY_EKU_REFUSAL)
                    .doesNotContain("Extended key usage does not permit").doesNotContain("ExtendedKeyUsage");
            assertThat(expectedReason(c)).as("every delegate-decided refusal has an observed reason").isNotEmpty();
            for (String fragment : expectedReason(c)) {
                assertThat(ourText).as("the reason the %s trust manager gives for %s", c.jsse(), c.defect())
                        .contains(fragment);
            }
        }
    }

    /**
     * The peer client's engine: the same as ours, except that a BCJSSE client will not sign with a certificate
     * whose KeyUsage lacks digitalSignature (it sends no certificate at all, and the handshake ends with
     * certificate_required before our trust manager is asked), so that peer is a SunJSSE client.
     */
    private static Jsse peerEngine(Case c) {
        return c.defect() == Defect.NO_DIGITAL_SIGNATURE ? Jsse.SUN : c.jsse();
    }

    /**
     * The wrapped managers' reasons as observed (JDK 17.0.15 SunJSSE PKIX, BCJSSE 1.84 PKIX), checked on top of
     * the derived "contains the wrapped manager's own message".
     */
    private static List<String> expectedReason(Case c) {
        boolean sun = c.jsse() == Jsse.SUN;
        switch (c.defect()) {
            case UNTRUSTED_ISSUER:
                return sun ? List.of("PKIX path building failed", "unable to find valid certification path to requested target")
                        : List.of("Unable to construct a valid chain", "No issuer certificate for certificate in certification path found");
            case EXPIRED:
                return sun ? List.of("PKIX path validation failed", "validity check failed", "CertificateExpiredException")
                        : List.of("Unable to construct a valid chain", "certificate expired on", "CertificateExpiredException");
            case NOT_YET_VALID:
                return sun ? List.of("PKIX path validation failed", "validity check failed", "CertificateNotYetValidException")
                        : List.of("Unable to construct a valid chain", "certificate not valid till", "CertificateNotYetValidException");
            case NO_DIGITAL_SIGNATURE:
                return sun ? List.of("KeyUsage does not allow digital signatures")
                        : List.of("Unable to construct a valid chain", "Certificate doesn't support 'digitalSignature' KeyUsage");
            case BROKEN_SIGNATURE:
                return sun ? List.of("PKIX path validation failed", "signature check failed")
                        : List.of("Unable to construct a valid chain", "Could not validate certificate signature");
            default:
                return List.of();
        }
    }

    // ------------------------------------------------------------------------------------------------
    // one validation per handshake (no handshake: direct calls)
    // ------------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @EnumSource(EkuPolicy.class)
    void serverAuthOnlyChainIsValidatedByTheDelegateExactlyOnceOrNotAtAll(EkuPolicy mode) throws Exception {
        Pki pki = PKI.get(KeyKind.EC_P256);
        X509Certificate[] chain = pki.relaxedPeers.get(Defect.NONE).chain();
        LeafValidations validations = new LeafValidations(chain[0]);
        EkuPolicyTrustManager policy = EkuPolicyTrustManager.wrap(
                countingPkix(Jsse.SUN, TestPki.trustStore(pki.root.certificate()), validations), mode);

        for (int variant = 0; variant < 3; variant++) {
            validations.count.set(0);
            int v = variant;
            Throwable thrown = catchThrowable(() -> {
                if (v == 0) {
                    policy.checkClientTrusted(chain, "EC");
                } else if (v == 1) {
                    policy.checkClientTrusted(chain, "EC", (Socket) null);
                } else {
                    policy.checkClientTrusted(chain, "EC", (SSLEngine) null);
                }
            });
            if (mode == EkuPolicy.STRICT) {
                assertThat(thrown).isInstanceOf(CertificateException.class)
                        .hasMessageContaining(POLICY_EKU_REFUSAL + " TLS client authentication");
                assertThat(validations.count).as("strict refuses on EKU without a validation").hasValue(0);
            } else {
                assertThat(thrown).isNull();
                assertThat(validations.count).as("one path validation, in the client direction").hasValue(1);
            }
        }
        assertThat(policy.auditedCount()).isEqualTo(mode == EkuPolicy.AUDIT ? 3 : 0);
    }

    /** Which of the wrapped manager's methods the policy calls: the client direction, once, in every mode. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(EkuPolicy.class)
    void delegateCallsForEachKindOfLeaf(EkuPolicy mode) throws Exception {
        Pki pki = PKI.get(KeyKind.EC_P256);
        RecordingTrustManager counting = RecordingTrustManager.around(
                (X509ExtendedTrustManager) pkixTrustManager(Jsse.SUN, TestPki.trustStore(pki.root.certificate())));
        EkuPolicyTrustManager policy = EkuPolicyTrustManager.wrap(counting, mode);

        // a leaf with both usages: validated once as a client
        policy.checkClientTrusted(pki.strictPeers.get(Defect.NONE).chain(), "EC");
        assertThat(counting.calls).containsExactly("checkClientTrusted(EC)");

        // serverAuth only: strict refuses without asking; the relaxed modes ask in the client direction, and the
        // counting wrapper is not an engine's own trust manager (not asked about the twin), so its refusal stands
        counting.calls.clear();
        Throwable thrown = catchThrowable(() -> policy.checkClientTrusted(pki.relaxedPeers.get(Defect.NONE).chain(), "EC"));
        assertThat(thrown).isInstanceOf(CertificateException.class);
        if (mode == EkuPolicy.STRICT) {
            assertThat(counting.calls).isEmpty();
        } else {
            assertThat(counting.calls).containsExactly("checkClientTrusted(EC)");
            assertThat(thrown.getMessage()).as("fail closed, saying why and what to do")
                    .startsWith("Extended key usage does not permit use for TLS client authentication [EKU Bridge:")
                    .contains(RecordingTrustManager.class.getName())
                    .contains("set truststore or truststore.pem");
            assertThat(thrown.getCause()).as("the wrapped manager's own refusal").isNotNull();
        }

        // a code-signing-only leaf: refused on EKU in every mode, the delegate is never asked
        counting.calls.clear();
        assertThatThrownBy(() -> policy.checkClientTrusted(pki.relaxedPeers.get(Defect.CODE_SIGNING_ONLY).chain(), "EC"))
                .isInstanceOf(CertificateException.class)
                .hasMessageContaining(POLICY_EKU_REFUSAL)
                .hasMessageContaining("(inbound.eku=" + mode + ")");
        assertThat(counting.calls).isEmpty();

        // outbound: one validation by the delegate with the engine's auth type, whatever the mode
        counting.calls.clear();
        policy.checkServerTrusted(pki.relaxedPeers.get(Defect.NONE).chain(), "ECDHE_ECDSA");
        assertThat(counting.calls).containsExactly("checkServerTrusted(ECDHE_ECDSA)");
        assertThat(policy.auditedCount()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Jsse.class)
    void aLenientHandshakeValidatesThePeerExactlyOnce(Jsse jsse) throws Exception {
        Pki pki = PKI.get(KeyKind.EC_P256);
        Peer peer = pki.relaxedPeers.get(Defect.NONE);
        KeyStore trustStore = TestPki.trustStore(pki.root.certificate());
        LeafValidations validations = new LeafValidations(peer.leaf());
        EkuBridge bridge = EkuBridge.builder()
                .serverIdentity(pki.ourServer)
                .clientIdentity(pki.ourClient)
                .trustManager(countingPkix(jsse, trustStore, validations))
                .inboundEku(EkuPolicy.LENIENT)
                .build();

        HandshakeResult r = Handshake.run(
                jsse.context(new KeyManager[] {TestPki.fixedKeyManager(peer.key(), peer.chain())}, pkixTrustManagers(jsse, trustStore)),
                bridge.sslContext("TLS", jsse.provider()), "TLSv1.3", true);

        assertThat(r.succeeded()).as(r.failureText()).isTrue();
        assertThat(r.serialSeenByServer()).isEqualTo(peer.leaf().getSerialNumber());
        assertThat(validations.count).as("the engine asked once, the wrapped manager validated the peer's path once").hasValue(1);
    }

    /** The engine's own PKIX trust manager, with a checker that counts how often the path through {@code leaf} is validated. */
    private static X509ExtendedTrustManager countingPkix(Jsse jsse, KeyStore trustStore, LeafValidations checker) throws Exception {
        PKIXBuilderParameters parameters = new PKIXBuilderParameters(trustStore, new X509CertSelector());
        parameters.setRevocationEnabled(false);
        parameters.addCertPathChecker(checker);
        return jsse.trustManager("PKIX", new CertPathTrustManagerParameters(parameters));
    }

    /** Counts the validations of one leaf; PKIX parameters clone their checkers, which share the counter. */
    private static final class LeafValidations extends PKIXCertPathChecker {
        final java.util.concurrent.atomic.AtomicInteger count = new java.util.concurrent.atomic.AtomicInteger();
        private final X509Certificate leaf;

        LeafValidations(X509Certificate leaf) {
            this.leaf = leaf;
        }

        @Override
        public void init(boolean forward) {
        }

        @Override
        public boolean isForwardCheckingSupported() {
            return false;
        }

        @Override
        public java.util.Set<String> getSupportedExtensions() {
            return null;
        }

        @Override
        public void check(java.security.cert.Certificate certificate, java.util.Collection<String> unresolved) {
            if (leaf.equals(certificate)) {
                count.incrementAndGet();
            }
        }
    }

    // ------------------------------------------------------------------------------------------------
    // helpers
    // ------------------------------------------------------------------------------------------------

    private static X509ExtendedTrustManager pkixTrustManager(Jsse jsse, KeyStore trustStore) {
        return jsse.trustManager("PKIX", trustStore);
    }

    private static TrustManager[] pkixTrustManagers(Jsse jsse, KeyStore trustStore) {
        return new TrustManager[] {pkixTrustManager(jsse, trustStore)};
    }
}
