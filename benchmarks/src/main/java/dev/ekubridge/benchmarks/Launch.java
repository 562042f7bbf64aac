package dev.ekubridge.benchmarks;

import dev.ekubridge.testsupport.pki.Ca;
import dev.ekubridge.testsupport.pki.Issued;
import dev.ekubridge.testsupport.pki.KeyKind;
import dev.ekubridge.testsupport.pki.LeafEku;
import dev.ekubridge.testsupport.pki.Pem;
import dev.ekubridge.testsupport.pki.TestPki;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.crypto.util.ScryptConfig;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfoBuilder;
import org.bouncycastle.pkcs.jcajce.JcePKCSPBEOutputEncryptorBuilder;

/**
 * The launches of the start-up measurement: the Hello program alone, with the agent and no identity, and with the
 * agent and one server identity in each supported format (the PEM keys as OpenSSL writes them by default: PBES2 with
 * PBKDF2-HMAC-SHA256 (2,048 iterations) and AES-256-CBC for {@code openssl pkcs8 -topk8}, scrypt N=16384 r=8 p=1 for
 * {@code -scrypt}, AES-256-CBC for the legacy {@code openssl rsa -aes256}), or 1,000 identities in one JKS store.
 * {@code pem-pkcs8-aes192} is PBES2 with AES-192, which the JDK has no scheme name for (EKU Bridge derives and decrypts
 * it with the JDK's PBKDF2 and AES); {@code pem-pkcs8-2des} is PKCS#12 two-key 3DES, which only Bouncy Castle decrypts:
 * the cost of its provider, which every encrypted key paid before.
 */
enum Launch {
    NONE(null, null),
    AGENT(null, null),
    PKCS12(KeyKind.EC_P256, "pem-pkcs8"),
    JKS(KeyKind.EC_P256, "pem-pkcs8"),
    PEM_PKCS8(KeyKind.EC_P256, null),
    PEM_SEC1(KeyKind.EC_P256, "pem-pkcs8"),
    PEM_PKCS8_ENCRYPTED(KeyKind.EC_P256, "pem-pkcs8"),
    PEM_PKCS8_SCRYPT(KeyKind.EC_P256, "pem-pkcs8"),
    PEM_PKCS8_AES192(KeyKind.EC_P256, "pem-pkcs8"),
    PEM_PKCS8_2DES(KeyKind.EC_P256, "pem-pkcs8"),
    PEM_PKCS8_RSA(KeyKind.RSA_2048, null),
    PEM_PKCS1(KeyKind.RSA_2048, "pem-pkcs8-rsa"),
    PEM_LEGACY_ENCRYPTED(KeyKind.RSA_2048, "pem-pkcs8-rsa"),
    JKS_1000(KeyKind.EC_P256, "pem-pkcs8");

    static final String PASSWORD = "bench-Pa55";
    private static final BouncyCastleProvider BC = new BouncyCastleProvider();
    private static Ca root;
    private static final Map<KeyKind, Issued> LEAVES = new LinkedHashMap<>();

    /** Its name on the command line and in the results: the constant's, in lower case with hyphens. */
    final String label = name().toLowerCase(Locale.ROOT).replace('_', '-');
    final KeyKind keyKind;
    /** The unencrypted format of the same key this one is compared with (the 200 ms target), or null. */
    final String reference;

    Launch(KeyKind keyKind, String reference) {
        this.keyKind = keyKind;
        this.reference = reference;
    }

    static Launch named(String label) {
        for (Launch launch : values()) {
            if (launch.label.equals(label)) {
                return launch;
            }
        }
        throw new IllegalArgumentException("no launch " + label);
    }

    /** The command line, after writing the files it needs into {@code work} (which holds the compiled Hello). */
    List<String> command(Path work, Path agentJar) {
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        if (this != NONE) {
            String arguments = AgentStartupBenchmark.AGENT_ARGUMENTS;
            String identity = identityArguments(work);
            command.add("-javaagent:" + agentJar + "=" + arguments + (identity.isEmpty() ? "" : "," + identity));
        }
        command.add("-cp");
        command.add(work.toString());
        command.add("Hello");
        return command;
    }

