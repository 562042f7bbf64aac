package dev.ekubridge.agent.support;

import dev.ekubridge.testsupport.pki.Ca;
import dev.ekubridge.testsupport.pki.Issued;
import dev.ekubridge.testsupport.pki.KeyKind;
import dev.ekubridge.testsupport.pki.LeafEku;
import dev.ekubridge.testsupport.pki.TestPki;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;

/**
 * The PKI of the source document, generated at run time (test-support's {@link TestPki}) into a directory as
 * PKCS#12 files (EC P-256, password {@link #PASSWORD}): CA1 (internal) and CA2 (public, serverAuth-only leaves).
 * <ul>
 * <li>{@link #app}: the application's own certificate, CA2, serverAuth only, SAN localhost and 127.0.0.1;</li>
 * <li>{@link #clientIdentity}: the operator's client identity for the agent, CA1, clientAuth + serverAuth;</li>
 * <li>{@link #trustStore}: CA1 and CA2, the application's trust store;</li>
 * <li>{@link #garbage}: random bytes, not a key store;</li>
 * <li>{@link #ca1}: CA1, to issue more identities the trust store accepts (a rotated client identity).</li>
 * </ul>
 */
public record Pki(Path dir, Leaf app, Leaf clientIdentity, Path trustStore, Path garbage, Ca ca1) {
    public static final String PASSWORD = "changeit";

    /** A leaf in a PKCS#12 file (alias "identity", with its issuing CA in the chain). */
    public record Leaf(Path p12, X509Certificate certificate) {
        /** Upper-case hexadecimal, as the apps and the agent print serials. */
        public String serial() {
            return Issued.serialHex(certificate);
        }
    }

    public static Pki create(Path dir) throws IOException {
        Ca ca1 = TestPki.root("CN=EKU Bridge IT CA1 (internal)", KeyKind.EC_P256);
        Ca ca2 = TestPki.root("CN=EKU Bridge IT CA2 (public)", KeyKind.EC_P256);
        Issued app = ca2.leaf("CN=app.example.test").eku(LeafEku.SERVER_AUTH)
            .dnsNames("localhost").ipAddresses("127.0.0.1").keyPair(KeyKind.EC_P256.freshKeyPair()).issue();
        Issued client = ca1.leaf("CN=client.example.test").eku(LeafEku.BOTH)
            .dnsNames("localhost").ipAddresses("127.0.0.1").keyPair(KeyKind.EC_P256.freshKeyPair()).issue();
        char[] password = PASSWORD.toCharArray();
        Path appP12 = TestPki.writePkcs12(dir.resolve("app-ca2-serverauth.p12"), password, "identity", app.privateKey(),
            app.chainWithRoot());
        Path clientP12 = TestPki.writePkcs12(dir.resolve("client-ca1-clientauth.p12"), password, "identity",
            client.privateKey(), client.chainWithRoot());
        Path trustP12 = TestPki.writeTrustStore(dir.resolve("truststore.p12"), "PKCS12", password, ca1.certificate(),
            ca2.certificate());

        byte[] noise = new byte[2048];
        new SecureRandom().nextBytes(noise);
        Path garbage = Files.write(dir.resolve("garbage.p12"), noise);
        return new Pki(dir, new Leaf(appP12, app.certificate()), new Leaf(clientP12, client.certificate()), trustP12, garbage, ca1);
    }
}
