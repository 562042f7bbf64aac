package dev.ekubridge;

import dev.ekubridge.EkuBridgeException.Reason;
import dev.ekubridge.internal.CertificateText;
import dev.ekubridge.internal.KeyTypes;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.cert.X509Certificate;
import java.security.interfaces.DSAParams;
import java.security.interfaces.DSAPrivateKey;
import java.security.interfaces.DSAPublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECField;
import java.security.spec.ECFieldF2m;
import java.security.spec.ECFieldFp;
import java.security.spec.ECParameterSpec;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.jcajce.provider.asymmetric.util.EC5Util;
import org.bouncycastle.jcajce.provider.asymmetric.util.ECUtil;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;

/**
 * Structural checks on a key and its chain, run once at load time. The key/certificate match is arithmetic where
 * the key type allows it, because it runs for every identity of a store (10,000 of them at a start or a reload):
 * RSA compares the modulus, EC derives the public point from the private scalar, DSA the public value from the
 * private one. Other keys (EdDSA, keys of a token whose private parts cannot be read) are matched by signing and
 * verifying a probe, which costs about a millisecond each. Chain signatures made with ECDSA are verified with Bouncy
 * Castle's lightweight verifier ({@link #verifySignature}).
 */
final class IdentityChecks {
    private static final byte[] PROBE = "EKU Bridge key/certificate match probe".getBytes(StandardCharsets.US_ASCII);
    /** Bouncy Castle's form of each curve met, with its generator's precomputed multiples: a handful in any JVM. */
    private static final Map<List<BigInteger>, org.bouncycastle.jce.spec.ECParameterSpec> CURVES = new ConcurrentHashMap<>();
    private static final int MAX_CURVES = 32;
    /** Issuers' EC keys in Bouncy Castle's form: the CAs of the identities loaded, a handful. */
    private static final Map<PublicKey, ECPublicKeyParameters> EC_ISSUER_KEYS = new ConcurrentHashMap<>();
    private static final int MAX_ISSUER_KEYS = 64;

    private IdentityChecks() {
    }

    /** The private key belongs to the certificate's public key, or KEY_MISMATCH. */
    static void checkKeyMatches(String source, PrivateKey key, X509Certificate leaf) {
        PublicKey publicKey = leaf.getPublicKey();
        Boolean derived = null;
        if (key instanceof RSAKey && publicKey instanceof RSAPublicKey) {
            derived = ((RSAKey) key).getModulus().equals(((RSAPublicKey) publicKey).getModulus())
                && (!(key instanceof RSAPrivateCrtKey)
                    || ((RSAPrivateCrtKey) key).getPublicExponent().equals(((RSAPublicKey) publicKey).getPublicExponent()));
        } else if (key instanceof ECPrivateKey && publicKey instanceof ECPublicKey) {
            derived = ecPointMatches((ECPrivateKey) key, (ECPublicKey) publicKey);
        } else if (key instanceof DSAPrivateKey && publicKey instanceof DSAPublicKey) {
            derived = dsaValueMatches((DSAPrivateKey) key, (DSAPublicKey) publicKey);
        }
        boolean matches = derived != null ? derived : signatureVerifies(key, publicKey);
        if (!matches) {
            throw new EkuBridgeException(Reason.KEY_MISMATCH, source + ": the private key does not belong to "
                + CertificateText.describe(leaf) + " (key " + key.getAlgorithm() + ", certificate key "
                + publicKey.getAlgorithm() + ")");
        }
    }

