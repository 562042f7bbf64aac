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
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Client certificates and their <em>twins</em>: the same certificate (subject, serial, key, validity,
 * extensions, issuer, signature algorithm) whose EKU alone is made to permit clientAuth. The twin is the
 * oracle of the EKU policy: a relaxed mode's verdict on a certificate must be the wrapped trust manager's
 * client-direction verdict on its twin. A certificate that already permits clientAuth is its own twin.
 *
 * <p>Certificates are built from a {@link Spec}, which can express what the corpus needs: any EKU list,
 * KeyUsage, Netscape certificate type, extra (critical) extensions, validity, signature algorithm, a
 * self-signed or CA-issued leaf.
 */
public final class Twins {
    private static final AtomicLong SERIALS = new AtomicLong(System.currentTimeMillis() << 8);

    private Twins() {
    }

    /** A certificate and its twin, both with the same key; chains leaf first, excluding the root. */
    public record Pair(String name, PrivateKey key, X509Certificate[] chain, X509Certificate[] twinChain) {
        public X509Certificate leaf() {
            return chain[0];
        }

        public X509Certificate twin() {
            return twinChain[0];
        }

        /** Whether the certificate is its own twin (it permits clientAuth already). */
        public boolean isOwnTwin() {
            return chain[0].equals(twinChain[0]);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** What to issue. Immutable; each setter returns a copy. */
    public static final class Spec {
        private final String name;
        private final Ca issuer; // null: self-signed
        private final KeyPair keyPair;
        private final List<KeyPurposeId> eku; // null: no EKU extension
        private final Integer keyUsage; // null: no KeyUsage extension
        private final byte[] netscapeCertType; // null: none
        private final boolean netscapeCritical;
        private final List<Extension> extra;
        private final Instant notBefore;
        private final Instant notAfter;
        private final String signatureAlgorithm; // null: the issuer kind's default
        private final String subject;

        private Spec(String name, Ca issuer, KeyPair keyPair, List<KeyPurposeId> eku, Integer keyUsage,
                byte[] netscapeCertType, boolean netscapeCritical, List<Extension> extra, Instant notBefore, Instant notAfter,
                String signatureAlgorithm, String subject) {
            this.name = name;
            this.issuer = issuer;
            this.keyPair = keyPair;
            this.eku = eku;
            this.keyUsage = keyUsage;
            this.netscapeCertType = netscapeCertType;
            this.netscapeCritical = netscapeCritical;
            this.extra = extra;
            this.notBefore = notBefore;
            this.notAfter = notAfter;
            this.signatureAlgorithm = signatureAlgorithm;
            this.subject = subject;
        }

        /** A leaf issued by {@code issuer} (or self-signed when {@code null}) with {@code keyPair}: serverAuth only, digitalSignature. */
        public static Spec of(String name, Ca issuer, KeyPair keyPair) {
            Instant now = Instant.now();
            return new Spec(name, issuer, keyPair, List.of(KeyPurposeId.id_kp_serverAuth), KeyUsage.digitalSignature, null, false,
                List.of(), now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(30)), null, "CN=" + name + ",O=EKU Bridge twins");
        }

        public Spec named(String newName) {
            return new Spec(newName, issuer, keyPair, eku, keyUsage, netscapeCertType, netscapeCritical, extra, notBefore, notAfter,
                signatureAlgorithm, subject);
        }

        /** The EKU purposes; none at all means no EKU extension. */
        public Spec eku(KeyPurposeId... purposes) {
            return new Spec(name, issuer, keyPair, purposes.length == 0 ? null : List.of(purposes), keyUsage, netscapeCertType,
                netscapeCritical, extra, notBefore, notAfter, signatureAlgorithm, subject);
        }

        /** KeyUsage bits (Bouncy Castle's constants), critical; {@code null}: no extension. */
        public Spec keyUsage(Integer bits) {
            return new Spec(name, issuer, keyPair, eku, bits, netscapeCertType, netscapeCritical, extra, notBefore, notAfter,
                signatureAlgorithm, subject);
        }

        /** A Netscape certificate type extension with these bit-string bytes (bit 0, SSL client, is 0x80 of the first). */
        public Spec netscapeCertType(boolean critical, byte... bits) {
            return new Spec(name, issuer, keyPair, eku, keyUsage, bits, critical, extra, notBefore, notAfter, signatureAlgorithm, subject);
        }

        public Spec extension(ASN1ObjectIdentifier oid, boolean critical, ASN1Encodable value) {
            List<Extension> more = new ArrayList<>(extra);
            try {
                more.add(new Extension(oid, critical, value.toASN1Primitive().getEncoded()));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return new Spec(name, issuer, keyPair, eku, keyUsage, netscapeCertType, netscapeCritical, List.copyOf(more), notBefore,
                notAfter, signatureAlgorithm, subject);
        }

        public Spec validity(Instant from, Instant until) {
            return new Spec(name, issuer, keyPair, eku, keyUsage, netscapeCertType, netscapeCritical, extra, from, until,
                signatureAlgorithm, subject);
        }

        /** The issuer's signature algorithm, e.g. {@code SHA384withECDSA}. */
        public Spec signedWith(String algorithm) {
            return new Spec(name, issuer, keyPair, eku, keyUsage, netscapeCertType, netscapeCritical, extra, notBefore, notAfter,
                algorithm, subject);
        }

        /** The subject DN, in RFC 4514 form; control characters are welcome (hostile input). */
        public Spec subject(String dn) {
            return new Spec(name, issuer, keyPair, eku, keyUsage, netscapeCertType, netscapeCritical, extra, notBefore, notAfter,
                signatureAlgorithm, dn);
        }

        /** Issues the certificate and its twin. */
        public Pair issue() {
            BigInteger serial = BigInteger.valueOf(SERIALS.incrementAndGet());
            X509Certificate leaf = build(serial, eku);
            X509Certificate twin = permitsClientAuth(eku) ? leaf : build(serial, withClientAuth(eku));
            List<X509Certificate> above = issuer == null ? List.of() : issuer.pathBelowRoot();
            return new Pair(name, keyPair.getPrivate(), chain(leaf, above), chain(twin, above));
        }

        private static X509Certificate[] chain(X509Certificate leaf, List<X509Certificate> above) {
            List<X509Certificate> chain = new ArrayList<>();
            chain.add(leaf);
            chain.addAll(above);
            return chain.toArray(new X509Certificate[0]);
        }

        private static boolean permitsClientAuth(List<KeyPurposeId> purposes) {
            return purposes == null || purposes.contains(KeyPurposeId.id_kp_clientAuth) || purposes.contains(KeyPurposeId.anyExtendedKeyUsage);
        }

        private static List<KeyPurposeId> withClientAuth(List<KeyPurposeId> purposes) {
            List<KeyPurposeId> twin = new ArrayList<>(purposes);
            twin.add(KeyPurposeId.id_kp_clientAuth);
            return twin;
        }

        private X509Certificate build(BigInteger serial, List<KeyPurposeId> purposes) {
            X500Name subjectName = new X500Name(subject);
            PrivateKey signingKey = issuer == null ? keyPair.getPrivate() : issuer.privateKey();
            String algorithm = signatureAlgorithm != null ? signatureAlgorithm
                : issuer != null ? issuer.kind().signatureAlgorithm()
                : "EC".equals(keyPair.getPublic().getAlgorithm()) ? "SHA256withECDSA" : "SHA256withRSA";
            try {
                X509v3CertificateBuilder builder = issuer == null
                    ? new JcaX509v3CertificateBuilder(subjectName, serial, Date.from(notBefore), Date.from(notAfter), subjectName,
                        keyPair.getPublic())
                    : new JcaX509v3CertificateBuilder(issuer.certificate(), serial, Date.from(notBefore), Date.from(notAfter),
                        subjectName, keyPair.getPublic());
                builder.addExtension(Extension.basicConstraints, false, new BasicConstraints(false));
                if (keyUsage != null) {
                    builder.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage));
                }
                if (purposes != null) {
                    builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purposes.toArray(new KeyPurposeId[0])));
                }
                if (netscapeCertType != null) {
                    builder.addExtension(new ASN1ObjectIdentifier("2.16.840.1.113730.1.1"), netscapeCritical,
                        new DERBitString(netscapeCertType));
                }
                for (Extension extension : extra) {
                    builder.addExtension(extension);
                }
                return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder(algorithm).build(signingKey)));
            } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
                throw new IllegalStateException("cannot issue " + name, e);
            }
        }

        @Override
        public String toString() {
            return name + Arrays.toString(new Object[] {eku, keyUsage});
        }
    }
}
