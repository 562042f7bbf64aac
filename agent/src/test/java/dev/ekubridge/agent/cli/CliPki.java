package dev.ekubridge.agent.cli;

import dev.ekubridge.testsupport.pki.Ca;
import dev.ekubridge.testsupport.pki.Issued;
import dev.ekubridge.testsupport.pki.KeyKind;
import dev.ekubridge.testsupport.pki.LeafEku;
import dev.ekubridge.testsupport.pki.Pem;
import dev.ekubridge.testsupport.pki.TestPki;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The scenarios' PKI for the command-line tests (docs/scenarios.md), generated at run time into a directory:
 * CA1 (private) issues serverAuth+clientAuth, CA2 (public) serverAuth only. PKCS#12 files (password
 * {@link #PASSWORD}, alias {@code identity}, chain with the root), PEM files for {@code openssl s_server}, trust
 * stores, and properties files.
 */
final class CliPki {
    static final String PASSWORD = "changeit";

    /** A leaf written as PKCS#12 (chain with root) and as PEM (certificate chain, PKCS#8 key). */
    record Leaf(Issued issued, Path p12, Path certPem, Path keyPem) {
        String serial() {
            return issued.serialHex();
        }

        X509Certificate certificate() {
            return issued.certificate();
        }
    }

    final Path dir;
    final Ca ca1;
    final Ca ca2;
    /** CA2, serverAuth only, SAN localhost and 127.0.0.1: the Edge's public certificate. */
    final Leaf edge;
    /** CA1, serverAuth and clientAuth: the Core's private client certificate (scenario 2.1). */
    final Leaf coreClient;
    /** CA1, both EKUs, expiring in 10 days. */
    final Leaf expiring;
    /** Issued by an intermediate of CA2, stored without that intermediate. */
    final Leaf incomplete;
    /** CA1 and CA2. */
    final Path trustStore;
    /** CA2 only: public roots. */
    final Path publicTrustStore;
    /** CA1 and CA2 as PEM, for openssl -CAfile. */
    final Path caBundle;

    CliPki(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Instant now = Instant.now();
        Instant from = now.minus(Duration.ofHours(1));
        Instant yearOn = now.plus(Duration.ofDays(365));
        ca1 = TestPki.root("CN=EKU Bridge CLI CA1 (internal)", KeyKind.EC_P256);
        ca2 = TestPki.root("CN=EKU Bridge CLI CA2 (public)", KeyKind.EC_P256);
        edge = write("edge", ca2.leaf("CN=edge.example.test").eku(LeafEku.SERVER_AUTH).validity(from, yearOn)
            .dnsNames("localhost", "edge.example.test").ipAddresses("127.0.0.1").keyPair(KeyKind.EC_P256.freshKeyPair()).issue(), true);
        coreClient = write("core-client", ca1.leaf("CN=core.example.test").eku(LeafEku.BOTH).validity(from, yearOn)
            .dnsNames("core.example.test").keyPair(KeyKind.EC_P256.freshKeyPair()).issue(), true);
        expiring = write("expiring", ca1.leaf("CN=expiring.example.test").eku(LeafEku.BOTH)
            .validity(from, now.plus(Duration.ofDays(10)).plus(Duration.ofHours(1)))
            .keyPair(KeyKind.EC_P256.freshKeyPair()).issue(), true);
        Ca intermediate = ca2.intermediate("CN=EKU Bridge CLI CA2 issuing");
        incomplete = write("incomplete", intermediate.leaf("CN=incomplete.example.test").eku(LeafEku.SERVER_AUTH).validity(from, yearOn)
            .keyPair(KeyKind.EC_P256.freshKeyPair()).issue(), false);
        trustStore = TestPki.writeTrustStore(dir.resolve("trust.p12"), "PKCS12", PASSWORD.toCharArray(), ca1.certificate(),
            ca2.certificate());
        publicTrustStore = TestPki.writeTrustStore(dir.resolve("public-trust.p12"), "PKCS12", PASSWORD.toCharArray(),
            ca2.certificate());
        caBundle = Pem.writeChain(dir.resolve("cas.pem"), ca1.certificate(), ca2.certificate());
    }

    private Leaf write(String name, Issued issued, boolean withChain) {
        X509Certificate[] chain = withChain ? issued.chainWithRoot() : new X509Certificate[] {issued.certificate()};
        Path p12 = TestPki.writePkcs12(dir.resolve(name + ".p12"), PASSWORD.toCharArray(), "identity", issued.privateKey(), chain);
        Path cert = Pem.writeChain(dir.resolve(name + ".crt"), withChain ? issued.chain() : chain);
        Path key = Pem.writePkcs8(dir.resolve(name + ".key"), issued.privateKey());
        return new Leaf(issued, p12, cert, key);
    }

    /** A properties file in the directory; forward slashes, since a properties file reads backslashes as escapes. */
    Path properties(String name, String... lines) {
        Path file = dir.resolve(name);
        try {
            Files.write(file, String.join("\n", lines).getBytes(StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    static String path(Path file) {
        return file.toAbsolutePath().toString().replace('\\', '/');
    }

    /** {@code server.keystore=...}, {@code server.password=...} for a leaf. */
    static List<String> server(Leaf leaf) {
        return List.of("server.keystore=" + path(leaf.p12()), "server.password=" + PASSWORD);
    }

    static List<String> client(Leaf leaf) {
        return List.of("client.keystore=" + path(leaf.p12()), "client.password=" + PASSWORD);
    }

    static List<String> trust(Path store) {
        return List.of("truststore=" + path(store), "truststore.password=" + PASSWORD);
    }

    /** Joins groups of lines into one properties file. */
    @SafeVarargs
    final Path config(String name, List<String>... groups) {
        List<String> lines = new ArrayList<>();
        for (List<String> group : groups) {
            lines.addAll(group);
        }
        return properties(name, lines.toArray(new String[0]));
    }
}