    private String identityArguments(Path work) {
        if (keyKind == null) {
            return "";
        }
        try {
            Issued leaf = leaf(keyKind);
            Path dir = Files.createDirectories(work.resolve(label));
            String password = ",server.password=" + PASSWORD;
            // the same certificate presented as the client certificate: no warning about the upgrade default
            String common = ",client.identity=server";
            switch (this) {
                case PKCS12:
                case JKS: {
                    String type = this == PKCS12 ? "PKCS12" : "JKS";
                    Path store = dir.resolve("server." + type.toLowerCase());
                    Files.write(store, TestPki.toBytes(TestPki.keyStore(type, PASSWORD.toCharArray(), "server", leaf),
                        PASSWORD.toCharArray()));
                    return "server.keystore=" + store + password + common;
                }
                case JKS_1000: {
                    LeafBatch batch = LeafBatch.of(1000);
                    KeyStore store = Bench.keyStore("JKS", batch.aliases, batch.leaves);
                    Path file = dir.resolve("server-1000.jks");
                    Files.write(file, TestPki.toBytes(store, Bench.PASSWORD));
                    return "server.keystore=" + file + ",server.password=" + new String(Bench.PASSWORD) + common;
                }
                default:
                    break;
            }
            Path cert = Pem.writeChain(dir.resolve("server.crt"), leaf.chain());
            Path key = dir.resolve("server.key");
            String keyText;
            switch (this) {
                case PEM_PKCS8:
                case PEM_PKCS8_RSA:
                    keyText = Pem.pkcs8(leaf.privateKey());
                    break;
                case PEM_SEC1:
                case PEM_PKCS1:
                    keyText = Pem.pkcs1OrSec1(leaf.privateKey());
                    break;
                case PEM_PKCS8_ENCRYPTED:
                    keyText = Pem.encryptedPkcs8(leaf.privateKey(), PASSWORD.toCharArray());
                    break;
                case PEM_PKCS8_AES192:
                    keyText = encryptedPkcs8(leaf, PKCS8Generator.AES_192_CBC);
                    break;
                case PEM_PKCS8_2DES:
                    keyText = encryptedPkcs8(leaf, PKCS8Generator.PBE_SHA1_2DES);
                    break;
                case PEM_PKCS8_SCRYPT:
                    keyText = scrypt(leaf);
                    break;
                case PEM_LEGACY_ENCRYPTED:
                    keyText = legacy(leaf);
                    break;
                default:
                    throw new AssertionError(this);
            }
            Files.writeString(key, keyText, StandardCharsets.US_ASCII);
            boolean encrypted = keyText.contains("ENCRYPTED");
            return "server.cert=" + cert + ",server.key=" + key + (encrypted ? password : "") + common;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot write the " + label + " identity", e);
        }
    }

    private static synchronized Issued leaf(KeyKind kind) {
        if (root == null) {
            root = TestPki.root("Start-up Root", KeyKind.EC_P256);
        }
        return LEAVES.computeIfAbsent(kind, k -> root.leaf("startup-" + k.name().toLowerCase() + ".bench.example").keyKind(k)
            .eku(LeafEku.BOTH).dnsNames("startup.bench.example").issue());
    }

    /** PBES2 (PBKDF2-HMAC-SHA256) with {@code scheme} as its cipher, or a PKCS#12 scheme, which takes no PRF. */
    private static String encryptedPkcs8(Issued leaf, org.bouncycastle.asn1.ASN1ObjectIdentifier scheme) throws Exception {
        JceOpenSSLPKCS8EncryptorBuilder builder = new JceOpenSSLPKCS8EncryptorBuilder(scheme).setProvider(BC).setIterationCount(2048)
            .setPassword(PASSWORD.toCharArray());
        if (!scheme.on(PKCSObjectIdentifiers.pkcs_12PbeIds)) {
            builder.setPRF(PKCS8Generator.PRF_HMACSHA256);
        }
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(new JcaPKCS8Generator(leaf.privateKey(), builder.build()));
        }
        return out.toString();
    }

    private static String scrypt(Issued leaf) throws Exception {
        var encryptor = new JcePKCSPBEOutputEncryptorBuilder(new ScryptConfig.Builder(16384, 8, 1).withSaltLength(16).build(),
            NISTObjectIdentifiers.id_aes256_CBC).setProvider(BC).build(PASSWORD.toCharArray());
        byte[] der = new PKCS8EncryptedPrivateKeyInfoBuilder(PrivateKeyInfo.getInstance(leaf.privateKey().getEncoded()))
            .build(encryptor).getEncoded();
        return "-----BEGIN ENCRYPTED PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(der)
            + "\n-----END ENCRYPTED PRIVATE KEY-----\n";
    }

    /** OpenSSL's legacy encrypted PEM of an RSA key ({@code openssl rsa -aes256}). */
    private static String legacy(Issued leaf) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(leaf.privateKey(), new JcePEMEncryptorBuilder("AES-256-CBC").setProvider(BC).build(PASSWORD.toCharArray()));
        }
        return out.toString();
    }
}
