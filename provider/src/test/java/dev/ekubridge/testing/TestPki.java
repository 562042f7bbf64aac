package dev.ekubridge.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Date;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * Run-time X.509 test PKI built with Bouncy Castle's certificate builders.
 *
 * <p>Everything this class hands out is a JDK object: key pairs come from the JDK's
 * {@link KeyPairGenerator} (so {@code getAlgorithm()} is {@code "EC"} / {@code "RSA"}), certificates are
 * signed with the JDK's default providers and parsed by the JDK's {@link CertificateFactory}. Bouncy Castle
 * is never registered as a global JCA provider.
 *
 * <pre>{@code
 * TestPki.Ca root = TestPki.root("Test Root", KeyKind.EC_P256);
 * TestPki.Ca issuing = root.intermediate("Issuing CA");
 * TestPki.Issued client = issuing.leaf("client-1").eku(LeafEku.CLIENT_AUTH).issue();
 * KeyStore ks = TestPki.keyStore("PKCS12", PASSWORD, Map.of("client", client));
 * KeyStore ts = TestPki.trustStore(root.certificate());
 * }</pre>
 *
 * <p>Key pairs are pooled per {@link KeyKind} (RSA-2048 generation is slow): certificates issued by this
 * class share a handful of key pairs, but a certificate never shares its key with its own issuer chain.
 * Use {@link LeafSpec#keyPair(KeyPair)} with {@link KeyKind#freshKeyPair()} where a test needs a key that
 * nothing else uses.
 */
public final class TestPki {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Set<BigInteger> USED_SERIALS = ConcurrentHashMap.newKeySet();
    private static final Duration CA_BACKDATE = Duration.ofDays(1);
    private static final Duration CA_LIFETIME = Duration.ofDays(3650);
    private static final Duration LEAF_BACKDATE = Duration.ofHours(1);
    private static final Duration LEAF_LIFETIME = Duration.ofDays(30);

    /** Key pairs reused by CA certificates (kept apart from the leaf pool so a leaf never shares its issuer's key). */
    private static final int CA_POOL_SIZE = 4;
    /** Key pairs reused by leaf certificates. */
    private static final int LEAF_POOL_SIZE = 4;

    private TestPki() {
    }

    // ------------------------------------------------------------------------------------------------
    // Key kinds and key pair pool
    // ------------------------------------------------------------------------------------------------

    /** Supported key types. */
    public enum KeyKind {
        EC_P256("EC", "SHA256withECDSA"),
        RSA_2048("RSA", "SHA256withRSA");

        private final String jcaAlgorithm;
        private final String signatureAlgorithm;

        KeyKind(String jcaAlgorithm, String signatureAlgorithm) {
            this.jcaAlgorithm = jcaAlgorithm;
            this.signatureAlgorithm = signatureAlgorithm;
        }

        /** The JCA key algorithm name, equal to {@code PublicKey.getAlgorithm()}: "EC" or "RSA". */
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
                    generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
                } else {
                    generator.initialize(2048, RANDOM);
                }
                return generator.generateKeyPair();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot generate " + this + " key pair", e);
            }
        }

        /** A key pair from the shared pool (cheap; other certificates may use the same key pair). */
        public KeyPair pooledKeyPair() {
            return POOL.leafKey(this, Collections.emptyList());
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

    /** Shorthand for {@link KeyKind#freshKeyPair()}. */
    public static KeyPair freshKeyPair(KeyKind kind) {
        return kind.freshKeyPair();
    }

    private static final KeyPool POOL = new KeyPool();

    /** Lazily filled pools of key pairs, one per kind for CAs and one per kind for leaves. */
    private static final class KeyPool {
        private final Map<KeyKind, List<KeyPair>> caKeys = new EnumMap<>(KeyKind.class);
        private final Map<KeyKind, List<KeyPair>> leafKeys = new EnumMap<>(KeyKind.class);
        private final Map<KeyKind, Integer> caNext = new EnumMap<>(KeyKind.class);
        private final Map<KeyKind, Integer> leafNext = new EnumMap<>(KeyKind.class);

        synchronized KeyPair caKey(KeyKind kind, List<PublicKey> avoid) {
            return take(kind, avoid, caKeys, caNext, CA_POOL_SIZE);
        }

        synchronized KeyPair leafKey(KeyKind kind, List<PublicKey> avoid) {
            return take(kind, avoid, leafKeys, leafNext, LEAF_POOL_SIZE);
        }

        private static KeyPair take(KeyKind kind, List<PublicKey> avoid, Map<KeyKind, List<KeyPair>> pools,
                                    Map<KeyKind, Integer> cursors, int size) {
            List<KeyPair> pool = pools.computeIfAbsent(kind, k -> new ArrayList<>());
            for (int attempt = 0; attempt < size + 1; attempt++) {
                int index = cursors.getOrDefault(kind, 0);
                cursors.put(kind, (index + 1) % size);
                if (index >= pool.size()) {
                    pool.add(kind.freshKeyPair());
                    index = pool.size() - 1;
                }
                KeyPair candidate = pool.get(index);
                if (!avoid.contains(candidate.getPublic())) {
                    return candidate;
                }
            }
            return kind.freshKeyPair();
        }
    }

    // ------------------------------------------------------------------------------------------------
    // EKU matrix
    // ------------------------------------------------------------------------------------------------

    /** The extended key usage variants of the EKU test matrix. */
    public enum LeafEku {
        SERVER_AUTH(KeyPurposeId.id_kp_serverAuth),
        CLIENT_AUTH(KeyPurposeId.id_kp_clientAuth),
        BOTH(KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth),
        /** No extended key usage extension at all. */
        NONE(),
        ANY(KeyPurposeId.anyExtendedKeyUsage),
        CODE_SIGNING(KeyPurposeId.id_kp_codeSigning),
        EMAIL_AND_SERVER_AUTH(KeyPurposeId.id_kp_emailProtection, KeyPurposeId.id_kp_serverAuth);

        private final KeyPurposeId[] purposes;

        LeafEku(KeyPurposeId... purposes) {
            this.purposes = purposes;
        }

        /** The key purposes to put in the extension; empty means "no EKU extension". */
        public KeyPurposeId[] purposes() {
            return purposes.clone();
        }
    }

    // ------------------------------------------------------------------------------------------------
    // CAs
    // ------------------------------------------------------------------------------------------------

    /** A new self-signed root CA. */
    public static Ca root(String cn, KeyKind kind) {
        Objects.requireNonNull(kind, "kind");
        KeyPair keyPair = POOL.caKey(kind, Collections.emptyList());
        X500Name name = cnName(cn);
        BigInteger serial = newSerial();
        Instant now = Instant.now();
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial,
                    Date.from(now.minus(CA_BACKDATE)), Date.from(now.plus(CA_LIFETIME)), name, keyPair.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            ext.createSubjectKeyIdentifier(keyPair.getPublic()));
            X509Certificate cert = sign(builder, keyPair.getPrivate(), kind, false);
            return new Ca(null, kind, keyPair, cert, serial);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot create root CA " + cn, e);
        }
    }

    /** A certificate authority: a root or an intermediate. Immutable. */
    public static final class Ca {
        private final Ca parent;
        private final KeyKind kind;
        private final KeyPair keyPair;
        private final X509Certificate certificate;
        private final BigInteger serial;

        private Ca(Ca parent, KeyKind kind, KeyPair keyPair, X509Certificate certificate, BigInteger serial) {
            this.parent = parent;
            this.kind = kind;
            this.keyPair = keyPair;
            this.certificate = certificate;
            this.serial = serial;
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
            return serial;
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
        public Ca intermediate(String cn) {
            return intermediate(cn, kind);
        }

        /** A subordinate CA with its own key kind, signed by this CA. */
        public Ca intermediate(String cn, KeyKind subKind) {
            Objects.requireNonNull(subKind, "subKind");
            KeyPair subKeys = POOL.caKey(subKind, ancestorKeys(this));
            X500Name name = cnName(cn);
            BigInteger sn = newSerial();
            Instant now = Instant.now();
            try {
                JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
                X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(certificate, sn,
                        Date.from(now.minus(CA_BACKDATE)), Date.from(now.plus(CA_LIFETIME)), name, subKeys.getPublic())
                        .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                        .addExtension(Extension.keyUsage, true,
                                new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                        .addExtension(Extension.subjectKeyIdentifier, false,
                                ext.createSubjectKeyIdentifier(subKeys.getPublic()))
                        .addExtension(Extension.authorityKeyIdentifier, false,
                                ext.createAuthorityKeyIdentifier(keyPair.getPublic()));
                X509Certificate cert = sign(builder, keyPair.getPrivate(), kind, false);
                return new Ca(this, subKind, subKeys, cert, sn);
            } catch (IOException | GeneralSecurityException e) {
                throw new IllegalStateException("cannot create intermediate CA " + cn, e);
            }
        }

        /** Starts a leaf certificate issued by this CA; finish with {@link LeafSpec#issue()}. */
        public LeafSpec leaf(String cn) {
            return new LeafSpec(this, cn);
        }

        @Override
        public String toString() {
            return "Ca[" + certificate.getSubjectX500Principal().getName() + ", " + kind
                    + (parent == null ? ", root" : ", issuer=" + certificate.getIssuerX500Principal().getName()) + "]";
        }
    }

    private static List<PublicKey> ancestorKeys(Ca ca) {
        List<PublicKey> keys = new ArrayList<>();
        for (Ca c = ca; c != null; c = c.parent) {
            keys.add(c.keyPair.getPublic());
        }
        return keys;
    }

    // ------------------------------------------------------------------------------------------------
    // Leaves
    // ------------------------------------------------------------------------------------------------

    /**
     * Immutable description of a leaf certificate; every setter returns a new spec, so a spec can be
     * shared as a template.
     */
    public static final class LeafSpec {
        private final Ca issuer;
        private final String cn;
        private final KeyPurposeId[] eku;
        private final Integer keyUsage; // null = default for key kind; -1 = no extension
        private final String[] dnsNames;
        private final Instant notBefore;
        private final Instant notAfter;
        private final KeyKind keyKind;
        private final KeyPair keyPair;
        private final BigInteger serial;
        private final boolean corruptSignature;

        private LeafSpec(Ca issuer, String cn) {
            this(issuer, cn, new KeyPurposeId[0], null, new String[0], null, null, null, null, null, false);
        }

        private LeafSpec(Ca issuer, String cn, KeyPurposeId[] eku, Integer keyUsage, String[] dnsNames,
                         Instant notBefore, Instant notAfter, KeyKind keyKind, KeyPair keyPair, BigInteger serial,
                         boolean corruptSignature) {
            this.issuer = issuer;
            this.cn = cn;
            this.eku = eku;
            this.keyUsage = keyUsage;
            this.dnsNames = dnsNames;
            this.notBefore = notBefore;
            this.notAfter = notAfter;
            this.keyKind = keyKind;
            this.keyPair = keyPair;
            this.serial = serial;
            this.corruptSignature = corruptSignature;
        }

        private LeafSpec with(KeyPurposeId[] newEku, Integer newKeyUsage, String[] newDns, Instant newNotBefore,
                              Instant newNotAfter, KeyKind newKind, KeyPair newKeyPair, BigInteger newSerial,
                              boolean newCorrupt) {
            return new LeafSpec(issuer, cn, newEku, newKeyUsage, newDns, newNotBefore, newNotAfter, newKind,
                    newKeyPair, newSerial, newCorrupt);
        }

        /** Extended key usages; with no argument the certificate has no EKU extension at all. */
        public LeafSpec eku(KeyPurposeId... purposes) {
            for (KeyPurposeId p : purposes) {
                Objects.requireNonNull(p, "purpose");
            }
            return with(purposes.clone(), keyUsage, dnsNames, notBefore, notAfter, keyKind, keyPair, serial,
                    corruptSignature);
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
         * {@code KeyUsage.digitalSignature | KeyUsage.keyEncipherment}. Default: digitalSignature, plus
         * keyEncipherment for RSA keys. The extension is marked critical.
         */
        public LeafSpec keyUsage(int bcKeyUsageBits) {
            if (bcKeyUsageBits < 0) {
                throw new IllegalArgumentException("key usage bits must be non-negative");
            }
            return with(eku, bcKeyUsageBits, dnsNames, notBefore, notAfter, keyKind, keyPair, serial,
                    corruptSignature);
        }

        /** No key usage extension. */
        public LeafSpec noKeyUsage() {
            return with(eku, -1, dnsNames, notBefore, notAfter, keyKind, keyPair, serial, corruptSignature);
        }

        /** DNS names for a subject alternative name extension (none by default: no SAN extension). */
        public LeafSpec dnsNames(String... names) {
            return with(eku, keyUsage, names.clone(), notBefore, notAfter, keyKind, keyPair, serial,
                    corruptSignature);
        }

        /** Validity period; default from one hour ago to 30 days from now. */
        public LeafSpec validity(Instant from, Instant until) {
            return with(eku, keyUsage, dnsNames, Objects.requireNonNull(from), Objects.requireNonNull(until),
                    keyKind, keyPair, serial, corruptSignature);
        }

        /** Key type of the leaf; default the issuing CA's kind. Ignored if {@link #keyPair(KeyPair)} is set. */
        public LeafSpec keyKind(KeyKind kind) {
            return with(eku, keyUsage, dnsNames, notBefore, notAfter, Objects.requireNonNull(kind), keyPair, serial,
                    corruptSignature);
        }

        /** An explicit key pair, e.g. {@link KeyKind#freshKeyPair()} when the key must be unique. */
        public LeafSpec keyPair(KeyPair pair) {
            return with(eku, keyUsage, dnsNames, notBefore, notAfter, keyKind, Objects.requireNonNull(pair), serial,
                    corruptSignature);
        }

        /** An explicit serial number; default a unique random positive 64-bit number. */
        public LeafSpec serial(BigInteger sn) {
            if (sn.signum() <= 0) {
                throw new IllegalArgumentException("serial must be positive");
            }
            return with(eku, keyUsage, dnsNames, notBefore, notAfter, keyKind, keyPair, sn, corruptSignature);
        }

        /** Damages the certificate's signature so that chain validation fails on signature verification. */
        public LeafSpec corruptSignature() {
            return with(eku, keyUsage, dnsNames, notBefore, notAfter, keyKind, keyPair, serial, true);
        }

        /** Signs the certificate. Every call issues a new certificate (with a new serial unless one was set). */
        public Issued issue() {
            KeyKind kind = keyPair != null ? KeyKind.of(keyPair.getPublic()) : keyKind != null ? keyKind : issuer.kind;
            KeyPair pair = keyPair != null ? keyPair : POOL.leafKey(kind, ancestorKeys(issuer));
            BigInteger sn = serial != null ? serial : newSerial();
            Instant now = Instant.now();
            Instant from = notBefore != null ? notBefore : now.minus(LEAF_BACKDATE);
            Instant until = notAfter != null ? notAfter : now.plus(LEAF_LIFETIME);
            try {
                JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
                X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer.certificate, sn,
                        Date.from(from), Date.from(until), cnName(cn), pair.getPublic())
                        .addExtension(Extension.basicConstraints, false, new BasicConstraints(false))
                        .addExtension(Extension.subjectKeyIdentifier, false,
                                ext.createSubjectKeyIdentifier(pair.getPublic()))
                        .addExtension(Extension.authorityKeyIdentifier, false,
                                ext.createAuthorityKeyIdentifier(issuer.keyPair.getPublic()));
                int ku = keyUsage != null ? keyUsage
                        : kind == KeyKind.RSA_2048 ? KeyUsage.digitalSignature | KeyUsage.keyEncipherment
                        : KeyUsage.digitalSignature;
                if (ku >= 0) {
                    builder.addExtension(Extension.keyUsage, true, new KeyUsage(ku));
                }
                if (eku.length > 0) {
                    builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(eku));
                }
                if (dnsNames.length > 0) {
                    GeneralName[] names = new GeneralName[dnsNames.length];
                    for (int i = 0; i < dnsNames.length; i++) {
                        names[i] = new GeneralName(GeneralName.dNSName, dnsNames[i]);
                    }
                    builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
                }
                X509Certificate cert = sign(builder, issuer.keyPair.getPrivate(), issuer.kind, corruptSignature);
                List<X509Certificate> chain = new ArrayList<>();
                chain.add(cert);
                chain.addAll(issuer.pathBelowRoot());
                return new Issued(cert, pair, chain.toArray(new X509Certificate[0]), issuer);
            } catch (IOException | GeneralSecurityException e) {
                throw new IllegalStateException("cannot issue leaf " + cn, e);
            }
        }
    }

    /** An issued leaf certificate with its private key and chain. Immutable. */
    public static final class Issued {
        private final X509Certificate certificate;
        private final KeyPair keyPair;
        private final X509Certificate[] chain;
        private final Ca issuer;

        private Issued(X509Certificate certificate, KeyPair keyPair, X509Certificate[] chain, Ca issuer) {
            this.certificate = certificate;
            this.keyPair = keyPair;
            this.chain = chain;
            this.issuer = issuer;
        }

        public X509Certificate certificate() {
            return certificate;
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
            X509Certificate[] full = Arrays.copyOf(chain, chain.length + 1);
            full[chain.length] = issuer.root().certificate();
            return full;
        }

        public BigInteger serial() {
            return certificate.getSerialNumber();
        }

        /** The CA that signed the leaf. */
        public Ca issuer() {
            return issuer;
        }

        @Override
        public String toString() {
            return "Issued[" + certificate.getSubjectX500Principal().getName() + ", serial=" + serial()
                    + ", key=" + keyPair.getPublic().getAlgorithm() + "]";
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Key stores
    // ------------------------------------------------------------------------------------------------

    /** An in-memory PKCS12 key store holding the anchors as trusted certificate entries "anchor-0", "anchor-1"... */
    public static KeyStore trustStore(X509Certificate... anchors) {
        return trustStore("PKCS12", anchors);
    }

    /** An in-memory key store of the given type ("PKCS12" or "JKS") holding trusted certificate entries. */
    public static KeyStore trustStore(String type, X509Certificate... anchors) {
        try {
            KeyStore ks = KeyStore.getInstance(type);
            ks.load(null, null);
            for (int i = 0; i < anchors.length; i++) {
                ks.setCertificateEntry("anchor-" + i, anchors[i]);
            }
            return ks;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot build trust store", e);
        }
    }

    /**
     * An in-memory key store ("PKCS12" or "JKS") with one private key entry per map entry (alias to issued
     * certificate; use a LinkedHashMap or Map.of as you like), each protected by {@code password} and carrying
     * {@link Issued#chain()}.
     */
    public static KeyStore keyStore(String type, char[] password, Map<String, Issued> entries) {
        try {
            KeyStore ks = KeyStore.getInstance(type);
            ks.load(null, null);
            for (Map.Entry<String, Issued> e : entries.entrySet()) {
                ks.setKeyEntry(e.getKey(), e.getValue().privateKey(), password, e.getValue().chain());
            }
            return ks;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot build " + type + " key store", e);
        }
    }

    /** Single-entry convenience for {@link #keyStore(String, char[], Map)}. */
    public static KeyStore keyStore(String type, char[] password, String alias, Issued issued) {
        return keyStore(type, password, Collections.singletonMap(alias, issued));
    }

    /** The serialized form of a key store. */
    public static byte[] toBytes(KeyStore keyStore, char[] password) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            keyStore.store(out, password);
            return out.toByteArray();
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot serialize key store", e);
        }
    }

    /** A PKCS12 file image with the given entries (store password = key password). */
    public static byte[] toPkcs12Bytes(char[] password, Map<String, Issued> entries) {
        return toBytes(keyStore("PKCS12", password, entries), password);
    }

    /** A JKS file image with the given entries (store password = key password). */
    public static byte[] toJksBytes(char[] password, Map<String, Issued> entries) {
        return toBytes(keyStore("JKS", password, entries), password);
    }

    /** Writes a PKCS12 file (store password = key password); returns {@code file}. */
    public static Path writePkcs12(Path file, char[] password, Map<String, Issued> entries) {
        return write(file, toPkcs12Bytes(password, entries));
    }

    /** Writes a JKS file (store password = key password); returns {@code file}. */
    public static Path writeJks(Path file, char[] password, Map<String, Issued> entries) {
        return write(file, toJksBytes(password, entries));
    }

    /** Writes a trust store file of the given type ("PKCS12" or "JKS"); returns {@code file}. */
    public static Path writeTrustStore(Path file, String type, char[] password, X509Certificate... anchors) {
        return write(file, toBytes(trustStore(type, anchors), password));
    }

    // ------------------------------------------------------------------------------------------------
    // Key manager
    // ------------------------------------------------------------------------------------------------

    /** The alias under which {@link #fixedKeyManager(Issued)} offers its certificate. */
    public static final String FIXED_ALIAS = "fixed";

    /**
     * A key manager that offers this one certificate, in either role, whenever the requested key type fits its
     * key (no EKU, key usage or issuer filtering). Understands SunJSSE key types ("EC", "RSA") and BCJSSE ones
     * ("EC/secp256r1", "ECDHE_ECDSA", "ECDHE_RSA"...). Use it to make a peer present a certificate that the
     * JDK's or BCJSSE's own key managers would withhold, so that the other side's trust decision is tested.
     */
    public static X509ExtendedKeyManager fixedKeyManager(Issued issued) {
        return new FixedKeyManager(issued.privateKey(), issued.chain());
    }

    /** As {@link #fixedKeyManager(Issued)}, for any key and chain (leaf first). */
    public static X509ExtendedKeyManager fixedKeyManager(PrivateKey key, X509Certificate... chain) {
        return new FixedKeyManager(key, chain.clone());
    }

    private static final class FixedKeyManager extends X509ExtendedKeyManager {
        private final PrivateKey key;
        private final X509Certificate[] chain;

        FixedKeyManager(PrivateKey key, X509Certificate[] chain) {
            this.key = Objects.requireNonNull(key, "key");
            this.chain = chain;
        }

        private boolean fits(String keyType) {
            if (keyType == null) {
                return false;
            }
            PublicKey key = chain[0].getPublicKey();
            String algorithm = key.getAlgorithm();
            String base = keyType.toUpperCase(Locale.ROOT);
            String curve = null;
            int slash = base.indexOf('/');
            if (slash >= 0) {
                curve = keyType.substring(slash + 1);
                base = base.substring(0, slash);
            }
            boolean typeFits = base.equals(algorithm)
                    || ("EC".equals(algorithm) && (base.endsWith("_ECDSA") || base.endsWith("_EC")))
                    || ("RSA".equals(algorithm) && base.endsWith("_RSA"));
            if (!typeFits) {
                return false;
            }
            if (curve != null && key instanceof java.security.interfaces.ECPublicKey) {
                return ((java.security.interfaces.ECPublicKey) key).getParams().toString().contains(curve);
            }
            return true;
        }

        private String aliasFor(String[] keyTypes) {
            if (keyTypes != null) {
                for (String keyType : keyTypes) {
                    if (fits(keyType)) {
                        return FIXED_ALIAS;
                    }
                }
            }
            return null;
        }

        private String[] aliasesFor(String keyType) {
            return fits(keyType) ? new String[] {FIXED_ALIAS} : null;
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return aliasesFor(keyType);
        }

        @Override
        public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
            return aliasFor(keyTypes);
        }

        @Override
        public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
            return aliasFor(keyTypes);
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return aliasesFor(keyType);
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return fits(keyType) ? FIXED_ALIAS : null;
        }

        @Override
        public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
            return fits(keyType) ? FIXED_ALIAS : null;
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return FIXED_ALIAS.equals(alias) ? chain.clone() : null;
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return FIXED_ALIAS.equals(alias) ? key : null;
        }
    }

    // ------------------------------------------------------------------------------------------------
    // PEM
    // ------------------------------------------------------------------------------------------------

    /** PEM "CERTIFICATE" blocks, in the given order. */
    public static String pemChain(X509Certificate... certificates) {
        return pem(w -> {
            for (X509Certificate c : certificates) {
                w.writeObject(c);
            }
        });
    }

    /** Writes PEM "CERTIFICATE" blocks in the given order; returns {@code file}. */
    public static Path writePemChain(Path file, X509Certificate... certificates) {
        return writeText(file, pemChain(certificates));
    }

    /** Unencrypted PKCS#8 "PRIVATE KEY". */
    public static String pemKeyPkcs8(PrivateKey key) {
        return pem(w -> w.writeObject(new PemObject("PRIVATE KEY", key.getEncoded())));
    }

    /** Writes an unencrypted PKCS#8 "PRIVATE KEY" file; returns {@code file}. */
    public static Path writePemKeyPkcs8(Path file, PrivateKey key) {
        return writeText(file, pemKeyPkcs8(key));
    }

    /**
     * Traditional OpenSSL format: "RSA PRIVATE KEY" (PKCS#1) for RSA, "EC PRIVATE KEY" (SEC1, with the
     * named-curve parameters and the public key, as OpenSSL writes it) for EC.
     */
    public static String pemKeyPkcs1OrSec1(PrivateKey key) {
        PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getEncoded());
        try {
            if (key instanceof ECPrivateKey) {
                // The JDK's PKCS#8 encoding of an EC key carries a bare SEC1 structure (no curve, no public
                // key); "EC PRIVATE KEY" readers need the curve, so rebuild the structure in full.
                ASN1ObjectIdentifier curve = ASN1ObjectIdentifier.getInstance(
                        info.getPrivateKeyAlgorithm().getParameters());
                X9ECParameters params = CustomNamedCurves.getByOID(curve);
                if (params == null) {
                    params = org.bouncycastle.asn1.x9.ECNamedCurveTable.getByOID(curve);
                }
                BigInteger d = ((ECPrivateKey) key).getS();
                byte[] point = params.getG().multiply(d).normalize().getEncoded(false);
                org.bouncycastle.asn1.sec.ECPrivateKey sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(
                        params.getN().bitLength(), d, new DERBitString(point), curve);
                return pem(w -> w.writeObject(new PemObject("EC PRIVATE KEY", sec1.getEncoded())));
            }
            if ("RSA".equals(key.getAlgorithm())) {
                ASN1Primitive pkcs1 = info.parsePrivateKey().toASN1Primitive();
                return pem(w -> w.writeObject(new PemObject("RSA PRIVATE KEY", pkcs1.getEncoded())));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalArgumentException("unsupported key algorithm " + key.getAlgorithm());
    }

    /** Writes {@link #pemKeyPkcs1OrSec1(PrivateKey)}; returns {@code file}. */
    public static Path writePemKeyPkcs1OrSec1(Path file, PrivateKey key) {
        return writeText(file, pemKeyPkcs1OrSec1(key));
    }

    /**
     * Encrypted PKCS#8 "ENCRYPTED PRIVATE KEY": PBES2 with PBKDF2-HMAC-SHA256 and AES-256-CBC.
     */
    public static String pemKeyEncryptedPkcs8(PrivateKey key, char[] password) {
        try {
            OutputEncryptor encryptor = new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
                    .setProvider(BC_INSTANCE)
                    .setPRF(PKCS8Generator.PRF_HMACSHA256)
                    .setIterationCount(2048)
                    .setRandom(RANDOM)
                    .setPassword(password)
                    .build();
            JcaPKCS8Generator generator = new JcaPKCS8Generator(key, encryptor);
            return pem(w -> w.writeObject(generator));
        } catch (OperatorCreationException | org.bouncycastle.util.io.pem.PemGenerationException e) {
            throw new IllegalStateException("cannot encrypt private key", e);
        }
    }

    /** Writes {@link #pemKeyEncryptedPkcs8(PrivateKey, char[])}; returns {@code file}. */
    public static Path writePemKeyEncryptedPkcs8(Path file, PrivateKey key, char[] password) {
        return writeText(file, pemKeyEncryptedPkcs8(key, password));
    }

    /**
     * A private Bouncy Castle provider instance, used only where the JDK lacks an algorithm: with the JDK
     * providers the encrypted PKCS#8 writer fails ("2.16.840.1.101.3.4.1.42 not available: Cannot find any
     * provider supporting AES/CBC/PKCS7Padding"). Never registered with {@code Security}. The output is
     * standard PBES2 that the JDK itself can decrypt.
     */
    private static final BouncyCastleProvider BC_INSTANCE = new BouncyCastleProvider();

    // ------------------------------------------------------------------------------------------------
    // internals
    // ------------------------------------------------------------------------------------------------

    private static X500Name cnName(String cn) {
        Objects.requireNonNull(cn, "cn");
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, cn).build();
    }

    private static BigInteger newSerial() {
        while (true) {
            BigInteger candidate = new BigInteger(64, RANDOM);
            if (candidate.signum() > 0 && USED_SERIALS.add(candidate)) {
                return candidate;
            }
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey issuerKey, KeyKind issuerKind,
                                        boolean corrupt) throws GeneralSecurityException {
        ContentSigner signer;
        try {
            // no setProvider: the JDK's default providers do the signing
            signer = new JcaContentSignerBuilder(issuerKind.signatureAlgorithm()).build(issuerKey);
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("cannot create signer", e);
        }
        X509CertificateHolder holder = builder.build(signer);
        if (!corrupt) {
            // no setProvider: the JDK's own CertificateFactory parses it
            return new JcaX509CertificateConverter().getCertificate(holder);
        }
        byte[] der;
        try {
            der = holder.getEncoded();
        } catch (IOException e) {
            throw new GeneralSecurityException(e);
        }
        // signatureValue is the last field of the certificate: flipping its last byte keeps the DER valid
        // but breaks the signature (for ECDSA it alters the 's' integer).
        der[der.length - 1] ^= 0x01;
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new java.io.ByteArrayInputStream(der));
    }

    @FunctionalInterface
    private interface PemBody {
        void write(JcaPEMWriter writer) throws IOException;
    }

    private static String pem(PemBody body) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            body.write(writer);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static Path writeText(Path file, String text) {
        return write(file, text.getBytes(StandardCharsets.US_ASCII));
    }

    private static Path write(Path file, byte[] bytes) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try (OutputStream out = Files.newOutputStream(file)) {
                out.write(bytes);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
