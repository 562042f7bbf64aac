package dev.ekubridge.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ekubridge.agent.apps.TwinHandshakeApp;
import dev.ekubridge.agent.support.Forked;
import dev.ekubridge.testsupport.pki.Ca;
import dev.ekubridge.testsupport.pki.Issued;
import dev.ekubridge.testsupport.pki.KeyKind;
import dev.ekubridge.testsupport.pki.LeafEku;
import dev.ekubridge.testsupport.pki.TestPki;
import dev.ekubridge.testsupport.pki.TwinOracle;
import dev.ekubridge.testsupport.pki.TwinOracle.Verdict;
import dev.ekubridge.testsupport.pki.Twins;
import dev.ekubridge.testsupport.pki.Twins.Pair;
import dev.ekubridge.testsupport.process.Jdk;
import dev.ekubridge.testsupport.process.Jvm;
import dev.ekubridge.testsupport.process.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.PolicyInformation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The EKU policy's rule through the agent's retrofit path, in real JVMs: an unmodified mutual-TLS server
 * ({@link TwinHandshakeApp}, its own PKIX trust manager from the engine's factory) judges each client certificate of
 * a corpus under {@code -javaagent:...=inbound.eku=MODE}, and, without the agent, each certificate's twin (the same
 * certificate with only its EKU made to permit clientAuth). Every verdict must be the twin's, except that
 * {@code strict} refuses what lacks clientAuth and {@code server-auth} also demands serverAuth. SunJSSE and BCJSSE,
 * JDK 17 and 25.
 */
class AgentTwinDifferentialIT {
    private static final char[] PASSWORD = "twin-corpus".toCharArray();
    private static final List<String> MODES = List.of("strict", "lenient", "audit", "server-auth");

    @TempDir
    static Path dir;
    private static final Map<String, Pair> CORPUS = new LinkedHashMap<>();
    private static Path serverStore;

    @BeforeAll
    static void writeCorpus() throws Exception {
        Ca ca = TestPki.root("Agent Twin CA", KeyKind.EC_P256);
        Ca untrusted = TestPki.root("Agent Twin Untrusted", KeyKind.EC_P256);
        Issued server = ca.leaf("twin-server.example").eku(LeafEku.SERVER_AUTH).issue();
        Twins.Spec base = Twins.Spec.of("serverauth", ca, KeyKind.EC_P256.pooledKeyPair());
        Instant now = Instant.now();
        List<Pair> pinned = new ArrayList<>();
        for (Pair pair : List.of(
                base.issue(),
                base.named("both").eku(KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth).issue(),
                base.named("codesigning").eku(KeyPurposeId.id_kp_codeSigning).issue(),
                base.named("no-eku").eku().issue(),
                base.named("nsct-server").netscapeCertType(false, (byte) 0x40).issue(),
                base.named("ku-keyencipherment-only").keyUsage(KeyUsage.keyEncipherment).issue(),
                base.named("expired").validity(now.minus(Duration.ofDays(60)), now.minus(Duration.ofDays(30))).issue(),
                base.named("critical-policies").extension(Extension.certificatePolicies, true,
                    new DERSequence(new PolicyInformation(new ASN1ObjectIdentifier("2.5.29.32.0")))).issue(),
                base.named("control-characters").subject("CN=evil\nINFO forged,O=x").issue(),
                Twins.Spec.of("untrusted-issuer", untrusted, KeyKind.EC_P256.pooledKeyPair()).issue())) {
            CORPUS.put(pair.name(), pair);
        }
        Pair pinnedLeaf = Twins.Spec.of("pinned-self-signed", null, KeyKind.EC_P256.freshKeyPair()).issue();
        CORPUS.put(pinnedLeaf.name(), pinnedLeaf);
        pinned.add(pinnedLeaf);
        Files.createDirectories(dir.resolve("originals"));
        Files.createDirectories(dir.resolve("twins"));
        for (Pair pair : CORPUS.values()) {
            TestPki.writePkcs12(dir.resolve("originals").resolve(pair.name() + ".p12"), PASSWORD, "peer", pair.key(), pair.chain());
            TestPki.writePkcs12(dir.resolve("twins").resolve(pair.name() + ".p12"), PASSWORD, "peer", pair.key(), pair.twinChain());
        }
        serverStore = TestPki.writePkcs12(dir.resolve("server.p12"), PASSWORD, Map.of("server", server));
        List<X509Certificate> anchors = new ArrayList<>(List.of(ca.certificate()));
        List<X509Certificate> twinAnchors = new ArrayList<>(anchors);
        for (Pair pair : pinned) {
            anchors.add(pair.leaf());
            twinAnchors.add(pair.twin());
        }
        TestPki.writeTrustStore(dir.resolve("trust-originals.p12"), "PKCS12", PASSWORD, anchors.toArray(new X509Certificate[0]));
        TestPki.writeTrustStore(dir.resolve("trust-twins.p12"), "PKCS12", PASSWORD, twinAnchors.toArray(new X509Certificate[0]));
    }

