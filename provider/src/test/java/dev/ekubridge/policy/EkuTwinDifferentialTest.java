package dev.ekubridge.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ekubridge.AgentSupport;
import dev.ekubridge.EkuBridge;
import dev.ekubridge.EkuPolicy;
import dev.ekubridge.EkuPolicyTrustManager;
import dev.ekubridge.testsupport.pki.Ca;
import dev.ekubridge.testsupport.pki.Issued;
import dev.ekubridge.testsupport.pki.KeyKind;
import dev.ekubridge.testsupport.pki.LeafEku;
import dev.ekubridge.testsupport.pki.TestPki;
import dev.ekubridge.testsupport.pki.Twins.Pair;
import dev.ekubridge.testsupport.pki.Twins.Spec;
import dev.ekubridge.testsupport.tls.Handshake;
import dev.ekubridge.testsupport.tls.HandshakeResult;
import dev.ekubridge.testsupport.tls.Jsse;
import dev.ekubridge.testsupport.pki.TwinOracle;
import dev.ekubridge.testsupport.pki.TwinOracle.Verdict;
import dev.ekubridge.testing.RecordingTrustManager;
import java.math.BigInteger;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.CertStore;
import java.security.cert.CertificateException;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.X509CRL;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.net.ssl.CertPathTrustManagerParameters;
import javax.net.ssl.KeyManager;
import javax.net.ssl.ManagerFactoryParameters;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.PolicyInformation;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509v2CRLBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The EKU policy's rule, proven differentially: in every mode, the verdict on a peer that connects to us is the
 * wrapped trust manager's client-direction verdict on the peer's <em>twin</em> (the same chain with only the leaf's
 * EKU made to permit clientAuth), except that {@code strict} refuses what lacks clientAuth and {@code server-auth}
 * also demands serverAuth. The oracle is the stock manager itself, so nothing here is a hard-coded expectation.
 *
 * <p>The corpus: EKU variants; issuers the wrapped manager trusts only for servers, or not at all; self-signed,
 * pinned, expired, not yet valid, revoked (CRL) leaves; KeyUsage variants; Netscape certificate types; critical
 * unknown extensions and critical certificate policies; a weak RSA key; a subject with control characters. The wrapped
 * managers: SunJSSE PKIX and SunX509, BCJSSE PKIX, each with and without CRL revocation where it applies; an
 * application manager whose two directions trust different anchors; an "accept any server" application manager; and
 * those two with their JDK manager wrapped by EKU Bridge inside (what the agent does to factory managers). Through
 * direct calls (with odd arguments), through {@link AgentSupport#trustManagers} and through the builder, and in
 * real in-memory handshakes under SunJSSE and BCJSSE, TLS 1.2 and 1.3.
 *
 * <p>Where the wrapped manager is not an engine's own (an application's own class, which EKU Bridge does not ask about
 * the twin), the allowed difference is one way only: EKU Bridge may refuse what the twin would pass, with a message
 * that says why (fail closed), never the reverse. Everywhere else the verdicts must be equal.
 */
class EkuTwinDifferentialTest {

    // ------------------------------------------------------------------------------------------------
    // the PKI and the corpus
    // ------------------------------------------------------------------------------------------------

    /** Trusted in both directions by the engine managers, and for clients by the application managers. */
    private static final Ca CLIENT_ROOT = TestPki.root("Twin Client Root", KeyKind.EC_P256);
    private static final Ca CLIENT_ISSUING = CLIENT_ROOT.intermediate("Twin Client Issuing");
    /** Trusted in both directions by the engine managers, only for servers by the direction-differing manager. */
    private static final Ca SERVER_ONLY_ROOT = TestPki.root("Twin Server-Only Root", KeyKind.EC_P256);
    private static final Ca UNTRUSTED_ROOT = TestPki.root("Twin Untrusted Root", KeyKind.EC_P256);
    /** The server side of the handshakes presents this (our own server identity). */
    private static final Issued OUR_SERVER = SERVER_ONLY_ROOT.leaf(Handshake.PEER_HOST).eku(LeafEku.SERVER_AUTH)
            .dnsNames(Handshake.PEER_HOST).issue();

