package dev.ekubridge;

import dev.ekubridge.EkuBridgeException.Reason;
import dev.ekubridge.internal.CertificateText;
import dev.ekubridge.internal.KeyTypes;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import javax.security.auth.x500.X500Principal;

/** Structural checks on a key and its chain, run once at load time. */
final class IdentityChecks {
    private static final byte[] PROBE = "EKU Bridge key/certificate match probe".getBytes(StandardCharsets.US_ASCII);

    private IdentityChecks() {
    }

    /** The private key belongs to the certificate's public key, or KEY_MISMATCH. */
    static void checkKeyMatches(String source, PrivateKey key, X509Certificate leaf) {
        PublicKey publicKey = leaf.getPublicKey();
        boolean matches;
        if (key instanceof RSAKey && publicKey instanceof RSAPublicKey) {
            matches = ((RSAKey) key).getModulus().equals(((RSAPublicKey) publicKey).getModulus())
                && (!(key instanceof RSAPrivateCrtKey)
                    || ((RSAPrivateCrtKey) key).getPublicExponent().equals(((RSAPublicKey) publicKey).getPublicExponent()));
        } else {
            matches = signatureVerifies(key, publicKey);
        }
        if (!matches) {
            throw new EkuBridgeException(Reason.KEY_MISMATCH, source + ": the private key does not belong to "
                + CertificateText.describe(leaf) + " (key " + key.getAlgorithm() + ", certificate key "
                + publicKey.getAlgorithm() + ")");
        }
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
                subject.verify(next.getPublicKey());
            } catch (GeneralSecurityException e) {
                throw new EkuBridgeException(Reason.CHAIN_BROKEN, source + ": certificate chain broken: the signature on certificate "
                    + (i + 1) + " (" + CertificateText.describe(subject) + ") does not verify with the key of certificate "
                    + (i + 2) + " (" + e.getMessage() + ")", e);
            }
        }
    }
}
