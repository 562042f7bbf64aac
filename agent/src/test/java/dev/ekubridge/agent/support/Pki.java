package dev.ekubridge.agent.support;

import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Locale;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The PKI of the source document, generated at run time into a directory as PKCS#12 files (EC P-256,
 * password {@link #PASSWORD}): CA1 (internal) and CA2 (public, serverAuth-only leaves).
 * <ul>
 * <li>{@link #app}: the application's own certificate, CA2, serverAuth only, SAN 127.0.0.1 and localhost;</li>
 * <li>{@link #clientIdentity}: the operator's client identity for the agent, CA1, clientAuth + serverAuth;</li>
 * <li>{@link #trustStore}: CA1 and CA2, the application's trust store;</li>
 * <li>{@link #garbage}: random bytes, not a key store.</li>
 * </ul>
 */
public final class Pki {
    public static final String PASSWORD = "changeit";

    /** A leaf in a PKCS#12 file (alias "identity", with its issuing CA in the chain). */
    public record Leaf(Path p12, X509Certificate certificate) {
        /** Upper-case hexadecimal, as the apps and the agent print serials. */
        public String serial() {
            return certificate.getSerialNumber().toString(16).toUpperCase(Locale.ROOT);
        }
    }

    public final Path dir;
    public final Leaf app;
    public final Leaf clientIdentity;
    public final Path trustStore;
    public final Path garbage;

    private static final SecureRandom RANDOM = new SecureRandom();

    private Pki(Path dir, Leaf app, Leaf clientIdentity, Path trustStore, Path garbage) {
        this.dir = dir;
        this.app = app;
        this.clientIdentity = clientIdentity;
        this.trustStore = trustStore;
        this.garbage = garbage;
    }

    public static Pki create(Path dir) throws Exception {
        KeyPair ca1Keys = keyPair();
        KeyPair ca2Keys = keyPair();
        X509Certificate ca1 = ca("CN=EKU Bridge IT CA1 (internal)", ca1Keys);
        X509Certificate ca2 = ca("CN=EKU Bridge IT CA2 (public)", ca2Keys);

        KeyPair appKeys = keyPair();
        X509Certificate appCert = leaf("CN=app.example.test", appKeys, ca2, ca2Keys.getPrivate(),
            new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth});
        KeyPair clientKeys = keyPair();
        X509Certificate clientCert = leaf("CN=client.example.test", clientKeys, ca1, ca1Keys.getPrivate(),
            new KeyPurposeId[] {KeyPurposeId.id_kp_clientAuth, KeyPurposeId.id_kp_serverAuth});

        Path appP12 = writeIdentity(dir.resolve("app-ca2-serverauth.p12"), appKeys.getPrivate(), appCert, ca2);
        Path clientP12 = writeIdentity(dir.resolve("client-ca1-clientauth.p12"), clientKeys.getPrivate(), clientCert, ca1);

        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca1", ca1);
        trust.setCertificateEntry("ca2", ca2);
        Path trustP12 = dir.resolve("truststore.p12");
        store(trust, trustP12);

        byte[] noise = new byte[2048];
        RANDOM.nextBytes(noise);
        Path garbage = Files.write(dir.resolve("garbage.p12"), noise);
        return new Pki(dir, new Leaf(appP12, appCert), new Leaf(clientP12, clientCert), trustP12, garbage);
    }

    private static KeyPair keyPair() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return generator.generateKeyPair();
    }

    private static BigInteger serial() {
        return new BigInteger(63, RANDOM).setBit(62);
    }

    private static X509Certificate ca(String subject, KeyPair keys) throws Exception {
        Instant now = Instant.now();
        X500Name name = new X500Name(subject);
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial(),
            Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(30))), name, keys.getPublic());
        JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        builder.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(keys.getPublic()));
        return sign(builder, keys.getPrivate());
    }

    private static X509Certificate leaf(String subject, KeyPair keys, X509Certificate issuer, PrivateKey issuerKey,
            KeyPurposeId[] ekus) throws Exception {
        Instant now = Instant.now();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer, serial(),
            Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(30))), new X500Name(subject),
            keys.getPublic());
        JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(ekus));
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
            new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost")}));
        builder.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(keys.getPublic()));
        builder.addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(issuer));
        return sign(builder, issuerKey);
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key) throws Exception {
        return new JcaX509CertificateConverter().getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key)));
    }

    private static Path writeIdentity(Path file, PrivateKey key, X509Certificate leaf, X509Certificate ca) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("identity", key, PASSWORD.toCharArray(), new Certificate[] {leaf, ca});
        store(store, file);
        return file;
    }

    private static void store(KeyStore store, Path file) throws Exception {
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, PASSWORD.toCharArray());
        }
    }
}