    /** One corpus entry: a pair, whether its leaf (or twin) is pinned, whether the CRL revokes it. */
    record Entry(Pair pair, boolean pinned, boolean revoked) {
        @Override
        public String toString() {
            return pair.name() + (pinned ? " (pinned)" : "") + (revoked ? " (revoked)" : "");
        }
    }

    private static final List<Entry> CORPUS = corpus();
    private static final X509CRL CLIENT_ISSUING_CRL;
    private static final X509CRL CLIENT_ROOT_CRL;

    static {
        List<BigInteger> revoked = new ArrayList<>();
        for (Entry entry : CORPUS) {
            if (entry.revoked()) {
                revoked.add(entry.pair().leaf().getSerialNumber());
            }
        }
        CLIENT_ISSUING_CRL = crl(CLIENT_ISSUING, revoked);
        CLIENT_ROOT_CRL = crl(CLIENT_ROOT, List.of());
    }

    private static List<Entry> corpus() {
        List<Entry> corpus = new ArrayList<>();
        for (KeyKind kind : KeyKind.values()) {
            String k = kind == KeyKind.EC_P256 ? "ec" : "rsa";
            Spec base = Spec.of(k + "-serverauth", CLIENT_ISSUING, kind.pooledKeyPair())
                    .keyUsage(kind == KeyKind.RSA_2048 ? KeyUsage.digitalSignature | KeyUsage.keyEncipherment : KeyUsage.digitalSignature);
            Instant now = Instant.now();
            // EKU variants
            corpus.add(plain(base));
            corpus.add(plain(base.named(k + "-serverauth+codesigning").eku(KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_codeSigning)));
            corpus.add(plain(base.named(k + "-codesigning").eku(KeyPurposeId.id_kp_codeSigning)));
            corpus.add(plain(base.named(k + "-email").eku(KeyPurposeId.id_kp_emailProtection)));
            corpus.add(plain(base.named(k + "-no-eku").eku()));
            corpus.add(plain(base.named(k + "-any-eku").eku(KeyPurposeId.anyExtendedKeyUsage)));
            corpus.add(plain(base.named(k + "-clientauth").eku(KeyPurposeId.id_kp_clientAuth)));
            corpus.add(plain(base.named(k + "-both").eku(KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth)));
            // issuers
            corpus.add(plain(Spec.of(k + "-server-only-issuer", SERVER_ONLY_ROOT, kind.pooledKeyPair())));
            corpus.add(plain(Spec.of(k + "-untrusted-issuer", UNTRUSTED_ROOT, kind.pooledKeyPair())));
            corpus.add(plain(Spec.of(k + "-self-signed", null, kind.freshKeyPair())));
            corpus.add(new Entry(Spec.of(k + "-pinned-ca-issued", UNTRUSTED_ROOT, kind.pooledKeyPair()).issue(), true, false));
            corpus.add(new Entry(Spec.of(k + "-pinned-self-signed", null, kind.freshKeyPair()).issue(), true, false));
            corpus.add(new Entry(Spec.of(k + "-pinned-expired", null, kind.freshKeyPair())
                    .validity(now.minus(Duration.ofDays(60)), now.minus(Duration.ofDays(30))).issue(), true, false));
            // validity and revocation
            corpus.add(plain(base.named(k + "-expired").validity(now.minus(Duration.ofDays(60)), now.minus(Duration.ofDays(30)))));
            corpus.add(plain(base.named(k + "-not-yet-valid").validity(now.plus(Duration.ofDays(30)), now.plus(Duration.ofDays(60)))));
            corpus.add(new Entry(base.named(k + "-revoked").issue(), false, true));
            // KeyUsage
            corpus.add(plain(base.named(k + "-ku-keyencipherment-only").keyUsage(KeyUsage.keyEncipherment)));
            corpus.add(plain(base.named(k + "-no-ku").keyUsage(null)));
            corpus.add(plain(base.named(k + "-ku-keyencipherment-only-both").keyUsage(KeyUsage.keyEncipherment)
                    .eku(KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth)));
            // Netscape certificate type: bit 0 SSL client (0x80), bit 1 SSL server (0x40)
            corpus.add(plain(base.named(k + "-nsct-server").netscapeCertType(false, (byte) 0x40)));
            corpus.add(plain(base.named(k + "-nsct-server-critical").netscapeCertType(true, (byte) 0x40)));
            corpus.add(plain(base.named(k + "-nsct-client-server").netscapeCertType(false, (byte) 0xC0)));
            corpus.add(plain(base.named(k + "-nsct-empty").netscapeCertType(false)));
            // critical extensions
            corpus.add(plain(base.named(k + "-critical-unknown").extension(new ASN1ObjectIdentifier("1.3.6.1.4.1.55555.1"), true,
                    DERNull.INSTANCE)));
            corpus.add(plain(base.named(k + "-critical-policies").extension(Extension.certificatePolicies, true,
                    new DERSequence(new PolicyInformation(new ASN1ObjectIdentifier("2.5.29.32.0"))))));
            // hostile input in names
            corpus.add(plain(base.named(k + "-control-characters").subject("CN=evil\nINFO accepted peer\u001b[31m\u0000,O=x")));
        }
        corpus.add(plain(Spec.of("rsa-512-weak-key", CLIENT_ISSUING, weakRsaKeyPair())
                .keyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment)));
        return corpus;
    }

    private static Entry plain(Spec spec) {
        return new Entry(spec.issue(), false, false);
    }

    private static java.security.KeyPair weakRsaKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(512);
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509CRL crl(Ca issuer, List<BigInteger> revoked) {
        try {
            Date now = new Date();
            JcaX509v2CRLBuilder builder = new JcaX509v2CRLBuilder(issuer.certificate(), new Date(now.getTime() - 3_600_000L));
            builder.setNextUpdate(new Date(now.getTime() + 86_400_000L));
            for (BigInteger serial : revoked) {
                builder.addCRLEntry(serial, new Date(now.getTime() - 60_000L), CRLReason.keyCompromise);
            }
            return new JcaX509CRLConverter().getCRL(builder.build(
                    new JcaContentSignerBuilder(issuer.kind().signatureAlgorithm()).build(issuer.privateKey())));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------------------------------------
    // the wrapped managers
    // ------------------------------------------------------------------------------------------------

    /** The trust manager EKU Bridge wraps, built for one world (the original's or the twin's). */
    enum Setup {
        SUN_PKIX(Jsse.SUN, true),
        SUN_SUNX509(Jsse.SUN, true),
        SUN_PKIX_CRL(Jsse.SUN, true),
        BC_PKIX(Jsse.BC, true),
        BC_PKIX_CRL(Jsse.BC, true),
        /** The application's own class: clients against the client root, servers against the server-only root. */
        APP_DIRECTIONS_DIFFER(Jsse.SUN, false),
        /** The application's own class: clients checked by the JDK, any server accepted. */
        APP_ACCEPT_ANY_SERVER(Jsse.SUN, false),
        /** As {@link #APP_DIRECTIONS_DIFFER}, its JDK managers wrapped by EKU Bridge with the same mode (the agent's case). */
        APP_DIRECTIONS_DIFFER_INNER_WRAPPED(Jsse.SUN, true),
        /** As {@link #APP_ACCEPT_ANY_SERVER}, its JDK manager wrapped by EKU Bridge with the same mode. */
        APP_ACCEPT_ANY_SERVER_INNER_WRAPPED(Jsse.BC, true);

        final Jsse jsse;
        /** Whether the relaxation reaches an engine's own manager, asked about the twin (else EKU Bridge may only fail closed). */
        final boolean recognisable;

        Setup(Jsse jsse, boolean recognisable) {
            this.jsse = jsse;
            this.recognisable = recognisable;
        }

        X509TrustManager build(EkuPolicy mode, List<X509Certificate> pinned) {
            List<X509Certificate> all = new ArrayList<>(pinned);
            all.add(CLIENT_ROOT.certificate());
            all.add(SERVER_ONLY_ROOT.certificate());
            List<X509Certificate> clientAnchors = new ArrayList<>(pinned);
            clientAnchors.add(CLIENT_ROOT.certificate());
            List<X509Certificate> serverAnchors = new ArrayList<>(pinned);
            serverAnchors.add(SERVER_ONLY_ROOT.certificate());
            switch (this) {
                case SUN_PKIX:
                    return factoryManager("PKIX", Jsse.SUN, store(all));
                case SUN_SUNX509:
                    return factoryManager("SunX509", Jsse.SUN, store(all));
                case SUN_PKIX_CRL:
                    return factoryManager("PKIX", Jsse.SUN, withCrls(store(all)));
                case BC_PKIX:
                    return factoryManager("PKIX", Jsse.BC, store(all));
                case BC_PKIX_CRL:
                    return factoryManager("PKIX", Jsse.BC, withCrls(store(all)));
                case APP_DIRECTIONS_DIFFER:
                    return new RecordingTrustManager(factoryManager("PKIX", Jsse.SUN, store(clientAnchors)),
                            factoryManager("PKIX", Jsse.SUN, store(serverAnchors)));
                case APP_ACCEPT_ANY_SERVER:
                    return new RecordingTrustManager(factoryManager("PKIX", Jsse.SUN, store(clientAnchors)), null);
                case APP_DIRECTIONS_DIFFER_INNER_WRAPPED:
                    return new RecordingTrustManager(EkuPolicyTrustManager.wrap(factoryManager("PKIX", Jsse.SUN, store(clientAnchors)), mode),
                            EkuPolicyTrustManager.wrap(factoryManager("PKIX", Jsse.SUN, store(serverAnchors)), mode));
                case APP_ACCEPT_ANY_SERVER_INNER_WRAPPED:
                    return new RecordingTrustManager(EkuPolicyTrustManager.wrap(factoryManager("PKIX", Jsse.BC, store(clientAnchors)), mode), null);
                default:
                    throw new AssertionError(this);
            }
        }
    }

    private static KeyStore store(List<X509Certificate> anchors) {
        return TestPki.trustStore(anchors.toArray(new X509Certificate[0]));
    }

    private static ManagerFactoryParameters withCrls(KeyStore store) {
        try {
            PKIXBuilderParameters parameters = new PKIXBuilderParameters(store, new X509CertSelector());
            parameters.setRevocationEnabled(true);
            parameters.addCertStore(CertStore.getInstance("Collection",
                    new CollectionCertStoreParameters(List.of(CLIENT_ISSUING_CRL, CLIENT_ROOT_CRL))));
            return new CertPathTrustManagerParameters(parameters);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509ExtendedTrustManager factoryManager(String algorithm, Jsse jsse, Object init) {
        return init instanceof KeyStore ? jsse.trustManager(algorithm, (KeyStore) init)
            : jsse.trustManager(algorithm, (ManagerFactoryParameters) init);
    }

    /** How EKU Bridge comes to wrap the manager. */
    enum Route {
        /** {@link EkuPolicyTrustManager#wrap(X509TrustManager, EkuPolicy)}. */
        WRAP,
        /** {@link AgentSupport#trustManagers}, what the agent calls at {@code SSLContext.init}. */
        RETROFIT
    }

    private static X509TrustManager wrapped(Route route, Setup setup, EkuPolicy mode, List<X509Certificate> pinned) {
        X509TrustManager application = setup.build(mode, pinned);
        if (route == Route.WRAP) {
            return EkuPolicyTrustManager.wrap(application, mode);
        }
        TrustManager[] retrofitted = AgentSupport.of(EkuBridge.builder().inboundEku(mode).build()).trustManagers(new TrustManager[] {application});
        return (X509TrustManager) retrofitted[0];
    }

    // ------------------------------------------------------------------------------------------------
    // the oracle
    // ------------------------------------------------------------------------------------------------

    private static String compare(String label, EkuPolicy mode, Entry entry, boolean recognisable, Verdict ours, Verdict twin)
            throws Exception {
        return TwinOracle.compare(label, mode.configValue(), entry.pair().leaf(), recognisable, ours, twin);
    }

    // ------------------------------------------------------------------------------------------------
    // direct calls
    // ------------------------------------------------------------------------------------------------

    static Stream<Arguments> directCases() {
        List<Arguments> cases = new ArrayList<>();
        for (Setup setup : Setup.values()) {
            for (Route route : Route.values()) {
                for (EkuPolicy mode : EkuPolicy.values()) {
                    cases.add(Arguments.of(setup, route, mode));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("directCases")
    void directCallsAgreeWithTheStockManagerOnTheTwin(Setup setup, Route route, EkuPolicy mode) throws Exception {
        List<String> mismatches = new ArrayList<>();
        int compared = 0;
        for (Entry entry : CORPUS) {
            if (entry.revoked() && setup != Setup.SUN_PKIX_CRL && setup != Setup.BC_PKIX_CRL) {
                continue; // the same leaf as "serverauth" to a manager that checks no revocation
            }
            Pair pair = entry.pair();
            List<X509Certificate> pinned = entry.pinned() ? List.of(pair.leaf()) : List.of();
            List<X509Certificate> twinPinned = entry.pinned() ? List.of(pair.twin()) : List.of();
            X509TrustManager ours = wrapped(route, setup, mode, pinned);
            X509TrustManager stock = setup.build(mode, twinPinned);
            String keyType = pair.leaf().getPublicKey().getAlgorithm();
            for (String authType : new String[] {keyType, "UNKNOWN", "ECDHE_ECDSA"}) {
                Verdict mine = TwinOracle.verdict(() -> ours.checkClientTrusted(pair.chain(), authType));
                Verdict theirs = TwinOracle.verdict(() -> stock.checkClientTrusted(pair.twinChain(), authType));
                String mismatch = compare(setup + " " + route + " " + mode + " " + entry + " authType " + authType, mode, entry,
                        setup.recognisable, mine, theirs);
                if (mismatch != null) {
                    mismatches.add(mismatch);
                }
                compared++;
                if (!mine.accepted()) {
                    assertThat(mine.refusal().getMessage()).as("no raw control character reaches EKU Bridge's messages")
                            .doesNotContainPattern("[\\x00-\\x08\\x0a-\\x1f\\x7f]");
                }
            }
        }
        assertThat(mismatches).as("%d comparisons; mismatches:%n%s", compared, String.join("\n", mismatches)).isEmpty();
        assertThat(compared).isGreaterThan(150);
    }

    /** The builder creates the PKIX manager itself, so it knows the factory: no fail-closed difference remains. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("modes")
    void throughTheBuilderEveryVerdictIsTheTwins(EkuPolicy mode) throws Exception {
        List<String> mismatches = new ArrayList<>();
        for (Entry entry : CORPUS) {
            if (entry.revoked()) {
                continue;
            }
            Pair pair = entry.pair();
            List<X509Certificate> anchors = new ArrayList<>(List.of(CLIENT_ROOT.certificate(), SERVER_ONLY_ROOT.certificate()));
            List<X509Certificate> twinAnchors = new ArrayList<>(anchors);
            if (entry.pinned()) {
                anchors.add(pair.leaf());
                twinAnchors.add(pair.twin());
            }
            X509TrustManager ours = EkuBridge.builder().inboundEku(mode).trustStore(store(anchors)).build().trustManager();
            X509TrustManager stock = factoryManager(TrustManagerFactory.getDefaultAlgorithm(), Jsse.SUN, store(twinAnchors));
            Verdict mine = TwinOracle.verdict(() -> ours.checkClientTrusted(pair.chain(), "UNKNOWN"));
            Verdict theirs = TwinOracle.verdict(() -> stock.checkClientTrusted(pair.twinChain(), "UNKNOWN"));
            String mismatch = compare("builder " + mode + " " + entry, mode, entry, true, mine, theirs);
            if (mismatch != null) {
                mismatches.add(mismatch);
            }
        }
        assertThat(mismatches).as(String.join("\n", mismatches)).isEmpty();
    }

    static Stream<EkuPolicy> modes() {
        return Stream.of(EkuPolicy.values());
    }

    /** Odd arguments are refused as the JDK and BC refuse them, before any EKU rule: IllegalArgumentException. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("directCases")
    void oddArgumentsAreRefusedAsTheStockManagerRefusesThem(Setup setup, Route route, EkuPolicy mode) {
        if (route == Route.RETROFIT) {
            return;
        }
        Pair serverAuthOnly = CORPUS.get(0).pair();
        X509TrustManager ours = wrapped(route, setup, mode, List.of());
        X509TrustManager stock = setup.build(mode, List.of());
        Object[][] odd = {
            {null, "EC"}, {new X509Certificate[0], "EC"}, {serverAuthOnly.chain(), null}, {serverAuthOnly.chain(), ""},
            {serverAuthOnly.twinChain(), null}, {serverAuthOnly.twinChain(), ""},
        };
        for (Object[] arguments : odd) {
            X509Certificate[] chain = (X509Certificate[]) arguments[0];
            String authType = (String) arguments[1];
            Verdict mine = TwinOracle.verdict(() -> ours.checkClientTrusted(chain, authType));
            Verdict theirs = TwinOracle.verdict(() -> stock.checkClientTrusted(chain, authType));
            assertThat(theirs.refusal()).as("the stock manager refuses chain %s authType %s", chain == null ? null : chain.length, authType)
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(mine.refusal()).as("EKU Bridge refuses chain %s authType %s as the stock manager does",
                    chain == null ? null : chain.length, authType).isInstanceOf(IllegalArgumentException.class);
        }
    }

    // ------------------------------------------------------------------------------------------------
    // real handshakes
    // ------------------------------------------------------------------------------------------------

    static Stream<Arguments> handshakeCases() {
        List<Arguments> cases = new ArrayList<>();
        for (Setup setup : new Setup[] {Setup.SUN_PKIX, Setup.BC_PKIX, Setup.APP_DIRECTIONS_DIFFER, Setup.APP_ACCEPT_ANY_SERVER_INNER_WRAPPED}) {
            for (String protocol : new String[] {"TLSv1.2", "TLSv1.3"}) {
                for (EkuPolicy mode : EkuPolicy.values()) {
                    cases.add(Arguments.of(setup, protocol, mode));
                }
            }
        }
        return cases.stream();
    }

    private static final java.util.Set<String> HANDSHAKE_RSA = java.util.Set.of("rsa-serverauth", "rsa-both", "rsa-nsct-server",
            "rsa-server-only-issuer", "rsa-pinned-self-signed", "rsa-ku-keyencipherment-only");

    /** The peer client presents the original to EKU Bridge's server side, and its twin to the stock one. */
    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("handshakeCases")
    void handshakesAgreeWithTheStockManagerOnTheTwin(Setup setup, String protocol, EkuPolicy mode) throws Exception {
        List<String> mismatches = new ArrayList<>();
        int handshakes = 0;
        for (Entry entry : CORPUS) {
            Pair pair = entry.pair();
            if (pair.name().startsWith("rsa-") && !HANDSHAKE_RSA.contains(pair.name())) {
                continue; // the direct calls cover every RSA entry; these few keep RSA in the handshakes
            }
            if (entry.revoked() || pair.name().contains("weak-key")
                    || pair.name().contains("ku-keyencipherment") && setup.jsse == Jsse.BC) {
                // revocation needs CRLs, and the direct calls cover it; neither engine's client signs with a 512-bit
                // key, and a BCJSSE client not with a key whose KeyUsage lacks digitalSignature, so no certificate
                // would reach the trust manager under test
                continue;
            }
            List<X509Certificate> pinned = entry.pinned() ? List.of(pair.leaf()) : List.of();
            List<X509Certificate> twinPinned = entry.pinned() ? List.of(pair.twin()) : List.of();
            HandshakeResult ours = handshake(setup, protocol, pair.key(), pair.chain(), wrapped(Route.RETROFIT, setup, mode, pinned));
            HandshakeResult stock = handshake(setup, protocol, pair.key(), pair.twinChain(), setup.build(mode, twinPinned));
            handshakes += 2;
            Verdict mine = new Verdict(ours.succeeded() ? null : firstCause(ours.serverFailure() != null ? ours.serverFailure() : ours.clientFailure()));
            Verdict theirs = new Verdict(stock.succeeded() ? null : firstCause(stock.serverFailure() != null ? stock.serverFailure() : stock.clientFailure()));
            String mismatch = compare(setup + " " + protocol + " " + mode + " " + entry, mode, entry, setup.recognisable, mine, theirs);
            if (mismatch != null) {
                mismatches.add(mismatch + "\n    ours:  " + ours + "\n    stock: " + stock);
            }
            if (ours.succeeded()) {
                assertThat(ours.serialSeenByServer()).isEqualTo(pair.leaf().getSerialNumber());
            }
        }
        assertThat(mismatches).as("%d handshakes; mismatches:%n%s", handshakes, String.join("\n", mismatches)).isEmpty();
    }

    /** The deepest cause whose message names the reason (the engines wrap the trust manager's refusal). */
    private static Throwable firstCause(Throwable failure) {
        Throwable found = failure;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof CertificateException || t instanceof IllegalArgumentException) {
                return t;
            }
        }
        return found;
    }

    private static HandshakeResult handshake(Setup setup, String protocol, java.security.PrivateKey key, X509Certificate[] chain,
            X509TrustManager serverTrust) {
        SSLContext client = setup.jsse.context(new KeyManager[] {TestPki.fixedKeyManager(key, chain)},
                new TrustManager[] {factoryManager("PKIX", setup.jsse, store(List.of(SERVER_ONLY_ROOT.certificate())))});
        SSLContext server = setup.jsse.context(new KeyManager[] {TestPki.fixedKeyManager(OUR_SERVER)}, new TrustManager[] {serverTrust});
        return Handshake.run(client, server, protocol, true);
    }

    /** The old server-direction relaxation is what this test exists to rule out: show that it differs here. */
    @Test
    void theCorpusSeparatesClientFromServerDirection() throws Exception {
        Map<String, String> differences = new LinkedHashMap<>();
        for (Setup setup : new Setup[] {Setup.SUN_PKIX, Setup.APP_DIRECTIONS_DIFFER, Setup.APP_ACCEPT_ANY_SERVER}) {
            for (Entry entry : CORPUS) {
                Pair pair = entry.pair();
                if (pair.isOwnTwin() || entry.pinned() || entry.revoked()) {
                    continue;
                }
                X509TrustManager manager = setup.build(EkuPolicy.LENIENT, List.of());
                Verdict asServer = TwinOracle.verdict(() -> manager.checkServerTrusted(pair.chain(), "UNKNOWN"));
                Verdict twinAsClient = TwinOracle.verdict(() -> manager.checkClientTrusted(pair.twinChain(), "UNKNOWN"));
                if (asServer.accepted() != twinAsClient.accepted()) {
                    differences.put(setup + " " + pair.name(), "as server " + asServer.text() + ", twin as client " + twinAsClient.text());
                }
            }
        }
        // anchors per direction, accept-any-server, the Netscape type: each must make the two directions disagree
        assertThat(differences.keySet()).as(differences.toString())
                .anyMatch(k -> k.startsWith("APP_DIRECTIONS_DIFFER ") && k.contains("server-only-issuer"))
                .anyMatch(k -> k.startsWith("APP_ACCEPT_ANY_SERVER ") && k.contains("self-signed"))
                .anyMatch(k -> k.startsWith("SUN_PKIX ") && k.contains("nsct-server"));
    }
}