    static Stream<Arguments> variants() {
        return Forked.jdks().flatMap(jdk -> Stream.of(Arguments.of(jdk, "SunJSSE", "TLSv1.3"), Arguments.of(jdk, "BCJSSE", "TLSv1.2")));
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("variants")
    void everyVerdictUnderTheAgentIsTheStockVerdictOnTheTwin(Jdk jdk, String engine, String protocol) throws Exception {
        Forked.assumeInstalled(jdk);
        Map<String, Verdict> twins = verdicts(run(jdk, engine, protocol, "twins", null));
        assertThat(twins).as("the stock server judged every twin").hasSize(CORPUS.size());
        assertThat(twins.get("serverauth").accepted()).as("control: the twin of a serverAuth-only leaf passes").isTrue();
        List<String> mismatches = new ArrayList<>();
        for (String mode : MODES) {
            Map<String, Verdict> ours = verdicts(run(jdk, engine, protocol, "originals", mode));
            for (Map.Entry<String, Pair> entry : CORPUS.entrySet()) {
                String name = entry.getKey();
                if ("BCJSSE".equals(engine) && name.startsWith("ku-")) {
                    continue; // a BCJSSE client will not sign with a key whose KeyUsage lacks digitalSignature
                }
                String mismatch = TwinOracle.compare(jdk + " " + engine + " " + mode + " " + name, mode, entry.getValue().leaf(),
                    true, ours.get(name), twins.get(name));
                if (mismatch != null) {
                    mismatches.add(mismatch);
                }
            }
        }
        assertThat(mismatches).as(String.join("\n", mismatches)).isEmpty();
    }

    private static Outcome run(Jdk jdk, String engine, String protocol, String cases, String mode) {
        List<String> options = new ArrayList<>();
        if (mode != null) {
            options.add(Jvm.javaagent("inbound.eku=" + mode));
        }
        String trust = dir.resolve(mode == null ? "trust-twins.p12" : "trust-originals.p12").toString();
        Outcome outcome = Forked.run(Forked.javaCommand(jdk, options, Forked.appClassPath(), TwinHandshakeApp.class, engine, protocol,
            serverStore.toString(), trust, dir.resolve(cases).toString(), new String(PASSWORD)), dir);
        assertThat(outcome.exit()).as(outcome.describe()).isZero();
        if (mode != null) {
            assertThat(outcome.stderr()).as("the agent is installed").contains("installed: ");
        }
        return outcome;
    }

    /** The app's CASE lines; a refusal keeps its text, so that the oracle can read EKU Bridge's own messages. */
    private static Map<String, Verdict> verdicts(Outcome outcome) {
        Map<String, Verdict> verdicts = new LinkedHashMap<>();
        for (String line : outcome.stdout().split("\\R")) {
            String[] parts = line.split(" ", 4);
            if (parts.length >= 3 && "CASE".equals(parts[0])) {
                verdicts.put(parts[1], "accepted".equals(parts[2]) ? new Verdict(null)
                    : new Verdict(new CertificateException(parts.length > 3 ? parts[3] : "")));
            }
        }
        return verdicts;
    }
}
