package dev.ekubridge.testsupport.pki;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;

/**
 * A certificate authority, a root ({@link TestPki#root}) or an intermediate ({@link #intermediate}); it issues
 * leaves with {@link #leaf}. Immutable. CA key pairs come from a pool of their own, so a leaf never shares its
 * issuer's key, and an intermediate never shares a key with its issuers.
 */
public final class Ca {
    static final Duration BACKDATE = Duration.ofDays(1);
    static final Duration LIFETIME = Duration.ofDays(3650);

    private final Ca parent;
    private final KeyKind kind;
    private final KeyPair keyPair;
    private final X509Certificate certificate;

    private Ca(Ca parent, KeyKind kind, KeyPair keyPair, X509Certificate certificate) {
        this.parent = parent;
        this.kind = kind;
        this.keyPair = keyPair;
        this.certificate = certificate;
    }

    /** A self-signed root; see {@link TestPki#root(String, KeyKind, Instant, Instant)}. */
    static Ca root(String name, KeyKind kind, Instant notBefore, Instant notAfter) {
        return create(null, name, kind, notBefore, notAfter);
    }

    /** A CA certificate for a new pooled key of {@code kind}, signed by {@code parent} or, without one, by itself. */
    private static Ca create(Ca parent, String name, KeyKind kind, Instant notBefore, Instant notAfter) {
        Objects.requireNonNull(kind, "kind");
        KeyPair keys = KeyPool.INSTANCE.caKey(kind, parent == null ? List.of() : Certificates.ancestorKeys(parent));
        X500Name subject = Certificates.name(name);
        try {
            JcaX509ExtensionUtils ext = Certificates.extensionUtils();
            X509v3CertificateBuilder builder = parent == null
                    ? new JcaX509v3CertificateBuilder(subject, Certificates.newSerial(), Date.from(notBefore),
                            Date.from(notAfter), subject, keys.getPublic())
                    : new JcaX509v3CertificateBuilder(parent.certificate, Certificates.newSerial(), Date.from(notBefore),
                            Date.from(notAfter), subject, keys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
            if (parent != null) {
                builder.addExtension(Extension.authorityKeyIdentifier, false,
                        ext.createAuthorityKeyIdentifier(parent.keyPair.getPublic()));
            }
            X509Certificate cert = parent == null
                    ? Certificates.sign(builder, keys.getPrivate(), kind.signatureAlgorithm(), false)
                    : Certificates.sign(builder, parent.privateKey(), parent.kind.signatureAlgorithm(), false);
            return new Ca(parent, kind, keys, cert);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot create " + (parent == null ? "root" : "intermediate") + " CA " + name, e);
        }
    }

    public X509Certificate certificate() {
        return certificate;
    }

    public KeyKind kind() {
        return kind;
    }

    public KeyPair keyPair() {
        return keyPair;
    }

    public PrivateKey privateKey() {
        return keyPair.getPrivate();
    }

    public BigInteger serial() {
        return certificate.getSerialNumber();
    }

    /** The issuing CA, or null for a root. */
    public Ca parent() {
        return parent;
    }

    public boolean isRoot() {
        return parent == null;
    }

    /** The root at the top of this CA's chain (this CA itself if it is a root). */
    public Ca root() {
        Ca ca = this;
        while (ca.parent != null) {
            ca = ca.parent;
        }
        return ca;
    }

    /** This CA's certificate followed by its issuers' certificates, up to but excluding the root. */
    public List<X509Certificate> pathBelowRoot() {
        List<X509Certificate> path = new ArrayList<>();
        for (Ca ca = this; ca.parent != null; ca = ca.parent) {
            path.add(ca.certificate);
        }
        return path;
    }

    /** A subordinate CA of the same key kind, signed by this CA. */
    public Ca intermediate(String name) {
        return intermediate(name, kind);
    }

    /** A subordinate CA with its own key kind, signed by this CA, valid from a day ago for ten years. */
    public Ca intermediate(String name, KeyKind subKind) {
        Instant now = Instant.now();
        return create(this, name, subKind, now.minus(BACKDATE), now.plus(LIFETIME));
    }

    /** Starts a leaf certificate issued by this CA; finish with {@link LeafSpec#issue()}. */
    public LeafSpec leaf(String name) {
        return new LeafSpec(this, name);
    }

    @Override
    public String toString() {
        return "Ca[" + certificate.getSubjectX500Principal().getName() + ", " + kind
                + (parent == null ? ", root" : ", issuer=" + certificate.getIssuerX500Principal().getName()) + "]";
    }
}
