package dev.ekubridge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ekubridge.testsupport.pki.Ca;
import dev.ekubridge.testsupport.pki.Issued;
import dev.ekubridge.testsupport.pki.KeyKind;
import dev.ekubridge.testsupport.pki.LeafEku;
import dev.ekubridge.testsupport.pki.Pem;
import dev.ekubridge.testsupport.pki.TestPki;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link EkuBridge#writeDiagnostics(Path)}: one PEM file per role identity holding its chain, one per anchor of
 * a configured trust store (none for the JDK default trust), never a private key; anchors that share a serial
 * number (different CAs) get a file each.
 */
class DiagnosticsTest {

    private static final Ca ROOT = TestPki.root("Diagnostics Root", KeyKind.EC_P256);
    private static final Ca ISSUING = ROOT.intermediate("Diagnostics Issuing");
    private static final Issued SERVER = ISSUING.leaf("diag-server").eku(LeafEku.SERVER_AUTH).issue();
    private static final Issued CLIENT = ISSUING.leaf("diag-client").eku(LeafEku.CLIENT_AUTH).issue();
    private static final BigInteger SHARED_SERIAL = BigInteger.valueOf(4242);
    /** Two pinned anchors from two different CAs with the same serial number. */
    private static final Issued PINNED_A = TestPki.root("Diagnostics CA A", KeyKind.EC_P256).leaf("pinned-a").serial(SHARED_SERIAL).issue();
    private static final Issued PINNED_B = TestPki.root("Diagnostics CA B", KeyKind.EC_P256).leaf("pinned-b").serial(SHARED_SERIAL).issue();

    @TempDir
    Path dir;

    private static EkuBridge.Builder identities() {
        return EkuBridge.builder()
                .serverIdentity(Identity.of("server", "test", SERVER.privateKey(), SERVER.chain()))
                .clientIdentity(Identity.of("client", "test", CLIENT.privateKey(), CLIENT.chain()));
    }

    private static List<Path> files(Path directory, String prefix) throws Exception {
        try (Stream<Path> list = Files.list(directory)) {
            return list.filter(file -> file.getFileName().toString().startsWith(prefix)).sorted().collect(Collectors.toList());
        }
    }

    private static List<X509Certificate> parse(Path file) {
        return Pem.certificates(file);
    }

    private static void assertNoPrivateKeyIn(Path directory) throws Exception {
        try (Stream<Path> list = Files.list(directory)) {
            for (Path file : list.collect(Collectors.toList())) {
                assertThat(Files.readString(file, StandardCharsets.US_ASCII)).as(file.toString()).doesNotContain("PRIVATE KEY");
            }
        }
    }

    @Test
    void writesEachRolesChainAndEachConfiguredAnchorWithSameSerialAnchorsApart() throws Exception {
        assertThat(PINNED_A.serial()).isEqualTo(PINNED_B.serial());
        assertThat(PINNED_A.certificate().getIssuerX500Principal()).isNotEqualTo(PINNED_B.certificate().getIssuerX500Principal());
        EkuBridge bridge = identities()
                .trustStore(TestPki.trustStore(ROOT.certificate(), PINNED_A.certificate(), PINNED_B.certificate()))
                .build();

        bridge.writeDiagnostics(dir);

        List<Path> server = files(dir, "server-");
        List<Path> client = files(dir, "client-");
        assertThat(server).hasSize(1);
        assertThat(client).hasSize(1);
        assertThat(server.get(0).getFileName().toString()).endsWith(".pem");
        assertThat(parse(server.get(0))).containsExactly(SERVER.chain());
        assertThat(parse(client.get(0))).containsExactly(CLIENT.chain());
        assertThat(SERVER.chain()).as("the chain holds the intermediate too").hasSize(2);

        List<Path> anchors = files(dir, "ca-");
        assertThat(anchors).as("one file per anchor, the two with serial %s apart", SHARED_SERIAL).hasSize(3);
        List<X509Certificate> written = new ArrayList<>();
        for (Path anchor : anchors) {
            assertThat(anchor.getFileName().toString()).endsWith(".pem");
            List<X509Certificate> certificates = parse(anchor);
            assertThat(certificates).hasSize(1);
            written.addAll(certificates);
        }
        assertThat(written).containsExactlyInAnyOrder(ROOT.certificate(), PINNED_A.certificate(), PINNED_B.certificate());
        assertThat(files(dir, "")).as("nothing else").hasSize(5);
        assertNoPrivateKeyIn(dir);
    }

    @Test
    void writesNoAnchorsForTheJdkDefaultTrust() throws Exception {
        EkuBridge bridge = identities().build();
        assertThat(bridge.usesDefaultTrust()).isTrue();

        bridge.writeDiagnostics(dir);

        assertThat(files(dir, "ca-")).isEmpty();
        assertThat(files(dir, "server-")).hasSize(1);
        assertThat(files(dir, "client-")).hasSize(1);
        assertThat(parse(files(dir, "server-").get(0))).containsExactly(SERVER.chain());
        assertNoPrivateKeyIn(dir);
    }

    @Test
    void createsTheDirectory() throws Exception {
        Path nested = dir.resolve("a").resolve("b");
        identities().build().writeDiagnostics(nested);
        assertThat(files(nested, "server-")).hasSize(1);
    }
}
