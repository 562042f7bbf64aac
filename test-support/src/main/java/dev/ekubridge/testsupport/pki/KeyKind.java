package dev.ekubridge.testsupport.pki;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.List;

/** The key types of the PKI; public because JMH parameters and JUnit sources enumerate it. */
public enum KeyKind {
    EC_P256("EC", "SHA256withECDSA"),
    RSA_2048("RSA", "SHA256withRSA");

    private final String jcaAlgorithm;
    private final String signatureAlgorithm;

    KeyKind(String jcaAlgorithm, String signatureAlgorithm) {
        this.jcaAlgorithm = jcaAlgorithm;
        this.signatureAlgorithm = signatureAlgorithm;
    }

    /** The JCA key algorithm name, equal to {@code PublicKey.getAlgorithm()} and to the JSSE key type: "EC" or "RSA". */
    public String jcaAlgorithm() {
        return jcaAlgorithm;
    }

    /** The signature algorithm used when a CA of this kind signs a certificate. */
    public String signatureAlgorithm() {
        return signatureAlgorithm;
    }

    /** A brand-new key pair from the JDK's {@link KeyPairGenerator}, shared with nothing. */
    public KeyPair freshKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(jcaAlgorithm);
            if (this == EC_P256) {
                generator.initialize(new ECGenParameterSpec("secp256r1"), Certificates.RANDOM);
            } else {
                generator.initialize(2048, Certificates.RANDOM);
            }
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate " + this + " key pair", e);
        }
    }

    /** A key pair from the shared leaf pool (cheap; other certificates may use the same key pair). */
    public KeyPair pooledKeyPair() {
        return KeyPool.INSTANCE.leafKey(this, List.of());
    }

    /** The kind of an existing key, from its algorithm name. */
    public static KeyKind of(PublicKey key) {
        for (KeyKind kind : values()) {
            if (kind.jcaAlgorithm.equals(key.getAlgorithm())) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unsupported key algorithm " + key.getAlgorithm());
    }
}