    /**
     * Whether the private scalar times the curve's generator is the certificate's public point; {@code null} when the
     * key does not show its scalar or curve (a token's key), so that the probe decides.
     */
    static Boolean ecPointMatches(ECPrivateKey key, ECPublicKey publicKey) {
        BigInteger s;
        ECParameterSpec params;
        try {
            s = key.getS();
            params = key.getParams();
        } catch (RuntimeException e) {
            return null;
        }
        ECParameterSpec certificateParams = publicKey.getParams();
        if (s == null || params == null || certificateParams == null) {
            return null;
        }
        if (!sameCurve(params, certificateParams)) {
            return false;
        }
        if (s.signum() <= 0 || s.compareTo(params.getOrder()) >= 0) {
            return false;
        }
        org.bouncycastle.jce.spec.ECParameterSpec curve;
        try {
            curve = bcCurve(params);
        } catch (RuntimeException e) {
            return null; // a curve Bouncy Castle cannot represent: the probe decides
        }
        ECPoint derived = new FixedPointCombMultiplier().multiply(curve.getG(), s).normalize();
        java.security.spec.ECPoint expected = publicKey.getW();
        return derived.getAffineXCoord().toBigInteger().equals(expected.getAffineX())
            && derived.getAffineYCoord().toBigInteger().equals(expected.getAffineY());
    }

    private static boolean sameCurve(ECParameterSpec a, ECParameterSpec b) {
        return a.getCurve().equals(b.getCurve()) && a.getGenerator().equals(b.getGenerator()) && a.getOrder().equals(b.getOrder())
            && a.getCofactor() == b.getCofactor();
    }

    private static org.bouncycastle.jce.spec.ECParameterSpec bcCurve(ECParameterSpec params) {
        ECField field = params.getCurve().getField();
        BigInteger fieldValue = field instanceof ECFieldFp ? ((ECFieldFp) field).getP()
            : field instanceof ECFieldF2m ? ((ECFieldF2m) field).getReductionPolynomial() : BigInteger.valueOf(field.getFieldSize());
        List<BigInteger> key = Arrays.asList(fieldValue, params.getCurve().getA(), params.getCurve().getB(),
            params.getGenerator().getAffineX(), params.getGenerator().getAffineY(), params.getOrder(),
            BigInteger.valueOf(params.getCofactor()));
        org.bouncycastle.jce.spec.ECParameterSpec curve = CURVES.get(key);
        if (curve == null) {
            curve = EC5Util.convertSpec(params);
            if (CURVES.size() < MAX_CURVES) {
                CURVES.putIfAbsent(key, curve);
            }
        }
        return curve;
    }

    /** Whether g to the private x is the certificate's public y (same p, q, g); {@code null} when the key hides x. */
    private static Boolean dsaValueMatches(DSAPrivateKey key, DSAPublicKey publicKey) {
        DSAParams params = key.getParams();
        DSAParams certificateParams = publicKey.getParams();
        BigInteger x;
        try {
            x = key.getX();
        } catch (RuntimeException e) {
            return null;
        }
        if (x == null || params == null || certificateParams == null) {
            return null;
        }
        return params.getP().equals(certificateParams.getP()) && params.getQ().equals(certificateParams.getQ())
            && params.getG().equals(certificateParams.getG()) && params.getG().modPow(x, params.getP()).equals(publicKey.getY());
    }

