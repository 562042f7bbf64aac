package dev.ekubridge;

import static dev.ekubridge.testing.BridgeErrors.thrownBy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ekubridge.EkuBridgeException.Reason;
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
import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.KeyManager;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.misc.MiscObjectIdentifiers;
import org.bouncycastle.asn1.misc.ScryptParams;
import org.bouncycastle.asn1.pkcs.EncryptionScheme;
import org.bouncycastle.asn1.pkcs.KeyDerivationFunc;
import org.bouncycastle.asn1.pkcs.PBES2Parameters;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.crypto.util.ScryptConfig;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfoBuilder;
import org.bouncycastle.pkcs.jcajce.JcePKCSPBEOutputEncryptorBuilder;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loading identities from PKCS#12, JKS and PEM files, each distinct load error, and the admission
 * checks {@link EkuBridge.Builder#build()} applies per role.
 */
class IdentityLoadingTest {
    private static final char[] PASSWORD = "st0re-Pa55".toCharArray();
    private static final String SECRET_KEY_PASSWORD = "k3y-Secr3t-Value";

    private static final Ca ROOT = TestPki.root("Loading Root", KeyKind.EC_P256);
    private static final Ca ISSUING = ROOT.intermediate("Loading Issuing CA");
    private static final Issued SERVER = ISSUING.leaf("server.loading.example").eku(LeafEku.SERVER_AUTH)
        .dnsNames("server.loading.example").issue();
    private static final Issued CLIENT = ISSUING.leaf("client.loading.example").eku(LeafEku.CLIENT_AUTH).issue();
    private static final Issued BOTH = ISSUING.leaf("both.loading.example").eku(LeafEku.BOTH).issue();
    /** RSA leaf under the EC issuing CA: one RSA key generation for the whole class. */
    private static final Issued RSA = ISSUING.leaf("rsa.loading.example").keyKind(KeyKind.RSA_2048).eku(LeafEku.BOTH).issue();

    private static String upperHex(BigInteger serial) {
        return serial.toString(16).toUpperCase(Locale.ROOT);
    }

    private static String subject(Issued issued) {
        return issued.certificate().getSubjectX500Principal().getName();
    }

    private static Map<String, Issued> entries(Object... aliasThenIssued) {
        Map<String, Issued> map = new LinkedHashMap<>();
        for (int i = 0; i < aliasThenIssued.length; i += 2) {
            map.put((String) aliasThenIssued[i], (Issued) aliasThenIssued[i + 1]);
        }
        return map;
    }

    /** A small RSA key (fast to generate) that belongs to no certificate. */
    private static PrivateKey strayRsaKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(1024);
            return generator.generateKeyPair().getPrivate();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final BouncyCastleProvider BC = new BouncyCastleProvider();

    /**
     * OpenSSL's legacy encrypted PEM ("Proc-Type: 4,ENCRYPTED" + "DEK-Info"), as {@code openssl rsa -aes256}
     * or {@code openssl ec -aes256} writes it. EC keys are written as full SEC1 (curve and public key), as
     * OpenSSL does: the JDK's own PKCS#8 encoding carries a bare SEC1 that names no curve.
     */
    private static String legacyEncryptedPem(PrivateKey key, char[] password) throws IOException {
        Object toWrite = key instanceof ECPrivateKey ? fullSec1(key) : key;
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(toWrite, new JcePEMEncryptorBuilder("AES-256-CBC").setProvider(BC).build(password));
        }
        return out.toString();
    }

    /** {@code issued}'s key encrypted under {@link #SECRET_KEY_PASSWORD}, as PKCS#8 and as OpenSSL's legacy PEM. */
    private static List<Path> encryptedPemKeys(Path dir, Issued issued) throws IOException {
        char[] password = SECRET_KEY_PASSWORD.toCharArray();
        return List.of(Pem.writeEncryptedPkcs8(dir.resolve("pkcs8.key"), issued.privateKey(), password),
            Files.writeString(dir.resolve("legacy.key"), legacyEncryptedPem(issued.privateKey(), password)));
    }

    /** The EC key as a PrivateKeyInfo whose inner SEC1 structure names the curve and carries the public key. */
    private static PrivateKeyInfo fullSec1(PrivateKey key) throws IOException {
        try (PEMParser parser = new PEMParser(new StringReader(Pem.pkcs1OrSec1(key)))) {
            return ((PEMKeyPair) parser.readObject()).getPrivateKeyInfo();
        }
    }

    /** "EC PRIVATE KEY" naming the curve but without the optional public key, as {@code openssl ec -no_public} writes it. */
    private static org.bouncycastle.asn1.sec.ECPrivateKey sec1WithoutPublicKey(PrivateKey key) {
        PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getEncoded());
        ASN1ObjectIdentifier curve = ASN1ObjectIdentifier.getInstance(info.getPrivateKeyAlgorithm().getParameters());
        return new org.bouncycastle.asn1.sec.ECPrivateKey(256, ((ECPrivateKey) key).getS(), curve);
    }

    /** Same private key, whatever the encoding (SEC1 read back may carry the curve and public key the JDK's encoding omits). */
    private static void assertSameKey(PrivateKey actual, PrivateKey expected) {
        assertThat(actual.getAlgorithm()).isEqualTo(expected.getAlgorithm());
        if (expected instanceof ECPrivateKey) {
            assertThat(((ECPrivateKey) actual).getS()).isEqualTo(((ECPrivateKey) expected).getS());
            assertThat(((ECPrivateKey) actual).getParams().getOrder()).isEqualTo(((ECPrivateKey) expected).getParams().getOrder());
        } else {
            assertThat(actual.getEncoded()).isEqualTo(expected.getEncoded());
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Key stores
    // ------------------------------------------------------------------------------------------------

    @Nested
    class KeyStores {
        @Test
        void loadsPkcs12(@TempDir Path dir) {
            Path file = TestPki.writePkcs12(dir.resolve("server.p12"), PASSWORD, entries("sip", SERVER));

            List<Identity> identities = Identities.fromKeyStore(file, PASSWORD, null);

            assertThat(identities).hasSize(1);
            Identity identity = identities.get(0);
            assertThat(identity.name()).isEqualTo("sip");
            assertThat(identity.serial()).isEqualTo(SERVER.serial());
            assertThat(identity.privateKey().getEncoded()).isEqualTo(SERVER.privateKey().getEncoded());
            assertThat(identity.chain()).containsExactly(SERVER.chain());
            assertThat(identity.source()).contains(file.toString());
            assertThat(identity.permits(Role.SERVER)).isTrue();
            assertThat(identity.permits(Role.CLIENT)).isFalse();
            assertThat(identity.keyAlgorithm()).isEqualTo("EC");
        }

        @Test
        void loadsJks(@TempDir Path dir) {
            Path file = TestPki.writeJks(dir.resolve("client.jks"), PASSWORD, entries("mtls", CLIENT));

            List<Identity> identities = Identities.fromKeyStore(file, PASSWORD, null);

            assertThat(identities).extracting(Identity::name).containsExactly("mtls");
            assertThat(identities.get(0).serial()).isEqualTo(CLIENT.serial());
            assertThat(identities.get(0).chain()).containsExactly(CLIENT.chain());
            assertThat(identities.get(0).permits(Role.CLIENT)).isTrue();
        }

        @Test
        void typeComesFromTheContentNotTheExtension(@TempDir Path dir) {
            Path jksNamedP12 = TestPki.writeJks(dir.resolve("actually-jks.p12"), PASSWORD, entries("one", SERVER));
            Path p12NamedJks = TestPki.writePkcs12(dir.resolve("actually-p12.jks"), PASSWORD, entries("two", BOTH));
            Path noExtension = TestPki.writeJks(dir.resolve("store"), PASSWORD, entries("three", CLIENT));

            assertThat(Identities.fromKeyStore(jksNamedP12, PASSWORD, null)).extracting(Identity::serial).containsExactly(SERVER.serial());
            assertThat(Identities.fromKeyStore(p12NamedJks, PASSWORD, null)).extracting(Identity::serial).containsExactly(BOTH.serial());
            assertThat(Identities.fromKeyStore(noExtension, PASSWORD, null)).extracting(Identity::serial).containsExactly(CLIENT.serial());
        }

        @Test
        void multipleEntriesComeSortedByAlias(@TempDir Path dir) {
            Path p12 = TestPki.writePkcs12(dir.resolve("many.p12"), PASSWORD, entries("zeta", SERVER, "alpha", CLIENT, "mid", BOTH));
            Path jks = TestPki.writeJks(dir.resolve("many.jks"), PASSWORD, entries("zeta", SERVER, "alpha", CLIENT, "mid", BOTH));

            for (Path file : new Path[] {p12, jks}) {
                List<Identity> identities = Identities.fromKeyStore(file, PASSWORD, null);
                assertThat(identities).extracting(Identity::name).as(file.toString()).containsExactly("alpha", "mid", "zeta");
                assertThat(identities).extracting(Identity::serial).containsExactly(CLIENT.serial(), BOTH.serial(), SERVER.serial());
            }
        }

        @Test
        void aliasSelectsOneEntry(@TempDir Path dir) {
            Path file = TestPki.writePkcs12(dir.resolve("many.p12"), PASSWORD, entries("zeta", SERVER, "alpha", CLIENT, "mid", BOTH));

            List<Identity> identities = Identities.fromKeyStore(file, PASSWORD, "mid");

            assertThat(identities).hasSize(1);
            assertThat(identities.get(0).name()).isEqualTo("mid");
            assertThat(identities.get(0).serial()).isEqualTo(BOTH.serial());
            assertThat(identities.get(0).privateKey().getEncoded()).isEqualTo(BOTH.privateKey().getEncoded());
        }

        @Test
        void trustedCertificateEntriesAreNotIdentities(@TempDir Path dir) throws Exception {
            java.security.KeyStore store = TestPki.keyStore("PKCS12", PASSWORD, entries("key", BOTH));
            store.setCertificateEntry("anchor", ROOT.certificate());

            List<Identity> identities = Identities.fromKeyStore(store, PASSWORD, null, "in-memory store");

            assertThat(identities).extracting(Identity::name).containsExactly("key");
        }

        @Test
        void loadsAnRsaEntry(@TempDir Path dir) {
            Path file = TestPki.writePkcs12(dir.resolve("rsa.p12"), PASSWORD, entries("rsa", RSA));

            Identity identity = Identities.fromKeyStore(file, PASSWORD, null).get(0);

            assertThat(identity.keyAlgorithm()).isEqualTo("RSA");
            assertThat(identity.serial()).isEqualTo(RSA.serial());
        }
    }

    // ------------------------------------------------------------------------------------------------
    // PEM
    // ------------------------------------------------------------------------------------------------

    @Nested
    class PemFiles {
        private void assertLoads(Path cert, Path key, char[] password, Issued expected) {
            Identity identity = Identities.fromPem(cert, key, password);
            assertThat(identity.serial()).isEqualTo(expected.serial());
            assertThat(identity.chain()).containsExactly(expected.chain());
            assertSameKey(identity.privateKey(), expected.privateKey());
            assertThat(identity.name()).isEqualTo(cert.getFileName().toString());
            assertThat(identity.source()).contains(cert.toString()).contains(key.toString());
        }

        @Test
        void pkcs8EcAndRsa(@TempDir Path dir) {
            assertLoads(Pem.writeChain(dir.resolve("ec.crt"), SERVER.chain()),
                Pem.writePkcs8(dir.resolve("ec.key"), SERVER.privateKey()), null, SERVER);
            assertLoads(Pem.writeChain(dir.resolve("rsa.crt"), RSA.chain()),
                Pem.writePkcs8(dir.resolve("rsa.key"), RSA.privateKey()), null, RSA);
        }

        /** Writes {@code issued}'s key in its algorithm's traditional form (PKCS#1 or SEC 1) and loads it back. */
        private void assertLoadsTraditional(Path dir, String name, Issued issued, String header, Class<?> keyType)
                throws IOException {
            Path key = Pem.writePkcs1OrSec1(dir.resolve(name + ".key"), issued.privateKey());
            assertThat(Files.readString(key)).contains("-----BEGIN " + header + "-----");

            Path chain = Pem.writeChain(dir.resolve(name + ".crt"), issued.chain());
            assertLoads(chain, key, null, issued);
            assertThat(Identities.fromPem(chain, key, null).privateKey()).isInstanceOf(keyType);
        }

        @Test
        void pkcs1Rsa(@TempDir Path dir) throws IOException {
            assertLoadsTraditional(dir, "rsa", RSA, "RSA PRIVATE KEY", RSAPrivateCrtKey.class);
        }

        @Test
        void sec1Ec(@TempDir Path dir) throws IOException {
            assertLoadsTraditional(dir, "ec", CLIENT, "EC PRIVATE KEY", ECPrivateKey.class);
        }

        @Test
        void sec1WithoutPublicKeyPlainAndLegacyEncrypted(@TempDir Path dir) throws IOException {
            char[] password = SECRET_KEY_PASSWORD.toCharArray();
            org.bouncycastle.asn1.sec.ECPrivateKey sec1 = sec1WithoutPublicKey(CLIENT.privateKey());
            assertThat(sec1.getPublicKey()).isNull();
            assertThat(sec1.getParametersObject()).isNotNull();
            Path plain = Files.writeString(dir.resolve("plain.key"),
                "-----BEGIN EC PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(sec1.getEncoded()) + "\n-----END EC PRIVATE KEY-----\n");
            StringWriter out = new StringWriter();
            try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
                PrivateKeyInfo info = new PrivateKeyInfo(
                    new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, sec1.getParametersObject()), sec1);
                writer.writeObject(info, new JcePEMEncryptorBuilder("AES-128-CBC").setProvider(BC).build(password));
            }
            Path encrypted = Files.writeString(dir.resolve("encrypted.key"), out.toString());
            assertThat(out.toString()).contains("-----BEGIN EC PRIVATE KEY-----").contains("Proc-Type: 4,ENCRYPTED");
            Path cert = Pem.writeChain(dir.resolve("ec.crt"), CLIENT.chain());

            assertLoads(cert, plain, null, CLIENT);
            assertLoads(cert, encrypted, password, CLIENT);
        }

        @Test
        void encryptedPkcs8WithPassword(@TempDir Path dir) throws IOException {
            char[] password = SECRET_KEY_PASSWORD.toCharArray();
            Path key = Pem.writeEncryptedPkcs8(dir.resolve("ec.key"), BOTH.privateKey(), password);
            assertThat(Files.readString(key)).contains("-----BEGIN ENCRYPTED PRIVATE KEY-----");

            assertLoads(Pem.writeChain(dir.resolve("ec.crt"), BOTH.chain()), key, password, BOTH);
        }

        @Test
        void legacyOpenSslEncryptedRsaAndEc(@TempDir Path dir) throws IOException {
            char[] password = SECRET_KEY_PASSWORD.toCharArray();
            Path rsaKey = Files.writeString(dir.resolve("rsa.key"), legacyEncryptedPem(RSA.privateKey(), password));
            Path ecKey = Files.writeString(dir.resolve("ec.key"), legacyEncryptedPem(SERVER.privateKey(), password));
            assertThat(Files.readString(rsaKey)).contains("-----BEGIN RSA PRIVATE KEY-----").contains("Proc-Type: 4,ENCRYPTED")
                .contains("DEK-Info: AES-256-CBC");
            assertThat(Files.readString(ecKey)).contains("-----BEGIN EC PRIVATE KEY-----").contains("Proc-Type: 4,ENCRYPTED");

            assertLoads(Pem.writeChain(dir.resolve("rsa.crt"), RSA.chain()), rsaKey, password, RSA);
            assertLoads(Pem.writeChain(dir.resolve("ec.crt"), SERVER.chain()), ecKey, password, SERVER);
        }

        @Test
        void chainWithRootIsAccepted(@TempDir Path dir) {
            Identity identity = Identities.fromPem(Pem.writeChain(dir.resolve("full.crt"), SERVER.chainWithRoot()),
                Pem.writePkcs8(dir.resolve("k.pem"), SERVER.privateKey()), null);

            assertThat(identity.chain()).containsExactly(SERVER.chainWithRoot());
        }

        @Test
        void keyBlockMayShareTheFileWithTheChain(@TempDir Path dir) throws IOException {
            Path both = Files.writeString(dir.resolve("combined.pem"),
                Pem.chain(CLIENT.chain()) + Pem.pkcs8(CLIENT.privateKey()));

            Identity identity = Identities.fromPem(both, both, null);

            assertThat(identity.serial()).isEqualTo(CLIENT.serial());
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Errors: one distinct reason each, naming the file
    // ------------------------------------------------------------------------------------------------

    @Nested
    class Errors {
        @Test
        void missingFile(@TempDir Path dir) {
            Path missing = dir.resolve("nowhere.p12");

            EkuBridgeException e = thrownBy(Reason.UNREADABLE_FILE, () -> Identities.fromKeyStore(missing, PASSWORD, null));
            assertThat(e.getMessage()).contains(missing.toString()).contains("no such file");
        }

        @Test
        void directoryIsNotAFile(@TempDir Path dir) throws IOException {
            Path directory = Files.createDirectory(dir.resolve("certs"));
            Path key = Pem.writePkcs8(dir.resolve("k.pem"), SERVER.privateKey());

            EkuBridgeException store = thrownBy(() -> Identities.fromKeyStore(directory, PASSWORD, null));
            EkuBridgeException pemCert = thrownBy(() -> Identities.fromPem(directory, key, null));

            for (EkuBridgeException e : new EkuBridgeException[] {store, pemCert}) {
                assertThat(e.reason()).isEqualTo(Reason.UNREADABLE_FILE);
                assertThat(e.getMessage()).contains(directory.toString()).contains("directory");
            }
        }

        @Test
        void missingPemKeyFile(@TempDir Path dir) {
            Path cert = Pem.writeChain(dir.resolve("c.pem"), SERVER.chain());
            Path key = dir.resolve("absent.key");

            EkuBridgeException e = thrownBy(Reason.UNREADABLE_FILE, () -> Identities.fromPem(cert, key, null));
            assertThat(e.getMessage()).contains(key.toString());
        }

        @Test
        void randomBytesAreAnUnknownFormat(@TempDir Path dir) throws IOException {
            byte[] noise = new byte[2048];
            new Random(42).nextBytes(noise);
            noise[0] = 0x17; // neither a DER SEQUENCE nor a JKS/JCEKS magic number
            Path file = Files.write(dir.resolve("noise.p12"), noise);

            EkuBridgeException e = thrownBy(Reason.UNKNOWN_FORMAT, () -> Identities.fromKeyStore(file, PASSWORD, null));
            assertThat(e.getMessage()).contains(file.toString()).contains("not a PKCS#12 or JKS key store").doesNotContain("PEM");
        }

        @Test
        void randomDerLookingBytesAreAnUnknownFormatNotAWrongPassword(@TempDir Path dir) throws IOException {
            byte[] noise = new byte[2048];
            new Random(7).nextBytes(noise);
            noise[0] = 0x30; // looks like the start of a PKCS#12 SEQUENCE
            Path file = Files.write(dir.resolve("noise.pfx"), noise);

            EkuBridgeException e = thrownBy(Reason.UNKNOWN_FORMAT, () -> Identities.fromKeyStore(file, PASSWORD, null));
            assertThat(e.getMessage()).contains(file.toString());
        }

        @Test
        void pemGivenAsKeyStoreSaysItIsPem(@TempDir Path dir) {
            Path file = Pem.writeChain(dir.resolve("server.p12"), SERVER.chain());

            EkuBridgeException e = thrownBy(Reason.UNKNOWN_FORMAT, () -> Identities.fromKeyStore(file, PASSWORD, null));
            assertThat(e.getMessage()).contains(file.toString()).contains("it is PEM");
        }

        @Test
        void pemFilesWithoutCertificateOrKey(@TempDir Path dir) {
            Path keyOnly = Pem.writePkcs8(dir.resolve("key-only.pem"), SERVER.privateKey());
            Path certOnly = Pem.writeChain(dir.resolve("cert-only.pem"), SERVER.chain());

            EkuBridgeException noCert = thrownBy(() -> Identities.fromPem(keyOnly, keyOnly, null));
            EkuBridgeException noKey = thrownBy(() -> Identities.fromPem(certOnly, certOnly, null));

            assertThat(noCert.reason()).isEqualTo(Reason.UNKNOWN_FORMAT);
            assertThat(noCert.getMessage()).contains(keyOnly.toString()).contains("no PEM certificate");
            assertThat(noKey.reason()).isEqualTo(Reason.UNKNOWN_FORMAT);
            assertThat(noKey.getMessage()).contains(certOnly.toString()).contains("no PEM private key");
        }

        @Test
        void wrongPasswordPkcs12(@TempDir Path dir) {
            Path file = TestPki.writePkcs12(dir.resolve("server.p12"), PASSWORD, entries("sip", SERVER));

            EkuBridgeException e = thrownBy(Reason.WRONG_PASSWORD, () -> Identities.fromKeyStore(file, "not-it".toCharArray(), null));
            assertThat(e.getMessage()).contains(file.toString()).contains("wrong password").doesNotContain("not-it");
        }

        @Test
        void wrongPasswordJks(@TempDir Path dir) {
            Path file = TestPki.writeJks(dir.resolve("server.jks"), PASSWORD, entries("sip", SERVER));

            EkuBridgeException e = thrownBy(Reason.WRONG_PASSWORD, () -> Identities.fromKeyStore(file, "not-it".toCharArray(), null));
            assertThat(e.getMessage()).contains(file.toString()).contains("wrong password").doesNotContain("not-it");
        }

        @Test
        void wrongPasswordForEncryptedPemKeys(@TempDir Path dir) throws IOException {
            Path cert = Pem.writeChain(dir.resolve("c.pem"), RSA.chain());

            for (Path key : encryptedPemKeys(dir, RSA)) {
                EkuBridgeException e = thrownBy(() -> Identities.fromPem(cert, key, "not-it".toCharArray()));
                assertThat(e.reason()).as(key.toString()).isEqualTo(Reason.WRONG_PASSWORD);
                assertThat(e.getMessage()).contains(key.toString()).contains("wrong password").doesNotContain("not-it");
            }
        }

        @Test
        void encryptedPemKeyWithoutPassword(@TempDir Path dir) throws IOException {
            Path cert = Pem.writeChain(dir.resolve("c.pem"), SERVER.chain());

            for (Path key : encryptedPemKeys(dir, SERVER)) {
                for (char[] none : new char[][] {null, new char[0]}) {
                    EkuBridgeException e = thrownBy(Reason.WRONG_PASSWORD, () -> Identities.fromPem(cert, key, none));
                    assertThat(e.getMessage()).contains(key.toString()).contains("encrypted private key but no password was given");
                }
            }
        }

        @Test
        void storeWithOnlyTrustedCertificatesIsEmpty(@TempDir Path dir) {
            Path p12 = TestPki.writeTrustStore(dir.resolve("trust.p12"), "PKCS12", PASSWORD, ROOT.certificate(), ISSUING.certificate());
            Path jks = TestPki.writeTrustStore(dir.resolve("trust.jks"), "JKS", PASSWORD, ROOT.certificate());

            for (Path file : new Path[] {p12, jks}) {
                EkuBridgeException e = thrownBy(Reason.EMPTY_STORE, () -> Identities.fromKeyStore(file, PASSWORD, null));
                assertThat(e.getMessage()).contains(file.toString()).contains("no private key");
            }
        }

        @Test
        void noSuchAliasListsTheAvailableOnes(@TempDir Path dir) {
            Path file = TestPki.writePkcs12(dir.resolve("many.p12"), PASSWORD, entries("zeta", SERVER, "alpha", CLIENT));

            EkuBridgeException e = thrownBy(Reason.NO_SUCH_ALIAS, () -> Identities.fromKeyStore(file, PASSWORD, "sip"));
            assertThat(e.getMessage()).contains(file.toString()).contains("'sip'").contains("[alpha, zeta]");
        }

        @Test
        void noSuchAliasInAStoreWithoutKeys(@TempDir Path dir) {
            Path file = TestPki.writeTrustStore(dir.resolve("trust.p12"), "PKCS12", PASSWORD, ROOT.certificate());

            EkuBridgeException e = thrownBy(Reason.NO_SUCH_ALIAS, () -> Identities.fromKeyStore(file, PASSWORD, "anchor-0"));
            assertThat(e.getMessage()).contains(file.toString()).contains("no private-key entries");
        }

        @Test
        void ecKeyDoesNotMatchCertificate(@TempDir Path dir) {
            Path cert = Pem.writeChain(dir.resolve("server.crt"), SERVER.chain());
            // a CA key: TestPki never gives a leaf its issuer's key pair
            Path key = Pem.writePkcs8(dir.resolve("other.key"), ISSUING.privateKey());

            EkuBridgeException e = thrownBy(Reason.KEY_MISMATCH, () -> Identities.fromPem(cert, key, null));
            assertThat(e.getMessage()).contains(cert.toString()).contains(key.toString())
                .contains(subject(SERVER)).contains(upperHex(SERVER.serial()));
        }

        @Test
        void rsaKeyDoesNotMatchCertificate(@TempDir Path dir) {
            Path cert = Pem.writeChain(dir.resolve("rsa.crt"), RSA.chain());
            Path key = Pem.writePkcs1OrSec1(dir.resolve("other.key"), strayRsaKey());

            EkuBridgeException e = thrownBy(Reason.KEY_MISMATCH, () -> Identities.fromPem(cert, key, null));
            assertThat(e.getMessage()).contains(cert.toString()).contains(subject(RSA)).contains(upperHex(RSA.serial()));
        }

        @Test
        void keyOfTheOtherAlgorithmDoesNotMatch(@TempDir Path dir) {
            Path ecCert = Pem.writeChain(dir.resolve("ec.crt"), SERVER.chain());
            Path rsaKey = Pem.writePkcs8(dir.resolve("rsa.key"), RSA.privateKey());
            Path rsaCert = Pem.writeChain(dir.resolve("rsa.crt"), RSA.chain());
            Path ecKey = Pem.writePkcs8(dir.resolve("ec.key"), SERVER.privateKey());

            assertThat(thrownBy(() -> Identities.fromPem(ecCert, rsaKey, null)).reason()).isEqualTo(Reason.KEY_MISMATCH);
            assertThat(thrownBy(() -> Identities.fromPem(rsaCert, ecKey, null)).reason()).isEqualTo(Reason.KEY_MISMATCH);
        }

        @Test
        void keyMismatchThroughIdentityOf() {
            EkuBridgeException e = thrownBy(Reason.KEY_MISMATCH,
                () -> Identity.of("x", "unit test", ISSUING.privateKey(), SERVER.chain()));
            assertThat(e.getMessage()).startsWith("unit test: ").contains(upperHex(SERVER.serial()));
        }

        @Test
        void chainOutOfOrderLeafRootIntermediate(@TempDir Path dir) {
            Path cert = Pem.writeChain(dir.resolve("disordered.crt"),
                SERVER.certificate(), ROOT.certificate(), ISSUING.certificate());
            Path key = Pem.writePkcs8(dir.resolve("k.pem"), SERVER.privateKey());

            EkuBridgeException e = thrownBy(Reason.CHAIN_OUT_OF_ORDER, () -> Identities.fromPem(cert, key, null));
            assertThat(e.getMessage()).contains(cert.toString()).contains("out of order")
                .contains(subject(SERVER)).contains(upperHex(SERVER.serial()));
        }

        @Test
        void chainOutOfOrderWithTwoIntermediatesSwapped(@TempDir Path dir) {
            Ca second = ISSUING.intermediate("Loading Second Issuing CA");
            Issued leaf = second.leaf("deep.loading.example").eku(LeafEku.BOTH).issue();
            X509Certificate[] chain = leaf.chain();
            assertThat(chain).hasSize(3);
            Path cert = Pem.writeChain(dir.resolve("swapped.crt"), chain[0], chain[2], chain[1]);
            Path key = Pem.writePkcs8(dir.resolve("k.pem"), leaf.privateKey());

            EkuBridgeException e = thrownBy(Reason.CHAIN_OUT_OF_ORDER, () -> Identities.fromPem(cert, key, null));
            assertThat(e.getMessage()).contains(cert.toString()).contains(upperHex(leaf.serial()));
            // in order, the same certificates load
            Path ordered = Pem.writeChain(dir.resolve("ordered.crt"), leaf.chainWithRoot());
            assertThat(Identities.fromPem(ordered, key, null).chain()).hasSize(4);
        }

        @Test
        void chainBrokenByMissingIntermediate(@TempDir Path dir) {
            Path cert = Pem.writeChain(dir.resolve("gap.crt"), SERVER.certificate(), ROOT.certificate());
            Path key = Pem.writePkcs8(dir.resolve("k.pem"), SERVER.privateKey());

            EkuBridgeException e = thrownBy(Reason.CHAIN_BROKEN, () -> Identities.fromPem(cert, key, null));
            assertThat(e.getMessage()).contains(cert.toString()).contains("broken")
                .contains(subject(SERVER)).contains(upperHex(SERVER.serial()))
                .contains(ISSUING.certificate().getSubjectX500Principal().getName());
        }

        @Test
        void chainBrokenByCorruptSignature(@TempDir Path dir) {
            Issued corrupt = ISSUING.leaf("corrupt.loading.example").eku(LeafEku.BOTH).corruptSignature().issue();
            Path cert = Pem.writeChain(dir.resolve("corrupt.crt"), corrupt.chain());
            Path key = Pem.writePkcs8(dir.resolve("k.pem"), corrupt.privateKey());

            EkuBridgeException e = thrownBy(Reason.CHAIN_BROKEN, () -> Identities.fromPem(cert, key, null));
            assertThat(e.getMessage()).contains(cert.toString()).contains("signature")
                .contains(subject(corrupt)).contains(upperHex(corrupt.serial()));
        }

        @Test
        void chainErrorsInAKeyStoreEntryNameTheFileAndEntry(@TempDir Path dir) throws Exception {
            java.security.KeyStore store = java.security.KeyStore.getInstance("JKS");
            store.load(null, null);
            store.setKeyEntry("gap", SERVER.privateKey(), PASSWORD, new X509Certificate[] {SERVER.certificate(), ROOT.certificate()});
            Path file = dir.resolve("gap.jks");
            Files.write(file, TestPki.toBytes(store, PASSWORD));

            EkuBridgeException e = thrownBy(Reason.CHAIN_BROKEN, () -> Identities.fromKeyStore(file, PASSWORD, null));
            assertThat(e.getMessage()).contains(file.toString()).contains("'gap'").contains(upperHex(SERVER.serial()));
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Admission through the builder
    // ------------------------------------------------------------------------------------------------

    @Nested
    class Admission {
        private Identity pem(Path dir, String name, Issued issued) {
            return Identities.fromPem(Pem.writeChain(dir.resolve(name + ".crt"), issued.chain()),
                Pem.writePkcs8(dir.resolve(name + ".key"), issued.privateKey()), null);
        }

        @Test
        void clientIdentityWithoutClientAuthIsRefused(@TempDir Path dir) {
            BigInteger serial = new BigInteger("ABCDEF0123456789", 16);
            Issued serverOnly = ISSUING.leaf("core.loading.example").eku(LeafEku.SERVER_AUTH).serial(serial).issue();
            Identity identity = pem(dir, "core", serverOnly);

            EkuBridgeException e = thrownBy(Reason.MISSING_EKU, () -> EkuBridge.builder().clientIdentity(identity).build());
            assertThat(e.getMessage())
                .contains("client usage attribute")
                .contains(subject(serverOnly))
                .contains("ABCDEF0123456789")
                .doesNotContain("abcdef0123456789")
                .contains("client.identity=server")
                .contains(dir.resolve("core.crt").toString());
        }

        @Test
        void clientIdentityWithCodeSigningOnlyIsRefusedToo() {
            Issued codeSigning = ISSUING.leaf("signer.loading.example").eku(LeafEku.CODE_SIGNING).issue();
            Identity identity = Identity.of("signer", "test source", codeSigning.privateKey(), codeSigning.chain());

            EkuBridgeException e = thrownBy(Reason.MISSING_EKU, () -> EkuBridge.builder().clientIdentity(identity).build());
            assertThat(e.getMessage()).contains("codeSigning");
        }

        @Test
        void serverIdentityWithoutServerAuthIsRefused(@TempDir Path dir) {
            Identity identity = pem(dir, "client-only", CLIENT);

            EkuBridgeException e = thrownBy(Reason.MISSING_EKU, () -> EkuBridge.builder().serverIdentity(identity).build());
            assertThat(e.getMessage()).contains("server").contains("serverAuth").contains(subject(CLIENT))
                .contains(upperHex(CLIENT.serial())).contains(dir.resolve("client-only.crt").toString());
        }

        @Test
        void identitiesWithoutEkuOrWithAnyEkuServeBothRoles() {
            Issued none = ISSUING.leaf("none.loading.example").eku(LeafEku.NONE).issue();
            Issued any = ISSUING.leaf("any.loading.example").eku(LeafEku.ANY).issue();
            Identity noEku = Identity.of("none", "test", none.privateKey(), none.chain());
            Identity anyEku = Identity.of("any", "test", any.privateKey(), any.chain());

            EkuBridge bridge = EkuBridge.builder().serverIdentity(noEku, anyEku).clientIdentity(anyEku, noEku).build();

            assertThat(bridge.keyManager().identities(Role.SERVER)).containsExactly(noEku, anyEku);
            assertThat(bridge.keyManager().identities(Role.CLIENT)).containsExactly(anyEku, noEku);
        }

        @Test
        void clientUsesServerIdentityAdmitsAServerAuthOnlyCertificate() throws Exception {
            Identity server = Identity.of("sip", "test", SERVER.privateKey(), SERVER.chain());

            EkuBridge bridge = EkuBridge.builder().serverIdentity(server).clientUsesServerIdentity()
                .trustStore(TestPki.trustStore(ROOT.certificate())).build();

            RoleAwareKeyManager keyManager = bridge.keyManager();
            assertThat(keyManager.identities(Role.CLIENT)).containsExactly(server);
            String alias = keyManager.chooseClientAlias(new String[] {"EC"}, null, null);
            assertThat(alias).isNotNull();
            assertThat(keyManager.identity(alias)).isSameAs(server);
            assertThat(keyManager.getCertificateChain(alias)).containsExactly(SERVER.chain());
            assertThat(keyManager.getPrivateKey(alias)).isEqualTo(SERVER.privateKey());

            // and in a real handshake a lenient server sees the server certificate as the client certificate
            Identity peer = Identity.of("peer", "test", BOTH.privateKey(), BOTH.chain());
            EkuBridge lenientPeer = EkuBridge.builder().serverIdentity(peer).inboundEku(EkuPolicy.LENIENT)
                .trustStore(TestPki.trustStore(ROOT.certificate())).build();
            HandshakeResult result = Handshake.run(context(bridge), context(lenientPeer), "TLSv1.3", true);
            assertThat(result.succeeded()).as(result.failureText()).isTrue();
            assertThat(result.serialSeenByServer()).isEqualTo(SERVER.serial());
            assertThat(result.serialSeenByClient()).isEqualTo(BOTH.serial());
        }

        private SSLContext context(EkuBridge bridge) {
            return Jsse.SUN.context(new KeyManager[] {bridge.keyManager()}, new TrustManager[] {bridge.trustManager()});
        }

        @Test
        void clientUsesServerIdentityConflictsWithClientIdentities() {
            Identity server = Identity.of("sip", "test", SERVER.privateKey(), SERVER.chain());
            Identity client = Identity.of("mtls", "test", CLIENT.privateKey(), CLIENT.chain());

            EkuBridgeException e = thrownBy(Reason.CONFLICTING_KEYS,
                () -> EkuBridge.builder().serverIdentity(server).clientIdentity(client)
                .clientUsesServerIdentity().build());
        }

        /** A leaf of {@link #ISSUING} valid from {@code from} until {@code until}, both counted from now (negative: in the past). */
        private Issued leafValid(String dnsName, LeafEku eku, Duration from, Duration until) {
            Instant now = Instant.now();
            return ISSUING.leaf(dnsName).eku(eku).validity(now.plus(from), now.plus(until)).issue();
        }

        @Test
        void expiredIdentityIsRefused() {
            Issued expired = leafValid("expired.loading.example", LeafEku.BOTH, Duration.ofDays(-60), Duration.ofDays(-1));
            Identity identity = Identity.of("old", "expired source", expired.privateKey(), expired.chain());

            for (boolean asServer : new boolean[] {true, false}) {
                EkuBridge.Builder builder = EkuBridge.builder();
                if (asServer) {
                    builder.serverIdentity(identity);
                } else {
                    builder.clientIdentity(identity);
                }
                EkuBridgeException e = thrownBy(Reason.EXPIRED, builder::build);
                assertThat(e.getMessage()).contains("expired source").contains("expired").contains(upperHex(expired.serial()));
            }
        }

        @Test
        void notYetValidIdentityIsRefused() {
            Issued future = leafValid("future.loading.example", LeafEku.BOTH, Duration.ofDays(1), Duration.ofDays(60));
            Identity identity = Identity.of("new", "future source", future.privateKey(), future.chain());

            EkuBridgeException e = thrownBy(Reason.NOT_YET_VALID, () -> EkuBridge.builder().serverIdentity(identity).build());
            assertThat(e.getMessage()).contains("future source").contains("not valid before").contains(upperHex(future.serial()));
        }

        @Test
        void expiryIsCheckedBeforeEkuEvenWithClientUsesServerIdentity() {
            Issued expired = leafValid("expired2.loading.example", LeafEku.SERVER_AUTH, Duration.ofDays(-60), Duration.ofDays(-1));
            Identity identity = Identity.of("old", "test", expired.privateKey(), expired.chain());

            EkuBridgeException e = thrownBy(Reason.EXPIRED,
                () -> EkuBridge.builder().serverIdentity(identity).clientUsesServerIdentity().build());
        }

        @Test
        void upgradeDefaultClientRolePresentsTheServerIdentities() {
            Identity first = Identity.of("a", "test", SERVER.privateKey(), SERVER.chain());
            Identity second = Identity.of("b", "test", BOTH.privateKey(), BOTH.chain());

            EkuBridge bridge = EkuBridge.builder().serverIdentity(first, second).build();

            assertThat(bridge.keyManager().identities(Role.SERVER)).containsExactly(first, second);
            assertThat(bridge.keyManager().identities(Role.CLIENT)).isEqualTo(bridge.keyManager().identities(Role.SERVER));
            String alias = bridge.keyManager().chooseClientAlias(new String[] {"EC"}, null, null);
            assertThat(bridge.keyManager().identity(alias)).isSameAs(first);
        }

        @Test
        void noUpgradeDefaultWhenTheApplicationServesTheClientRole() throws Exception {
            Identity server = Identity.of("a", "test", SERVER.privateKey(), SERVER.chain());
            javax.net.ssl.KeyManagerFactory factory = javax.net.ssl.KeyManagerFactory.getInstance("SunX509");
            factory.init(TestPki.keyStore("PKCS12", PASSWORD, "app", CLIENT), PASSWORD);
            javax.net.ssl.X509KeyManager application = (javax.net.ssl.X509KeyManager) factory.getKeyManagers()[0];

            EkuBridge bridge = EkuBridge.builder().serverIdentity(server).clientFallback(application).build();

            assertThat(bridge.keyManager().identities(Role.CLIENT)).isEmpty();
            String alias = bridge.keyManager().chooseClientAlias(new String[] {"EC"}, null, null);
            assertThat(bridge.keyManager().getCertificateChain(alias)[0]).isEqualTo(CLIENT.certificate());
        }
    }

    // ------------------------------------------------------------------------------------------------
    // No secrets in toString
    // ------------------------------------------------------------------------------------------------

    @Nested
    class NoSecretsInText {
        @Test
        void identityToStringNamesTheCertificateNotTheKey(@TempDir Path dir) {
            char[] password = SECRET_KEY_PASSWORD.toCharArray();
            Path cert = Pem.writeChain(dir.resolve("rsa.crt"), RSA.chain());
            Path key = Pem.writeEncryptedPkcs8(dir.resolve("rsa.key"), RSA.privateKey(), password);
            Path store = TestPki.writePkcs12(dir.resolve("s.p12"), PASSWORD, entries("sip", SERVER));

            Identity pem = Identities.fromPem(cert, key, password);
            Identity fromStore = Identities.fromKeyStore(store, PASSWORD, null).get(0);

            assertThat(pem.toString()).contains(subject(RSA)).contains(upperHex(RSA.serial()));
            assertNoSecret(pem.toString(), pem.privateKey(), SECRET_KEY_PASSWORD);
            assertNoSecret(fromStore.toString(), fromStore.privateKey(), new String(PASSWORD));
            RSAPrivateCrtKey rsa = (RSAPrivateCrtKey) pem.privateKey();
            assertThat(pem.toString()).doesNotContain(rsa.getPrivateExponent().toString())
                .doesNotContain(rsa.getPrivateExponent().toString(16)).doesNotContain(rsa.getPrimeP().toString(16));
            ECPrivateKey ec = (ECPrivateKey) fromStore.privateKey();
            assertThat(fromStore.toString()).doesNotContain(ec.getS().toString()).doesNotContain(ec.getS().toString(16));
        }

        private void assertNoSecret(String text, PrivateKey key, String password) {
            String base64 = Base64.getEncoder().encodeToString(key.getEncoded());
            assertThat(text).doesNotContain(password).doesNotContain(base64.substring(0, 40))
                .doesNotContain(base64.substring(base64.length() - 40)).doesNotContain("PRIVATE KEY");
        }

        @Test
        void configToStringHidesPasswords() {
            Map<String, String> values = new LinkedHashMap<>();
            values.put("server.keystore", "/etc/sip/server.p12");
            values.put("server.password", "Server-Secret-1");
            values.put("client.keystore", "/etc/sip/client.p12");
            values.put("client.password", "Client-Secret-2");
            values.put("truststore", "/etc/sip/trust.p12");
            values.put("truststore.password", "Trust-Secret-3");

            String text = EkuBridgeConfig.of(values, "test map").toString();

            assertThat(text).doesNotContain("Server-Secret-1").doesNotContain("Client-Secret-2").doesNotContain("Trust-Secret-3")
                .contains("server.keystore=/etc/sip/server.p12").contains("server.password=****");

            String fromArgs = EkuBridgeConfig.load("server.keystore=/a.p12,server.password=Arg-Secret-4",
                Map.of("ekubridge.client.keystore", "/b.p12", "ekubridge.client.password", "Prop-Secret-5"),
                Map.of()).toString();
            assertThat(fromArgs).doesNotContain("Arg-Secret-4").doesNotContain("Prop-Secret-5");
        }
    }

    /**
     * Encrypted keys are decrypted with the JDK where it can (PBES2 with PBKDF2 or scrypt and AES or 3DES, OpenSSL's
     * legacy PEM with AES or 3DES), and with Bouncy Castle's provider only for what it cannot:
     * {@link EncryptedKeys#BOUNCY_CASTLE_DECRYPTIONS} counts the keys given to that provider, and the PKCS#12 two-key
     * 3DES and Blowfish cases show the count does move when it is used.
     */
    @Nested
    class EncryptedKeysWithTheJdk {
        private final char[] password = SECRET_KEY_PASSWORD.toCharArray();

        private String pkcs8(PrivateKey key, ASN1ObjectIdentifier cipher, AlgorithmIdentifier prf) throws Exception {
            JceOpenSSLPKCS8EncryptorBuilder builder = new JceOpenSSLPKCS8EncryptorBuilder(cipher).setProvider(BC)
                .setIterationCount(2048).setPassword(password);
            if (prf != null) {
                builder.setPRF(prf);
            }
            StringWriter out = new StringWriter();
            try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
                writer.writeObject(new JcaPKCS8Generator(key, builder.build()));
            }
            return out.toString();
        }

        private String scryptPkcs8(PrivateKey key) throws Exception {
            OutputEncryptor encryptor = new JcePKCSPBEOutputEncryptorBuilder(
                new ScryptConfig.Builder(1024, 8, 1).withSaltLength(16).build(), NISTObjectIdentifiers.id_aes256_CBC)
                .setProvider(BC).build(password);
            PKCS8EncryptedPrivateKeyInfo encrypted = new PKCS8EncryptedPrivateKeyInfoBuilder(
                PrivateKeyInfo.getInstance(key.getEncoded())).build(encryptor);
            return "-----BEGIN ENCRYPTED PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(encrypted.getEncoded())
                + "\n-----END ENCRYPTED PRIVATE KEY-----\n";
        }

        private String legacy(PrivateKey key, String algorithm) throws IOException {
            Object toWrite = key instanceof ECPrivateKey ? fullSec1(key) : key;
            StringWriter out = new StringWriter();
            try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
                writer.writeObject(toWrite, new JcePEMEncryptorBuilder(algorithm).setProvider(BC).build(password));
            }
            return out.toString();
        }

        private void assertLoadsWithoutBouncyCastle(Path dir, String name, Issued expected, String keyText) throws IOException {
            Path cert = Pem.writeChain(dir.resolve(name + ".crt"), expected.chain());
            Path key = Files.writeString(dir.resolve(name + ".key"), keyText);
            int before = EncryptedKeys.BOUNCY_CASTLE_DECRYPTIONS.get();

            assertSameKey(Identities.fromPem(cert, key, password).privateKey(), expected.privateKey());
            EkuBridgeException wrong = thrownBy(() -> Identities.fromPem(cert, key, "not-it".toCharArray()));

            assertThat(EncryptedKeys.BOUNCY_CASTLE_DECRYPTIONS.get()).as(name + ": keys given to Bouncy Castle's provider")
                .isEqualTo(before);
            assertThat(wrong.reason()).as(name).isEqualTo(Reason.WRONG_PASSWORD);
            assertThat(wrong.getMessage()).isEqualTo("key " + key + ": wrong password for the encrypted private key in " + key);
        }

        @Test
        void pbes2WithAes128And256AndSha1AndSha256Prfs(@TempDir Path dir) throws Exception {
            ASN1ObjectIdentifier[] ciphers = {PKCS8Generator.AES_128_CBC, PKCS8Generator.AES_256_CBC};
            AlgorithmIdentifier[] prfs = {PKCS8Generator.PRF_HMACSHA1, PKCS8Generator.PRF_HMACSHA256, null};
            for (ASN1ObjectIdentifier cipher : ciphers) {
                for (AlgorithmIdentifier prf : prfs) {
                    String name = (cipher.equals(PKCS8Generator.AES_128_CBC) ? "aes128" : "aes256") + "-"
                        + (prf == null ? "default-prf" : prf.getAlgorithm().getId());
                    assertLoadsWithoutBouncyCastle(dir, name + "-ec", SERVER, pkcs8(SERVER.privateKey(), cipher, prf));
                }
            }
            assertLoadsWithoutBouncyCastle(dir, "rsa", RSA, pkcs8(RSA.privateKey(), PKCS8Generator.AES_256_CBC,
                PKCS8Generator.PRF_HMACSHA256));
        }

        @Test
        void pbes2WithAes192AndTripleDesAndEverySha2PrfAreDecryptedWithTheJdksPrimitives(@TempDir Path dir) throws Exception {
            AlgorithmIdentifier[] prfs = {PKCS8Generator.PRF_HMACSHA1, PKCS8Generator.PRF_HMACSHA224, PKCS8Generator.PRF_HMACSHA256,
                PKCS8Generator.PRF_HMACSHA384, PKCS8Generator.PRF_HMACSHA512};
            for (AlgorithmIdentifier prf : prfs) {
                String suffix = "-" + prf.getAlgorithm().getId();
                assertLoadsWithoutBouncyCastle(dir, "aes192" + suffix, SERVER, pkcs8(SERVER.privateKey(), PKCS8Generator.AES_192_CBC, prf));
                assertLoadsWithoutBouncyCastle(dir, "3des" + suffix, RSA, pkcs8(RSA.privateKey(), PKCS8Generator.DES3_CBC, prf));
            }
        }

        @Test
        void pbes2WithScryptUsesBouncyCastlesFunctionNotItsProvider(@TempDir Path dir) throws Exception {
            assertLoadsWithoutBouncyCastle(dir, "scrypt", BOTH, scryptPkcs8(BOTH.privateKey()));
        }

        @Test
        void legacyPemWithAesAndTripleDes(@TempDir Path dir) throws Exception {
            for (String algorithm : new String[] {"AES-128-CBC", "AES-192-CBC", "AES-256-CBC", "DES-EDE3-CBC"}) {
                assertLoadsWithoutBouncyCastle(dir, "legacy-rsa-" + algorithm, RSA, legacy(RSA.privateKey(), algorithm));
                assertLoadsWithoutBouncyCastle(dir, "legacy-ec-" + algorithm, CLIENT, legacy(CLIENT.privateKey(), algorithm));
            }
        }

        @Test
        void whatTheJdkCannotReadGoesToBouncyCastle(@TempDir Path dir) throws Exception {
            Path cert = Pem.writeChain(dir.resolve("c.crt"), SERVER.chain());
            Path twoKeyTripleDes = Files.writeString(dir.resolve("pkcs12-2des.key"), pkcs8(SERVER.privateKey(),
                PKCS8Generator.PBE_SHA1_2DES, null));
            Path blowfish = Files.writeString(dir.resolve("bf.key"), legacy(SERVER.privateKey(), "BF-CBC"));
            for (Path key : new Path[] {twoKeyTripleDes, blowfish}) {
                int before = EncryptedKeys.BOUNCY_CASTLE_DECRYPTIONS.get();

                assertSameKey(Identities.fromPem(cert, key, password).privateKey(), SERVER.privateKey());
                EkuBridgeException wrong = thrownBy(() -> Identities.fromPem(cert, key, "not-it".toCharArray()));

                assertThat(EncryptedKeys.BOUNCY_CASTLE_DECRYPTIONS.get()).as(key.toString()).isEqualTo(before + 2);
                assertThat(wrong.reason()).isEqualTo(Reason.WRONG_PASSWORD);
                assertThat(wrong.getMessage()).isEqualTo("key " + key + ": wrong password for the encrypted private key in " + key);
            }
        }

        /** scrypt parameters that would take 1 GiB are refused before anything derives a key, by us or by Bouncy Castle. */
        @Test
        void scryptBeyondTheMemoryLimitIsRefusedNotHandedOn(@TempDir Path dir) throws Exception {
            Path cert = Pem.writeChain(dir.resolve("c.crt"), SERVER.chain());
            byte[] data = new byte[64];
            new Random(2).nextBytes(data);
            PBES2Parameters pbes2 = new PBES2Parameters(
                new KeyDerivationFunc(MiscObjectIdentifiers.id_scrypt, new ScryptParams(new byte[16], 1 << 20, 8, 1)),
                new EncryptionScheme(NISTObjectIdentifiers.id_aes256_CBC, new DEROctetString(new byte[16])));
            org.bouncycastle.asn1.pkcs.EncryptedPrivateKeyInfo heavy = new org.bouncycastle.asn1.pkcs.EncryptedPrivateKeyInfo(
                new AlgorithmIdentifier(PKCSObjectIdentifiers.id_PBES2, pbes2), data);
            Path key = Files.writeString(dir.resolve("heavy.key"), "-----BEGIN ENCRYPTED PRIVATE KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(heavy.getEncoded()) + "\n-----END ENCRYPTED PRIVATE KEY-----\n");
            int before = EncryptedKeys.BOUNCY_CASTLE_DECRYPTIONS.get();

            EkuBridgeException e = thrownBy(Reason.UNSUPPORTED, () -> Identities.fromPem(cert, key, password));

            assertThat(EncryptedKeys.BOUNCY_CASTLE_DECRYPTIONS.get()).isEqualTo(before);
            assertThat(e.getMessage()).contains("PBES2 with scrypt N=1048576 r=8 p=1 (more than 256 MiB, or invalid)");
        }

        @Test
        void anUnsupportedSchemeIsOneClearError(@TempDir Path dir) throws Exception {
            Path cert = Pem.writeChain(dir.resolve("c.crt"), SERVER.chain());
            byte[] data = new byte[64];
            new Random(1).nextBytes(data);
            org.bouncycastle.asn1.pkcs.EncryptedPrivateKeyInfo unknown = new org.bouncycastle.asn1.pkcs.EncryptedPrivateKeyInfo(
                new AlgorithmIdentifier(new ASN1ObjectIdentifier("1.3.6.1.4.1.55555.1.2"), DERNull.INSTANCE), data);
            Path key = Files.writeString(dir.resolve("unknown.key"), "-----BEGIN ENCRYPTED PRIVATE KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(unknown.getEncoded()) + "\n-----END ENCRYPTED PRIVATE KEY-----\n");

            EkuBridgeException e = thrownBy(Reason.UNSUPPORTED, () -> Identities.fromPem(cert, key, password));
            assertThat(e.getMessage()).isEqualTo("key " + key + ": the private key in " + key + " is encrypted with scheme "
                + "1.3.6.1.4.1.55555.1.2, which EKU Bridge cannot decrypt; re-encrypt it as PKCS#8 with PBES2 and AES-256 "
                + "(openssl pkcs8 -topk8 -v2 aes256 -in KEY -out NEW_KEY)");
        }
    }

    @Test
    void everyKeyFormIsTheSameIdentity(@TempDir Path dir) throws IOException {
        char[] password = SECRET_KEY_PASSWORD.toCharArray();
        Path cert = Pem.writeChain(dir.resolve("c.pem"), RSA.chain());
        List<Path> keys = List.of(
            Pem.writePkcs8(dir.resolve("pkcs8.key"), RSA.privateKey()),
            Pem.writePkcs1OrSec1(dir.resolve("pkcs1.key"), RSA.privateKey()),
            Pem.writeEncryptedPkcs8(dir.resolve("enc.key"), RSA.privateKey(), password),
            Files.writeString(dir.resolve("legacy.key"), legacyEncryptedPem(RSA.privateKey(), password)));

        List<String> encodings = keys.stream()
            .map(key -> Base64.getEncoder().encodeToString(Identities.fromPem(cert, key, password).privateKey().getEncoded()))
            .distinct().collect(Collectors.toList());

        assertThat(encodings).hasSize(1);
        assertThat(Base64.getDecoder().decode(encodings.get(0))).isEqualTo(RSA.privateKey().getEncoded());
        assertThat(new String(Files.readAllBytes(keys.get(3)), StandardCharsets.US_ASCII)).doesNotContain(SECRET_KEY_PASSWORD);
    }
}
