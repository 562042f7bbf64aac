package dev.ekubridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.ekubridge.EkuBridgeException.Reason;
import dev.ekubridge.testsupport.pki.Ca;
import dev.ekubridge.testsupport.pki.Issued;
import dev.ekubridge.testsupport.pki.KeyKind;
import dev.ekubridge.testsupport.pki.LeafEku;
import dev.ekubridge.testsupport.pki.TestPki;
import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.Test;

/**
 * The key/certificate match at load time is arithmetic where the key type allows it (an EC key's public point derived
 * from its scalar, an RSA modulus, a DSA public value), no longer a signature per identity; it still refuses every key
 * that is not the certificate's, naming the entry.
 */
class KeyMatchTest {
    private static final Ca CA = TestPki.root("Key Match CA", KeyKind.EC_P256);
    private static final Issued LEAF = CA.leaf("match.example").eku(LeafEku.BOTH).keyPair(KeyKind.EC_P256.freshKeyPair()).issue();

    private static KeyPair ecKeyPair(String curve) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec(curve));
        return generator.generateKeyPair();
    }

    @Test
    void anEcKeyIsMatchedByItsDerivedPublicPoint() {
        ECPrivateKey key = (ECPrivateKey) LEAF.privateKey();
        ECPublicKey certificateKey = (ECPublicKey) LEAF.certificate().getPublicKey();
        assertThat(IdentityChecks.ecPointMatches(key, certificateKey)).as("decided by arithmetic, not by the probe").isTrue();
        assertThat(Identity.of("leaf", "test", key, LEAF.chain()).serial()).isEqualTo(LEAF.serial());
    }

    @Test
    void anotherKeyOnTheSameCurveIsRefusedNamingTheEntry() throws Exception {
        PrivateKey other = ecKeyPair("secp256r1").getPrivate();
        assertThat(IdentityChecks.ecPointMatches((ECPrivateKey) other, (ECPublicKey) LEAF.certificate().getPublicKey())).isFalse();
        EkuBridgeException e = catchThrowableOfType(EkuBridgeException.class,
            () -> Identity.of("sip", "server.keystore /etc/sip/server.p12 entry 'sip'", other, LEAF.chain()));
        assertThat(e.reason()).isEqualTo(Reason.KEY_MISMATCH);
        assertThat(e.getMessage()).startsWith("server.keystore /etc/sip/server.p12 entry 'sip': the private key does not belong to")
            .contains(LEAF.serialHex());
    }

    @Test
    void aKeyOnAnotherCurveIsRefused() throws Exception {
        PrivateKey p384 = ecKeyPair("secp384r1").getPrivate();
        assertThat(IdentityChecks.ecPointMatches((ECPrivateKey) p384, (ECPublicKey) LEAF.certificate().getPublicKey())).isFalse();
        assertThat(catchThrowableOfType(EkuBridgeException.class, () -> Identity.of("x", "test", p384, LEAF.chain())).reason())
            .isEqualTo(Reason.KEY_MISMATCH);
    }

    /** A scalar outside 1..n-1 is no key of the curve, whatever point it would give. */
    @Test
    void aScalarOutOfRangeIsRefused() {
        ECPrivateKey key = (ECPrivateKey) LEAF.privateKey();
        ECParameterSpec params = key.getParams();
        ECPrivateKey wrapped = new ECPrivateKey() {
            @Override
            public BigInteger getS() {
                return key.getS().add(params.getOrder()); // the same point, but not a valid private key
            }

            @Override
            public ECParameterSpec getParams() {
                return params;
            }

            @Override
            public String getAlgorithm() {
                return "EC";
            }

            @Override
            public String getFormat() {
                return null;
            }

            @Override
            public byte[] getEncoded() {
                return null;
            }
        };
        assertThat(IdentityChecks.ecPointMatches(wrapped, (ECPublicKey) LEAF.certificate().getPublicKey())).isFalse();
    }

    /** Bouncy Castle's own key objects (an application that loads keys with BC) are matched the same way. */
    @Test
    void bouncyCastleKeyObjectsAreMatchedToo() throws Exception {
        PrivateKey bcKey = KeyFactory.getInstance("EC", new BouncyCastleProvider())
            .generatePrivate(new PKCS8EncodedKeySpec(LEAF.privateKey().getEncoded()));
        assertThat(bcKey.getClass().getName()).startsWith("org.bouncycastle.");
        assertThat(IdentityChecks.ecPointMatches((ECPrivateKey) bcKey, (ECPublicKey) LEAF.certificate().getPublicKey())).isTrue();
        assertThat(Identity.of("bc", "test", bcKey, LEAF.chain()).serial()).isEqualTo(LEAF.serial());
    }

    /** Chain signatures: ECDSA is verified by Bouncy Castle's verifier, and it agrees with the JDK's on good and broken ones. */
    @Test
    void chainSignaturesAreVerifiedAsTheJdkDoes() throws Exception {
        Ca intermediate = CA.intermediate("Key Match issuing");
        Ca rsaRoot = TestPki.root("Key Match RSA CA", KeyKind.RSA_2048);
        Issued good = intermediate.leaf("chain.example").eku(LeafEku.BOTH).issue();
        Issued broken = intermediate.leaf("broken.example").eku(LeafEku.BOTH).corruptSignature().issue();
        Issued underRsa = rsaRoot.leaf("rsa-issued.example").keyKind(KeyKind.EC_P256).eku(LeafEku.BOTH).issue();

        IdentityChecks.verifySignature(good.certificate(), intermediate.certificate().getPublicKey());
        IdentityChecks.verifySignature(intermediate.certificate(), CA.certificate().getPublicKey());
        IdentityChecks.verifySignature(underRsa.certificate(), rsaRoot.certificate().getPublicKey());
        good.certificate().verify(intermediate.certificate().getPublicKey());

        assertThat(catchThrowableOfType(java.security.SignatureException.class,
            () -> IdentityChecks.verifySignature(broken.certificate(), intermediate.certificate().getPublicKey()))).isNotNull();
        assertThat(catchThrowableOfType(java.security.SignatureException.class,
            () -> broken.certificate().verify(intermediate.certificate().getPublicKey()))).as("the JDK agrees").isNotNull();
        assertThat(catchThrowableOfType(java.security.GeneralSecurityException.class,
            () -> IdentityChecks.verifySignature(good.certificate(), CA.certificate().getPublicKey()))).as("the wrong issuer key").isNotNull();
        EkuBridgeException e = catchThrowableOfType(EkuBridgeException.class,
            () -> Identity.of("broken", "test", broken.privateKey(), broken.chain()));
        assertThat(e.reason()).isEqualTo(Reason.CHAIN_BROKEN);
    }

    @Test
    void dsaKeysAreMatchedByTheirPublicValue() throws Exception {
        Issued dsaLeaf = dsaLeaf();
        assertThat(Identity.of("dsa", "test", dsaLeaf.privateKey(), dsaLeaf.chain()).serial()).isEqualTo(dsaLeaf.serial());
        KeyPairGenerator generator = KeyPairGenerator.getInstance("DSA");
        generator.initialize(2048);
        PrivateKey other = generator.generateKeyPair().getPrivate();
        assertThat(catchThrowableOfType(EkuBridgeException.class, () -> Identity.of("dsa", "test", other, dsaLeaf.chain())).reason())
            .isEqualTo(Reason.KEY_MISMATCH);
    }

    private static Issued dsaLeaf() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("DSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        org.bouncycastle.asn1.x500.X500Name name = new org.bouncycastle.asn1.x500.X500Name("CN=dsa.example");
        org.bouncycastle.cert.X509v3CertificateBuilder builder = new org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder(
            name, BigInteger.valueOf(System.nanoTime()), new java.util.Date(System.currentTimeMillis() - 60_000),
            new java.util.Date(System.currentTimeMillis() + 86_400_000L), name, pair.getPublic());
        X509Certificate certificate = new org.bouncycastle.cert.jcajce.JcaX509CertificateConverter().getCertificate(
            builder.build(new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withDSA").build(pair.getPrivate())));
        return Issued.of(pair, certificate);
    }
}
