package dev.ekubridge;

import dev.ekubridge.internal.CertificateText;
import dev.ekubridge.internal.Eku;
import java.math.BigInteger;
import java.security.PrivateKey;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.List;

/**
 * A private key with its certificate chain (leaf first), and where it came from. Creating one checks
 * that the key belongs to the leaf and that each certificate is signed by the next; whether the
 * certificate may serve a {@link Role} is checked when it is given a role.
 *
 * <p>{@link #toString()} names the certificate, never the key.
 */
public final class Identity {
    private final String name;
    private final String source;
    private final PrivateKey privateKey;
    private final X509Certificate[] chain;
    private final List<String> ekus;

    private Identity(String name, String source, PrivateKey privateKey, X509Certificate[] chain, List<String> ekus) {
        this.name = name;
        this.source = source;
        this.privateKey = privateKey;
        this.chain = chain;
        this.ekus = ekus;
    }

    /**
     * An identity from a key and its chain.
     *
     * @param name   a short name (the key store alias, or the certificate file name)
     * @param source where it came from, for messages (e.g. {@code server.keystore /etc/sip/server.p12})
     * @throws EkuBridgeException when the key does not match the leaf, or the chain is out of order or broken
     */
    public static Identity of(String name, String source, PrivateKey privateKey, X509Certificate... chain) {
        if (privateKey == null) {
            throw new NullPointerException("privateKey");
        }
        if (chain == null || chain.length == 0) {
            throw new EkuBridgeException(EkuBridgeException.Reason.EMPTY_STORE, source + ": entry '" + name + "' has no certificate");
        }
        X509Certificate[] copy = chain.clone();
        IdentityChecks.checkKeyMatches(source, privateKey, copy[0]);
        IdentityChecks.checkChainOrder(source, copy);
        List<String> ekus;
        try {
            List<String> parsed = Eku.of(copy[0]);
            ekus = parsed == null ? null : Collections.unmodifiableList(parsed);
        } catch (CertificateParsingException e) {
            throw new EkuBridgeException(EkuBridgeException.Reason.UNKNOWN_FORMAT,
                source + ": cannot read the Extended Key Usage of " + CertificateText.describe(copy[0]), e);
        }
        return new Identity(name, source, privateKey, copy, ekus);
    }

    /** The key store alias, or the certificate file name. */
    public String name() {
        return name;
    }

    /** Where this identity was loaded from, as used in messages. */
    public String source() {
        return source;
    }

    public PrivateKey privateKey() {
        return privateKey;
    }

    /** The chain, leaf first (a copy). */
    public X509Certificate[] chain() {
        return chain.clone();
    }

    /** The end-entity certificate. */
    public X509Certificate certificate() {
        return chain[0];
    }

    public BigInteger serial() {
        return chain[0].getSerialNumber();
    }

    /** The leaf's EKU OIDs, or {@code null} when it has no EKU extension (every usage permitted). */
    public List<String> extendedKeyUsage() {
        return ekus;
    }

    /** Whether the leaf's EKU lets it serve {@code role} (serverAuth for SERVER, clientAuth for CLIENT). */
    public boolean permits(Role role) {
        return Eku.permits(ekus, role == Role.SERVER ? Eku.SERVER_AUTH : Eku.CLIENT_AUTH);
    }

    /** The leaf's key algorithm as JSSE names key types: {@code EC}, {@code RSA}, {@code RSASSA-PSS}, {@code EdDSA}... */
    public String keyAlgorithm() {
        return chain[0].getPublicKey().getAlgorithm();
    }

    X509Certificate[] chainUnsafe() {
        return chain;
    }

    @Override
    public String toString() {
        return "'" + CertificateText.printable(name) + "' (" + CertificateText.describe(chain[0]) + ", " + Eku.describe(ekus) + ", from "
            + CertificateText.printable(source) + ")";
    }
}
