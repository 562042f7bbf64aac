package dev.ekubridge.testsupport.pki;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** The PKI's internals: names, serials, signing and parsing, all with the JDK's providers. */
final class Certificates {
    static final SecureRandom RANDOM = new SecureRandom();
    private static final Set<BigInteger> USED_SERIALS = ConcurrentHashMap.newKeySet();

    private Certificates() {
    }

    /** {@code name} as a CN, or as a whole RFC 4514 DN when it contains '='. */
    static X500Name name(String name) {
        Objects.requireNonNull(name, "name");
        if (name.indexOf('=') >= 0) {
            return new X500Name(name);
        }
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, name).build();
    }

    /** A unique random positive 64-bit serial. */
    static BigInteger newSerial() {
        while (true) {
            BigInteger candidate = new BigInteger(64, RANDOM);
            if (candidate.signum() > 0 && USED_SERIALS.add(candidate)) {
                return candidate;
            }
        }
    }

    private static final ThreadLocal<JcaX509ExtensionUtils> EXTENSION_UTILS = ThreadLocal.withInitial(() -> {
        try {
            return new JcaX509ExtensionUtils();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });

    /** Key identifier extensions (SHA-1 of the key); one instance per thread, as making one costs more than using it. */
    static JcaX509ExtensionUtils extensionUtils() {
        return EXTENSION_UTILS.get();
    }

    /** The public keys of {@code ca} and of its issuers, which a new key under it must not reuse. */
    static List<PublicKey> ancestorKeys(Ca ca) {
        List<PublicKey> keys = new ArrayList<>();
        for (Ca c = ca; c != null; c = c.parent()) {
            keys.add(c.keyPair().getPublic());
        }
        return keys;
    }

    /**
     * Signs with the JDK's default providers and parses with the JDK's {@link CertificateFactory}. {@code corrupt}
     * flips the last byte of the signature value (the certificate's last field): the DER stays valid, the signature
     * does not verify (for ECDSA it alters the 's' integer).
     */
    static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey issuerKey, String signatureAlgorithm,
                                boolean corrupt) throws GeneralSecurityException {
        ContentSigner signer;
        try {
            // one shared SecureRandom: without it every signer seeds a new one, which doubles the cost of a certificate
            signer = new JcaContentSignerBuilder(signatureAlgorithm).setSecureRandom(RANDOM).build(issuerKey);
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("cannot create signer", e);
        }
        X509CertificateHolder holder = builder.build(signer);
        if (!corrupt) {
            return new JcaX509CertificateConverter().getCertificate(holder);
        }
        byte[] der;
        try {
            der = holder.getEncoded();
        } catch (IOException e) {
            throw new GeneralSecurityException(e);
        }
        der[der.length - 1] ^= 0x01;
        return parse(der);
    }

    static X509Certificate parse(byte[] der) throws GeneralSecurityException {
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    }
}
