package dev.ekubridge.internal;

import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.sec.SECNamedCurves;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/**
 * Every key-type string under which a JSSE engine may ask for a certificate chain, computed once per
 * identity so that selection is a map look-up. SunJSSE asks for key algorithms ({@code EC},
 * {@code RSA}, {@code RSASSA-PSS}, {@code EdDSA}) and, for legacy suites, {@code KEY_SIGNER}
 * ({@code EC_RSA}); BCJSSE asks for TLS 1.2 server auth types ({@code ECDHE_ECDSA}, {@code ECDHE_RSA},
 * {@code KE:RSA}...) and TLS 1.3 key types, optionally with the curve ({@code EC/secp256r1},
 * {@code Ed25519}). Internal.
 */
public final class KeyTypes {
    private KeyTypes() {
    }

    public static Set<String> of(X509Certificate[] chain) {
        X509Certificate leaf = chain[0];
        PublicKey key = leaf.getPublicKey();
        String algorithm = normalise(key.getAlgorithm());
        Set<String> types = new LinkedHashSet<>();
        types.add(algorithm);
        String signer = signerAlgorithm(chain);
        if (signer != null) {
            types.add(algorithm + "_" + signer);
        }
        switch (algorithm) {
            case "EC":
                types.add("ECDSA");
                types.add("ECDHE_ECDSA");
                String curve = curveName(key);
                if (curve != null) {
                    types.add("EC/" + curve);
                }
                if ("RSA".equals(signer)) {
                    types.add("ECDH_RSA");
                } else if ("EC".equals(signer)) {
                    types.add("ECDH_ECDSA");
                }
                break;
            case "RSA":
                types.add("ECDHE_RSA");
                types.add("DHE_RSA");
                types.add("KE:RSA");
                types.add("SRP_RSA");
                types.add("RSA_PSK");
                break;
            case "DSA":
                types.add("DHE_DSS");
                types.add("SRP_DSS");
                break;
            case "EdDSA":
                String edCurve = edCurve(key);
                if (edCurve != null) {
                    types.add(edCurve);
                }
                break;
            case "Ed25519":
            case "Ed448":
                types.add("EdDSA");
                break;
            default:
                break;
        }
        return types;
    }

    static String normalise(String algorithm) {
        if ("ECDSA".equalsIgnoreCase(algorithm) || "EC".equalsIgnoreCase(algorithm)) {
            return "EC";
        }
        if ("RSA".equalsIgnoreCase(algorithm)) {
            return "RSA";
        }
        return algorithm;
    }

    /** The key algorithm that signed the leaf: the next certificate's key, or the leaf's signature algorithm. */
    private static String signerAlgorithm(X509Certificate[] chain) {
        if (chain.length > 1) {
            return normalise(chain[1].getPublicKey().getAlgorithm());
        }
        String signature = chain[0].getSigAlgName().toUpperCase(Locale.ROOT);
        if (signature.contains("ECDSA")) {
            return "EC";
        }
        if (signature.contains("RSA")) {
            return "RSA";
        }
        if (signature.contains("DSA")) {
            return "DSA";
        }
        return null;
    }

    private static String curveName(PublicKey key) {
        try {
            AlgorithmIdentifier id = SubjectPublicKeyInfo.getInstance(key.getEncoded()).getAlgorithm();
            if (X9ObjectIdentifiers.id_ecPublicKey.equals(id.getAlgorithm()) && id.getParameters() != null) {
                ASN1Primitive parameters = id.getParameters().toASN1Primitive();
                if (parameters instanceof ASN1ObjectIdentifier) {
                    return SECNamedCurves.getName((ASN1ObjectIdentifier) parameters);
                }
            }
        } catch (RuntimeException e) {
            // an encoding we cannot read only means no curve-specific key type
        }
        return null;
    }

    private static String edCurve(PublicKey key) {
        try {
            String oid = SubjectPublicKeyInfo.getInstance(key.getEncoded()).getAlgorithm().getAlgorithm().getId();
            if ("1.3.101.112".equals(oid)) {
                return "Ed25519";
            }
            if ("1.3.101.113".equals(oid)) {
                return "Ed448";
            }
        } catch (RuntimeException e) {
            // as above
        }
        return null;
    }
}
