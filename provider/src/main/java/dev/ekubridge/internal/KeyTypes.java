package dev.ekubridge.internal;

import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.nist.NISTNamedCurves;
import org.bouncycastle.asn1.sec.SECNamedCurves;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X962NamedCurves;
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

    /** {@code EC} for {@code EC} and {@code ECDSA}, {@code RSA} for any case of it; other names unchanged. */
    public static String normalise(String algorithm) {
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

    /**
     * The named curve of an EC key as JSSE engines name it in key types ({@code secp256r1}), or
     * {@code null} when the key has explicit parameters or no SEC name.
     */
    private static String curveName(PublicKey key) {
        ASN1ObjectIdentifier curve = namedCurve(key);
        return curve == null ? null : SECNamedCurves.getName(curve);
    }

    /**
     * The named curve of an EC key as people name it: the NIST name when there is one ({@code P-256}),
     * else the SEC or X9.62 name, else the OID; {@code null} when the key has explicit parameters.
     */
    public static String curveDisplayName(PublicKey key) {
        ASN1ObjectIdentifier curve = namedCurve(key);
        if (curve == null) {
            return null;
        }
        String name = NISTNamedCurves.getName(curve);
        if (name == null) {
            name = SECNamedCurves.getName(curve);
        }
        if (name == null) {
            name = X962NamedCurves.getName(curve);
        }
        return name != null ? name : curve.getId();
    }

    /** The one place a key's curve is read: the OID in its EC parameters, or {@code null}. */
    private static ASN1ObjectIdentifier namedCurve(PublicKey key) {
        try {
            AlgorithmIdentifier id = SubjectPublicKeyInfo.getInstance(key.getEncoded()).getAlgorithm();
            if (X9ObjectIdentifiers.id_ecPublicKey.equals(id.getAlgorithm()) && id.getParameters() != null) {
                ASN1Primitive parameters = id.getParameters().toASN1Primitive();
                if (parameters instanceof ASN1ObjectIdentifier) {
                    return (ASN1ObjectIdentifier) parameters;
                }
            }
        } catch (RuntimeException e) {
            // an encoding we cannot read only means no curve name
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
