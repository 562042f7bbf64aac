package dev.ekubridge.testsupport.pki;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/** An issued leaf certificate with its private key and chain. Immutable. */
public final class Issued {
    private final KeyPair keyPair;
    private final X509Certificate[] chain;
    private final Ca issuer;

    Issued(KeyPair keyPair, X509Certificate[] chain, Ca issuer) {
        this.keyPair = keyPair;
        this.chain = chain;
        this.issuer = issuer;
    }

    /**
     * A leaf made elsewhere (read back from a file, say): its key pair and its chain, leaf first, excluding the
     * root. Its {@link #issuer()} is unknown (null), and so {@link #chainWithRoot()} is unavailable.
     */
    public static Issued of(KeyPair keyPair, X509Certificate... chain) {
        if (chain.length == 0) {
            throw new IllegalArgumentException("empty chain");
        }
        return new Issued(Objects.requireNonNull(keyPair, "keyPair"), chain.clone(), null);
    }

    public X509Certificate certificate() {
        return chain[0];
    }

    public PrivateKey privateKey() {
        return keyPair.getPrivate();
    }

    public KeyPair keyPair() {
        return keyPair;
    }

    /** Leaf first, then the intermediates up to but EXCLUDING the root (a copy). */
    public X509Certificate[] chain() {
        return chain.clone();
    }

    /** {@link #chain()} followed by the root certificate (a copy). */
    public X509Certificate[] chainWithRoot() {
        if (issuer == null) {
            throw new IllegalStateException("the issuer of " + this + " is not known");
        }
        X509Certificate[] full = Arrays.copyOf(chain, chain.length + 1);
        full[chain.length] = issuer.root().certificate();
        return full;
    }

    public BigInteger serial() {
        return chain[0].getSerialNumber();
    }

    /** The serial in upper-case hexadecimal, as the agent, the test applications and {@code openssl x509 -serial} print it. */
    public String serialHex() {
        return serialHex(chain[0]);
    }

    /** Upper-case hexadecimal serial of any certificate. */
    public static String serialHex(X509Certificate certificate) {
        return certificate.getSerialNumber().toString(16).toUpperCase(Locale.ROOT);
    }

    /** The CA that signed the leaf; null for {@link #of}. */
    public Ca issuer() {
        return issuer;
    }

    @Override
    public String toString() {
        return "Issued[" + chain[0].getSubjectX500Principal().getName() + ", serial=" + serial()
                + ", key=" + keyPair.getPublic().getAlgorithm() + "]";
    }
}
