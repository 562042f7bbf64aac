package dev.ekubridge.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.ekubridge.testsupport.corpus.MalformedCorpus;
import dev.ekubridge.testsupport.corpus.MalformedCorpus.Case;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.stream.Stream;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code inspect} over PKCS#12 stores and properties files written here, with certificates made here. */
class InspectTest {
    private static final char[] PASSWORD = "s3cret-pw".toCharArray();

    @TempDir
    static Path dir;

    private static KeyPair caKeys;
    private static X509Certificate ca;
    private static Path serverStore;
    private static Path clientStore;
    private static Path trustStore;

    @BeforeAll
    static void pki() throws Exception {
        caKeys = ec("secp256r1");
        ca = certificate("CN=Inspect Test CA", caKeys.getPublic(), "CN=Inspect Test CA", caKeys.getPrivate(), 0xCA1L, true);
        KeyPair serverKeys = ec("secp256r1");
        X509Certificate server = certificate("CN=sip.example.com", serverKeys.getPublic(), "CN=Inspect Test CA", caKeys.getPrivate(),
            0x5E4E4L, false, KeyPurposeId.id_kp_serverAuth);
        KeyPair clientKeys = ec("secp384r1");
        X509Certificate client = certificate("CN=sip-client.example.com", clientKeys.getPublic(), "CN=Inspect Test CA",
            caKeys.getPrivate(), 0xC11E47L, false, KeyPurposeId.id_kp_clientAuth, KeyPurposeId.id_kp_serverAuth);
        serverStore = keyStore("server.p12", "sip", serverKeys.getPrivate(), server);
        clientStore = keyStore("client.p12", "dialout", clientKeys.getPrivate(), client);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca);
        trustStore = dir.resolve("trust.p12");
        try (OutputStream out = Files.newOutputStream(trustStore)) {
            trust.store(out, PASSWORD);
        }
    }

    private static KeyPair ec(String curve) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec(curve));
        return generator.generateKeyPair();
    }

    private static X509Certificate certificate(String subject, java.security.PublicKey key, String issuer, PrivateKey issuerKey,
            long serial, boolean isCa, KeyPurposeId... ekus) throws Exception {
        Instant now = Instant.now();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(new X500Name(issuer), BigInteger.valueOf(serial),
            Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(30))), new X500Name(subject), key);
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
        builder.addExtension(Extension.keyUsage, true,
            new KeyUsage(isCa ? KeyUsage.keyCertSign | KeyUsage.digitalSignature : KeyUsage.digitalSignature));
        if (ekus.length > 0) {
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(ekus));
        }
        return new JcaX509CertificateConverter().getCertificate(
            builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
    }

    private static Path keyStore(String name, String alias, PrivateKey key, X509Certificate leaf) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry(alias, key, PASSWORD, new X509Certificate[] {leaf, ca});
        Path file = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, PASSWORD);
        }
        return file;
    }

    private static Path properties(String name, String... lines) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, String.join("\n", lines).getBytes(StandardCharsets.ISO_8859_1));
        return file;
    }

    /** Forward slashes: a properties file reads backslashes as escapes. */
    private static String path(Path file) {
        return file.toAbsolutePath().toString().replace('\\', '/');
    }

    private static Cli.Run inspect(String... args) {
        return Cli.capture((out, err) -> Inspect.run(args, out, err));
    }

    @Test
    void showsBothRolesTheirSerialsEkusKeysTheModeAndTheTrustAnchors() throws IOException {
        Path passwordFile = dir.resolve("client.pw");
        Files.write(passwordFile, (new String(PASSWORD) + "\n").getBytes(StandardCharsets.UTF_8));
        Path config = properties("full.properties",
            "server.keystore=" + path(serverStore),
            "server.password=" + new String(PASSWORD),
            "client.keystore=" + path(clientStore),
            "client.password.file=" + path(passwordFile),
            "truststore=" + path(trustStore),
            "truststore.password=" + new String(PASSWORD),
            "inbound.eku=lenient");

        Cli.Run r = inspect("--config", config.toString());

        assertThat(r.status()).as(r.err()).isZero();
        String out = r.out();
        assertThat(out).contains("config file " + config);
        // server role: its entry, serial, EKU, key and verdict for the role
        assertThat(out).containsPattern("server role: 1 identity")
            .containsPattern("\\[1\\] sip\\s")
            .containsPattern("serial\\s+5E4E4\\n")
            .containsPattern("subject\\s+CN=sip.example.com")
            .containsPattern("issuer\\s+CN=Inspect Test CA")
            .containsPattern("EKU\\s+serverAuth\\n")
            .contains("EC P-256")
            .contains("server role: permitted (serverAuth)");
        // client role: its own identity, not the upgrade default
        assertThat(out).contains("client role: 1 identity of its own")
            .contains("upgrade default: no")
            .containsPattern("\\[1\\] dialout\\s")
            .containsPattern("serial\\s+C11E47\\n")
            .containsPattern("EKU\\s+clientAuth, serverAuth\\n")
            .contains("EC P-384")
            .contains("client role: permitted (clientAuth)")
            .containsPattern("chain\\s+2 certificates");
        assertThat(out).containsPattern("valid\\s+\\S+Z \\.\\. \\S+Z \\((29|30) days left\\)");
        assertThat(out).contains("inbound EKU (peers that connect to us): lenient");
        assertThat(out).contains("trust anchors: 1 certificate from truststore " + path(trustStore))
            .containsPattern("subject\\s+CN=Inspect Test CA")
            .containsPattern("serial\\s+CA1\\n");
        // never a password
        assertThat(out + r.err()).doesNotContain(new String(PASSWORD));
    }

    @Test
    void serverOnlyIsTheUpgradeDefaultAndTheJdkTrustStoreIsCountedNotListed() throws IOException {
        Path config = properties("server-only.properties",
            "server.keystore=" + path(serverStore),
            "server.password=" + new String(PASSWORD));

        Cli.Run r = inspect("--config=" + config);

        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("under the agent the application's own key manager serves it")
            .contains("the server identity below is presented (upgrade default)")
            .contains("upgrade default: yes")
            .contains("client role: NOT permitted by its EKU (no clientAuth)")
            .contains("inbound EKU (peers that connect to us): strict")
            .contains("trust anchors: none configured")
            .containsPattern("JDK default trust store, used where the application gives none, has [1-9][0-9]* anchors");
        // the server's serial is listed under both roles
        assertThat(r.out().split("serial\\s+5E4E4\\n", -1)).hasSize(3);
        assertThat(r.out()).doesNotContain("- subject");
    }

    @Test
    void keyValuePairsWorkLikeAgentArguments() {
        Cli.Run r = inspect("server.keystore=" + path(serverStore), "server.password=" + new String(PASSWORD), "client.identity=server",
            "inbound.eku=audit");

        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("EKU Bridge configuration from command line")
            .contains("client role: presents the server identity (client.identity=server")
            .contains("upgrade default: no")
            .contains("inbound EKU (peers that connect to us): audit");
    }

    @Test
    void aFileThatIsNoKeyStoreIsOneErrorLineNamingTheKeyAndExitTwo() throws IOException {
        Path garbage = dir.resolve("not-a-store.p12");
        Files.write(garbage, "this is not a key store".getBytes(StandardCharsets.US_ASCII));
        Path config = properties("bad.properties", "server.keystore=" + path(garbage), "server.password=x");

        Cli.Run r = inspect("--config", config.toString());

        assertThat(r.status()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().strip().split("\n")).hasSize(1);
        assertThat(r.err()).startsWith("error: ").contains("server.keystore").contains(garbage.toString())
            .contains("not a PKCS#12 or JKS key store");
    }

    @Test
    void wrongPasswordAndUnknownKeyAreErrorsToo() throws IOException {
        Cli.Run wrong = inspect("--config", properties("wrong.properties",
            "server.keystore=" + path(serverStore), "server.password=not-it").toString());
        assertThat(wrong.status()).isEqualTo(2);
        assertThat(wrong.err()).startsWith("error: ").contains("server.keystore").contains("wrong password")
            .doesNotContain("not-it");
        assertThat(wrong.err().strip().split("\n")).hasSize(1);

        Path typo = properties("typo.properties", "server.kestore=" + path(serverStore));
        Cli.Run unknown = inspect("--config", typo.toString());
        assertThat(unknown.status()).isEqualTo(2);
        // a key of a file is named by its line, never echoed (it could be a bare password); ours is suggested
        assertThat(unknown.err()).startsWith("error: config file " + typo + " line 1: unknown key")
            .contains("did you mean server.keystore?").doesNotContain("server.kestore");

        Cli.Run missing = inspect("--config", dir.resolve("no-such.properties").toString());
        assertThat(missing.status()).isEqualTo(2);
        assertThat(missing.err()).startsWith("error: ").contains("no-such.properties");
    }

    // ------------------------------------------------------------------------------------------------
    // the malformed-input corpus (the provider's src/test/resources/malformed/)
    // ------------------------------------------------------------------------------------------------

    static Stream<Case> corpus() {
        return MalformedCorpus.prepare(dir.resolve("corpus")).stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void eachBadInputIsOneErrorLineWithoutStackTraceOrSecret(Case c) {
        Assumptions.assumeTrue(c.available(), c.unavailable());

        Cli.Run r = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> inspect(c.arguments()), c + " in bounded time");

        System.out.println(c + ": " + r.err().strip());
        assertThat(r.status()).as("%s: %s", c, r).isEqualTo(2);
        assertThat(r.out()).as(c.toString()).isEmpty();
        assertThat(r.err().strip().split("\n")).as(c + ": one line: " + r.err()).hasSize(1);
        // the corpus words its sources for the agent; on the command line they are command-line arguments
        List<String> expected = c.expected().stream().map(e -> e.replace("agent argument", "command-line argument")).toList();
        assertThat(r.err()).as(c.toString()).startsWith("error: ").contains(expected).doesNotContain("agent argument")
            .doesNotContain("\tat ").doesNotContain("Exception in thread");
        assertThat(MalformedCorpus.rawControlIn(r.err().strip())).as(c + ": printable: " + r.err()).isNull();
        assertThat(MalformedCorpus.secretIn(r.out() + r.err())).as(c + ": no secret: " + r).isNull();
    }

    @Test
    void theSecondWordOfAPasswordWithASpaceIsNotEchoed() {
        // the shell split "server.password=S3cret-Zebra Violet-42": the second word arrives as an argument of its own
        Cli.Run r = inspect("server.keystore=" + path(serverStore), "server.password=S3cret-Zebra", "Violet-42");

        assertThat(r.status()).isEqualTo(64);
        assertThat(r.err()).contains("argument 3 is neither --config FILE nor key=value").contains("quoted");
        assertThat(MalformedCorpus.secretIn(r.out() + r.err())).as(r.err()).isNull();

        Cli.Run afterConfig = inspect("--config", "a.properties", "Violet-42");
        assertThat(afterConfig.status()).isEqualTo(64);
        assertThat(afterConfig.err()).doesNotContain("Violet");
    }

    @Test
    void errorsCallTheCommandLineItsOwnArgumentsNotAgentArguments() {
        Cli.Run bad = inspect("inbound.eku=loose");
        assertThat(bad.status()).isEqualTo(2);
        assertThat(bad.err()).contains("inbound.eku (from command-line argument inbound.eku)").doesNotContain("agent argument");

        Cli.Run unknown = inspect("server.kestore=/nowhere");
        assertThat(unknown.status()).isEqualTo(2);
        assertThat(unknown.err()).contains("(from command-line argument server.kestore); did you mean server.keystore?")
            .doesNotContain("agent argument");

        Cli.Run twice = inspect("inbound.eku=strict", "inbound.eku=lenient");
        assertThat(twice.status()).isEqualTo(2);
        assertThat(twice.err()).contains("command-line argument inbound.eku is given twice").doesNotContain("agent argument");

        Cli.Run missing = inspect("--config", dir.resolve("absent.properties").toString());
        assertThat(missing.err()).contains("absent.properties").doesNotContain("agent argument");
    }

    @Test
    void jsonIsOneDocumentWithBothRolesTheModeAndTheAnchors() throws IOException {
        Path config = properties("json.properties",
            "server.keystore=" + path(serverStore),
            "server.password=" + new String(PASSWORD),
            "truststore=" + path(trustStore),
            "truststore.password=" + new String(PASSWORD),
            "inbound.eku=audit");

        Cli.Run r = inspect("--config", config.toString(), "--json");

        assertThat(r.status()).as(r.err()).isZero();
        com.fasterxml.jackson.databind.JsonNode json = Cli.parse(r.out());
        assertThat(json.get("command").asText()).isEqualTo("inspect");
        assertThat(json.get("source").asText()).isEqualTo("config file " + config);
        assertThat(json.at("/server/identities/0/serial").asText()).isEqualTo("5E4E4");
        assertThat(json.at("/server/identities/0/eku/0").asText()).isEqualTo("serverAuth");
        assertThat(json.at("/server/identities/0/key").asText()).isEqualTo("EC P-256");
        assertThat(json.at("/client/kind").asText()).isEqualTo("upgrade-default");
        assertThat(json.at("/client/upgradeDefault").asBoolean()).isTrue();
        assertThat(json.at("/client/identities/0/permitsRole").asBoolean()).isFalse();
        assertThat(json.get("inboundEku").asText()).isEqualTo("audit");
        assertThat(json.at("/trust/anchorCount").asInt()).isEqualTo(1);
        assertThat(json.at("/trust/anchors/0/serial").asText()).isEqualTo("CA1");
        assertThat(json.get("exitStatus").asInt()).isZero();
        assertThat(r.out()).doesNotContain(new String(PASSWORD));
    }

    @Test
    void usageErrorsExit64WithAUsageLine() {
        for (String[] args : new String[][] {{}, {"--config"}, {"--config", "a", "b"}, {"stray"}, {"--verbose"}}) {
            Cli.Run r = inspect(args);
            assertThat(r.status()).as(String.join(" ", args)).isEqualTo(64);
            assertThat(r.err()).as(String.join(" ", args)).contains("usage: java -jar ekubridge-agent.jar inspect --config FILE");
        }
    }
}
