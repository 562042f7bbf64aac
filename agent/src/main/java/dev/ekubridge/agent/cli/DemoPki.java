package dev.ekubridge.agent.cli;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The demonstration's run-time PKI: EC P-256 key pairs from the JDK, certificates built with Bouncy
 * Castle's builders, signed and parsed by the JDK's own providers (Bouncy Castle is never registered
 * as a JCA provider). Serial numbers are chosen by the caller so that a person can follow them
 * through the table.
 */
final class DemoPki {
    private static final long HOUR = 3600_000L;
    private static final long DAY = 24 * HOUR;

    private final KeyPairGenerator generator;
    private final JcaX509ExtensionUtils extensions;

    DemoPki() throws GeneralSecurityException {
        generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        extensions = new JcaX509ExtensionUtils();
    }

    /** A self-signed root CA, valid for ten years from an hour ago. */
    Ca ca(String commonName, long serial) throws GeneralSecurityException {
        KeyPair keys = generator.generateKeyPair();
        X500Name subject = new X500Name("CN=" + commonName + ",O=EKU Bridge demo");
        long now = System.currentTimeMillis();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, BigInteger.valueOf(serial),
            new Date(now - HOUR), new Date(now + 3650 * DAY), subject, keys.getPublic());
        try {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
            builder.addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(keys.getPublic()));
        } catch (CertIOException e) {
            throw new GeneralSecurityException("cannot build the CA certificate: " + e, e);
        }
        return new Ca(commonName, keys, sign(builder, keys.getPrivate()));
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey issuerKey) throws GeneralSecurityException {
        try {
            return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("cannot sign a certificate: " + e, e);
        }
    }

    /** A certification authority that issues end-entity certificates. */
    final class Ca {
        final String name;
        private final KeyPair keys;
        final X509Certificate certificate;

        private Ca(String name, KeyPair keys, X509Certificate certificate) {
            this.name = name;
            this.keys = keys;
            this.certificate = certificate;
        }

        /**
         * An end-entity certificate for {@code host} (also its DNS subject alternative name), valid for
         * 90 days from an hour ago, with KeyUsage digitalSignature and an EKU extension listing
         * serverAuth and/or clientAuth.
         */
        Leaf leaf(String host, long serial, boolean serverAuth, boolean clientAuth) throws GeneralSecurityException {
            KeyPair leafKeys = generator.generateKeyPair();
            long now = System.currentTimeMillis();
            X500Name issuer = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(serial),
                new Date(now - HOUR), new Date(now + 90 * DAY), new X500Name("CN=" + host), leafKeys.getPublic());
            List<KeyPurposeId> purposes = new ArrayList<KeyPurposeId>();
            if (serverAuth) {
                purposes.add(KeyPurposeId.id_kp_serverAuth);
            }
            if (clientAuth) {
                purposes.add(KeyPurposeId.id_kp_clientAuth);
            }
            try {
                builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
                builder.addExtension(Extension.extendedKeyUsage, false,
                    new ExtendedKeyUsage(purposes.toArray(new KeyPurposeId[0])));
                builder.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(new GeneralName(GeneralName.dNSName, host)));
                builder.addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(leafKeys.getPublic()));
                builder.addExtension(Extension.authorityKeyIdentifier, false, extensions.createAuthorityKeyIdentifier(certificate));
            } catch (CertIOException e) {
                throw new GeneralSecurityException("cannot build the certificate of " + host + ": " + e, e);
            }
            return new Leaf(leafKeys.getPrivate(), sign(builder, keys.getPrivate()), this);
        }
    }

    /** A private key with its end-entity certificate, and the CA that issued it. */
    static final class Leaf {
        final PrivateKey privateKey;
        final X509Certificate certificate;
        final Ca issuer;

        Leaf(PrivateKey privateKey, X509Certificate certificate, Ca issuer) {
            this.privateKey = privateKey;
            this.certificate = certificate;
            this.issuer = issuer;
        }

        /** The chain a node sends: the leaf (the peer trusts the root directly). */
        X509Certificate[] chain() {
            return new X509Certificate[] {certificate};
        }
    }
}
