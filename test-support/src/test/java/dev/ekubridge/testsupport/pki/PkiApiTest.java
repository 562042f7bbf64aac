package dev.ekubridge.testsupport.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the agent's, the it module's and the benchmarks' PKIs need beyond the harness test's: names, SANs, dates, files. */
class PkiApiTest {
    private static final char[] PASSWORD = "changeit".toCharArray();

    @TempDir
    Path dir;

    @Test
    void aNameWithAnEqualsSignIsAWholeDistinguishedNameElseACommonName() {
        Ca root = TestPki.root("CN=Root (internal),O=EKU Bridge it", KeyKind.EC_P256);
        Issued leaf = root.leaf("core.example.com").issue();

        // Bouncy Castle's X500Name writes the RDNs in the order the JDK prints last-first
        assertThat(root.certificate().getSubjectX500Principal().getName()).isEqualTo("O=EKU Bridge it,CN=Root (internal)");
        assertThat(leaf.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=core.example.com");
        assertThat(leaf.certificate().getIssuerX500Principal()).isEqualTo(root.certificate().getSubjectX500Principal());
    }

    @Test
    void subjectAlternativeNamesHoldTheDnsNamesThenTheIpAddresses() throws Exception {
        Issued leaf = TestPki.root("SAN Root", KeyKind.EC_P256).leaf("san").dnsNames("localhost", "a.example")
            .ipAddresses("127.0.0.1").issue();

        List<List<?>> names = new ArrayList<>(leaf.certificate().getSubjectAlternativeNames());
        assertThat(names).containsExactly(List.of(2, "localhost"), List.of(2, "a.example"), List.of(7, "127.0.0.1"));
        assertThat(TestPki.root("No SAN", KeyKind.EC_P256).leaf("none").issue().certificate().getSubjectAlternativeNames())
            .isNull();
    }

    @Test
    void aRootCanBeDatedBackToIssueLeavesOfThatTime() throws Exception {
        Instant from = Instant.parse("2020-01-01T00:00:00Z");
        Instant until = from.plus(7300, ChronoUnit.DAYS);
        Ca root = TestPki.root("Old Root", KeyKind.EC_P256, from, until);
        Instant leafFrom = Instant.parse("2024-06-01T00:00:00Z");
        Issued leaf = root.leaf("old").validity(leafFrom, Instant.now().plus(1, ChronoUnit.DAYS))
            .serial(BigInteger.valueOf(0x1234)).issue();

        assertThat(root.certificate().getNotBefore().toInstant()).isEqualTo(from);
        assertThat(root.certificate().getNotAfter().toInstant()).isEqualTo(until);
        assertThat(leaf.certificate().getNotBefore().toInstant()).isEqualTo(leafFrom);
        assertThat(leaf.serialHex()).isEqualTo("1234");
        leaf.certificate().verify(root.keyPair().getPublic());
    }

    @Test
    void anIssuedOfForeignOriginHasNoIssuerAndSaysSo() {
        Issued made = TestPki.root("Foreign Root", KeyKind.EC_P256).leaf("x").issue();
        Issued foreign = Issued.of(made.keyPair(), made.certificate());

        assertThat(foreign.chain()).containsExactly(made.certificate());
        assertThat(foreign.issuer()).isNull();
        assertThatIllegalStateException().isThrownBy(foreign::chainWithRoot);
        assertThat(made.chainWithRoot()).hasSize(2);
    }

    @Test
    void aPkcs12FileKeepsTheChainItWasGivenAndPemChainsReadBack() throws Exception {
        Ca root = TestPki.root("File Root", KeyKind.EC_P256);
        Issued leaf = root.intermediate("File Issuing").leaf("file").issue();
        Path p12 = TestPki.writePkcs12(dir.resolve("sub/leaf.p12"), PASSWORD, "identity", leaf.privateKey(),
            leaf.chainWithRoot());

        KeyStore store = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(p12)) {
            store.load(in, PASSWORD);
        }
        assertThat(store.getCertificateChain("identity")).containsExactly(leaf.chainWithRoot());

        String pem = Pem.chain(leaf.chain());
        List<String> lines = new ArrayList<>(List.of("noise", "Client certificate"));
        lines.addAll(Arrays.asList(pem.split("\\R")));
        lines.add("Client certificate");
        X509Certificate[] back = Pem.certificatesAfter(lines, "Client certificate").toArray(new X509Certificate[0]);
        assertThat(back).containsExactly(leaf.certificate());
    }
}
