package dev.ekubridge.testsupport.pki;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;

/**
 * Immutable description of a leaf certificate issued by a {@link Ca}; every setter returns a new spec, so a spec
 * can be shared as a template. Defaults: no EKU extension, digitalSignature (plus keyEncipherment for RSA) as a
 * critical KeyUsage, no SAN, valid from an hour ago for 30 days, the issuer's key kind with a pooled key pair, a
 * unique random serial.
 */
public final class LeafSpec {
    private static final Duration BACKDATE = Duration.ofHours(1);
    private static final Duration LIFETIME = Duration.ofDays(30);

    private final Ca issuer;
    private final String name;
    private KeyPurposeId[] eku = new KeyPurposeId[0];
    private Integer keyUsage; // null = default for key kind; -1 = no extension
    private String[] dnsNames = new String[0];
    private String[] ipAddresses = new String[0];
    private Instant notBefore;
    private Instant notAfter;
    private KeyKind keyKind;
    private KeyPair keyPair;
    private BigInteger serial;
    private boolean corruptSignature;

    LeafSpec(Ca issuer, String name) {
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        this.name = Objects.requireNonNull(name, "name");
    }

    private LeafSpec copy() {
        LeafSpec c = new LeafSpec(issuer, name);
        c.eku = eku;
        c.keyUsage = keyUsage;
        c.dnsNames = dnsNames;
        c.ipAddresses = ipAddresses;
        c.notBefore = notBefore;
        c.notAfter = notAfter;
        c.keyKind = keyKind;
        c.keyPair = keyPair;
        c.serial = serial;
        c.corruptSignature = corruptSignature;
        return c;
    }

    /** A copy of this spec with {@code change} applied to it (this spec stays as it is). */
    private LeafSpec with(Consumer<LeafSpec> change) {
        LeafSpec c = copy();
        change.accept(c);
        return c;
    }

    /** Extended key usages; with no argument the certificate has no EKU extension at all. */
    public LeafSpec eku(KeyPurposeId... purposes) {
        for (KeyPurposeId p : purposes) {
            Objects.requireNonNull(p, "purpose");
        }
        return with(c -> c.eku = purposes.clone());
    }

    /** Extended key usages from the EKU matrix ({@link LeafEku#NONE}: no extension). */
    public LeafSpec eku(LeafEku variant) {
        return eku(variant.purposes());
    }

    /** No EKU extension (the default). */
    public LeafSpec noEku() {
        return eku();
    }

    /**
     * Key usage bits as Bouncy Castle's {@link KeyUsage} constants, e.g.
     * {@code KeyUsage.digitalSignature | KeyUsage.keyEncipherment}. The extension is marked critical.
     */
    public LeafSpec keyUsage(int bcKeyUsageBits) {
        if (bcKeyUsageBits < 0) {
            throw new IllegalArgumentException("key usage bits must be non-negative");
        }
        return with(c -> c.keyUsage = bcKeyUsageBits);
    }

    /** No key usage extension. */
    public LeafSpec noKeyUsage() {
        return with(c -> c.keyUsage = -1);
    }

    /** DNS names of the subject alternative name extension (no SAN extension without names). */
    public LeafSpec dnsNames(String... names) {
        return with(c -> c.dnsNames = names.clone());
    }

    /** IP addresses ("127.0.0.1") of the subject alternative name extension, after the DNS names. */
    public LeafSpec ipAddresses(String... addresses) {
        return with(c -> c.ipAddresses = addresses.clone());
    }

    /** Validity period. */
    public LeafSpec validity(Instant from, Instant until) {
        return with(c -> {
            c.notBefore = Objects.requireNonNull(from, "from");
            c.notAfter = Objects.requireNonNull(until, "until");
        });
    }

    /** Key type of the leaf; default the issuing CA's kind. Ignored if {@link #keyPair(KeyPair)} is set. */
    public LeafSpec keyKind(KeyKind kind) {
        return with(c -> c.keyKind = Objects.requireNonNull(kind, "kind"));
    }

    /** An explicit key pair, e.g. {@link KeyKind#freshKeyPair()} when the key must be unique. */
    public LeafSpec keyPair(KeyPair pair) {
        return with(c -> c.keyPair = Objects.requireNonNull(pair, "pair"));
    }

    /** An explicit serial number; default a unique random positive 64-bit number. */
    public LeafSpec serial(BigInteger sn) {
        if (sn.signum() <= 0) {
            throw new IllegalArgumentException("serial must be positive");
        }
        return with(c -> c.serial = sn);
    }

    /** Damages the certificate's signature so that chain validation fails on signature verification. */
    public LeafSpec corruptSignature() {
        return with(c -> c.corruptSignature = true);
    }

    /** Signs the certificate. Every call issues a new certificate (with a new serial unless one was set). */
    public Issued issue() {
        KeyKind kind = keyPair != null ? KeyKind.of(keyPair.getPublic()) : keyKind != null ? keyKind : issuer.kind();
        KeyPair pair = keyPair != null ? keyPair : KeyPool.INSTANCE.leafKey(kind, Certificates.ancestorKeys(issuer));
        BigInteger sn = serial != null ? serial : Certificates.newSerial();
        Instant now = Instant.now();
        Instant from = notBefore != null ? notBefore : now.minus(BACKDATE);
        Instant until = notAfter != null ? notAfter : now.plus(LIFETIME);
        try {
            JcaX509ExtensionUtils ext = Certificates.extensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer.certificate(), sn,
                    Date.from(from), Date.from(until), Certificates.name(name), pair.getPublic())
                    .addExtension(Extension.basicConstraints, false, new BasicConstraints(false))
                    .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(pair.getPublic()))
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            ext.createAuthorityKeyIdentifier(issuer.keyPair().getPublic()));
            int ku = keyUsage != null ? keyUsage
                    : kind == KeyKind.RSA_2048 ? KeyUsage.digitalSignature | KeyUsage.keyEncipherment
                    : KeyUsage.digitalSignature;
            if (ku >= 0) {
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(ku));
            }
            if (eku.length > 0) {
                builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(eku));
            }
            if (dnsNames.length + ipAddresses.length > 0) {
                List<GeneralName> names = new ArrayList<>();
                for (String dns : dnsNames) {
                    names.add(new GeneralName(GeneralName.dNSName, dns));
                }
                for (String ip : ipAddresses) {
                    names.add(new GeneralName(GeneralName.iPAddress, ip));
                }
                builder.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(names.toArray(new GeneralName[0])));
            }
            X509Certificate cert = Certificates.sign(builder, issuer.privateKey(), issuer.kind().signatureAlgorithm(),
                    corruptSignature);
            List<X509Certificate> chain = new ArrayList<>();
            chain.add(cert);
            chain.addAll(issuer.pathBelowRoot());
            return new Issued(pair, chain.toArray(new X509Certificate[0]), issuer);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot issue leaf " + name, e);
        }
    }
}