    private static boolean signatureVerifies(PrivateKey key, PublicKey publicKey) {
        String algorithm = probeSignatureAlgorithm(publicKey.getAlgorithm());
        if (algorithm == null || !KeyTypes.normalise(key.getAlgorithm()).equals(KeyTypes.normalise(publicKey.getAlgorithm()))) {
            return false;
        }
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(PROBE);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(PROBE);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private static String probeSignatureAlgorithm(String keyAlgorithm) {
        switch (KeyTypes.normalise(keyAlgorithm)) {
            case "EC": return "SHA256withECDSA";
            case "DSA": return "SHA256withDSA";
            case "EdDSA": case "Ed25519": case "Ed448": return keyAlgorithm;
            default: return null;
        }
    }

    /**
     * Verifies {@code subject}'s signature with {@code issuerKey}, as {@link X509Certificate#verify(PublicKey)} does. An
     * ECDSA signature is verified with Bouncy Castle's lightweight verifier and the issuer's key converted once: on the
     * JDK 17 this project measures, about 0.2 ms instead of 1.6 ms each, which is most of a 10,000-identity load whose
     * chains hold their CA. Anything that verifier does not take (other algorithms, a key it cannot convert) is the
     * JDK's to verify.
     */
    static void verifySignature(X509Certificate subject, PublicKey issuerKey) throws GeneralSecurityException {
        if (issuerKey instanceof ECPublicKey) {
            Boolean verified = ecdsaVerifies(subject, (ECPublicKey) issuerKey);
            if (verified != null) {
                if (!verified) {
                    throw new SignatureException("Signature does not match.");
                }
                return;
            }
        }
        subject.verify(issuerKey);
    }

    /** {@code null} when the certificate's signature is not ECDSA with SHA-2, or anything here cannot take it. */
    private static Boolean ecdsaVerifies(X509Certificate subject, ECPublicKey issuerKey) {
        String digest;
        switch (String.valueOf(subject.getSigAlgOID())) {
            case "1.2.840.10045.4.3.1": digest = "SHA-224"; break;
            case "1.2.840.10045.4.3.2": digest = "SHA-256"; break;
            case "1.2.840.10045.4.3.3": digest = "SHA-384"; break;
            case "1.2.840.10045.4.3.4": digest = "SHA-512"; break;
            default: return null;
        }
        try {
            ECPublicKeyParameters key = EC_ISSUER_KEYS.get(issuerKey);
            if (key == null) {
                key = (ECPublicKeyParameters) ECUtil.generatePublicKeyParameter(issuerKey);
                if (EC_ISSUER_KEYS.size() < MAX_ISSUER_KEYS) {
                    EC_ISSUER_KEYS.putIfAbsent(issuerKey, key);
                }
            }
            ASN1Sequence signature = ASN1Sequence.getInstance(subject.getSignature());
            if (signature.size() != 2) {
                return false;
            }
            BigInteger r = ASN1Integer.getInstance(signature.getObjectAt(0)).getValue();
            BigInteger s = ASN1Integer.getInstance(signature.getObjectAt(1)).getValue();
            byte[] hash = MessageDigest.getInstance(digest).digest(subject.getTBSCertificate());
            ECDSASigner verifier = new ECDSASigner();
            verifier.init(false, key);
            return verifier.verifySignature(hash, r, s);
        } catch (GeneralSecurityException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Each certificate is issued and signed by the next one: otherwise CHAIN_OUT_OF_ORDER when the
     * issuer is elsewhere in the chain, CHAIN_BROKEN when it is missing or its signature fails.
     */
    static void checkChainOrder(String source, X509Certificate[] chain) {
        for (int i = 0; i + 1 < chain.length; i++) {
            X509Certificate subject = chain[i];
            X509Certificate next = chain[i + 1];
            X500Principal issuer = subject.getIssuerX500Principal();
            if (!issuer.equals(next.getSubjectX500Principal())) {
                for (int j = 0; j < chain.length; j++) {
                    if (j != i && issuer.equals(chain[j].getSubjectX500Principal())) {
                        throw new EkuBridgeException(Reason.CHAIN_OUT_OF_ORDER, source + ": certificate chain out of order: "
                            + "certificate " + (i + 1) + " (" + CertificateText.describe(subject) + ") is issued by certificate "
                            + (j + 1) + ", which must come right after it (leaf first, then each issuer)");
                    }
                }
                throw new EkuBridgeException(Reason.CHAIN_BROKEN, source + ": certificate chain broken: certificate " + (i + 1)
                    + " (" + CertificateText.describe(subject) + ") is issued by \"" + issuer.getName()
                    + "\" but certificate " + (i + 2) + " is \"" + next.getSubjectX500Principal().getName() + "\"");
            }
            try {
                verifySignature(subject, next.getPublicKey());
            } catch (GeneralSecurityException e) {
                throw new EkuBridgeException(Reason.CHAIN_BROKEN, source + ": certificate chain broken: the signature on certificate "
                    + (i + 1) + " (" + CertificateText.describe(subject) + ") does not verify with the key of certificate "
                    + (i + 2) + " (" + e.getMessage() + ")", e);
            }
        }
    }
}
