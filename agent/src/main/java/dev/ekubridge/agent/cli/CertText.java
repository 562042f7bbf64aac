package dev.ekubridge.agent.cli;

import java.math.BigInteger;
import java.security.PublicKey;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.DSAPublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.nist.NISTNamedCurves;
import org.bouncycastle.asn1.sec.SECNamedCurves;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X962NamedCurves;

/** How the command line names certificates: serials, EKUs, keys and validity, in ASCII. */
final class CertText {
    static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    static final String ANY = "2.5.29.37.0";
    private static final long DAY = 24 * 3600_000L;

    private CertText() {
    }

    /** Upper-case hexadecimal, as {@code openssl x509 -serial} prints it. */
    static String serial(BigInteger serial) {
        return serial.toString(16).toUpperCase(Locale.ROOT);
    }

    static String serial(X509Certificate certificate) {
        return serial(certificate.getSerialNumber());
    }

    /** The EKU OIDs of a certificate, or {@code null} when it has no EKU extension. */
    static List<String> ekus(X509Certificate certificate) {
        try {
            return certificate.getExtendedKeyUsage();
        } catch (CertificateParsingException e) {
            throw new IllegalArgumentException("unreadable EKU extension in certificate " + serial(certificate) + ": " + e.getMessage(), e);
        }
    }

    /** {@code serverAuth, clientAuth}; {@code none (no EKU extension: every usage)}. */
    static String ekuNames(List<String> ekus) {
        if (ekus == null) {
            return "none (no EKU extension: every usage permitted)";
        }
        if (ekus.isEmpty()) {
            return "empty EKU extension";
        }
        StringBuilder text = new StringBuilder();
        for (String oid : ekus) {
            if (text.length() > 0) {
                text.append(", ");
            }
            text.append(ekuName(oid));
        }
        return text.toString();
    }

    static String ekuName(String oid) {
        if (SERVER_AUTH.equals(oid)) {
            return "serverAuth";
        }
        if (CLIENT_AUTH.equals(oid)) {
            return "clientAuth";
        }
        if ("1.3.6.1.5.5.7.3.3".equals(oid)) {
            return "codeSigning";
        }
        if ("1.3.6.1.5.5.7.3.4".equals(oid)) {
            return "emailProtection";
        }
        if ("1.3.6.1.5.5.7.3.8".equals(oid)) {
            return "timeStamping";
        }
        if ("1.3.6.1.5.5.7.3.9".equals(oid)) {
            return "OCSPSigning";
        }
        if (ANY.equals(oid)) {
            return "anyExtendedKeyUsage";
        }
        return oid;
    }

    /** Whether a certificate with these EKUs may be used for {@code purpose} (no extension, the usage, or any). */
    static boolean permits(List<String> ekus, String purpose) {
        return ekus == null || ekus.contains(purpose) || ekus.contains(ANY);
    }

    /** {@code EC P-256}, {@code RSA 2048 bits}, {@code Ed25519}... */
    static String key(PublicKey key) {
        if (key instanceof RSAPublicKey) {
            return key.getAlgorithm() + " " + ((RSAPublicKey) key).getModulus().bitLength() + " bits";
        }
        if (key instanceof ECPublicKey) {
            String curve = curveName(key);
            int bits = ((ECPublicKey) key).getParams().getCurve().getField().getFieldSize();
            return "EC " + (curve != null ? curve : bits + " bits");
        }
        if (key instanceof DSAPublicKey && ((DSAPublicKey) key).getParams() != null) {
            return "DSA " + ((DSAPublicKey) key).getParams().getP().bitLength() + " bits";
        }
        return key.getAlgorithm();
    }

    private static String curveName(PublicKey key) {
        try {
            ASN1Encodable parameters = SubjectPublicKeyInfo.getInstance(key.getEncoded()).getAlgorithm().getParameters();
            if (!(parameters instanceof ASN1ObjectIdentifier)) {
                return null;
            }
            ASN1ObjectIdentifier oid = (ASN1ObjectIdentifier) parameters;
            String name = NISTNamedCurves.getName(oid);
            if (name == null) {
                name = SECNamedCurves.getName(oid);
            }
            if (name == null) {
                name = X962NamedCurves.getName(oid);
            }
            return name != null ? name : oid.getId();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** {@code 2026-01-01T00:00:00Z .. 2026-04-01T00:00:00Z (89 days left)}. */
    static String validity(X509Certificate certificate, Date now) {
        Date from = certificate.getNotBefore();
        Date until = certificate.getNotAfter();
        String state;
        if (now.before(from)) {
            state = "NOT YET VALID: starts in " + days(from.getTime() - now.getTime());
        } else if (now.after(until)) {
            state = "EXPIRED " + days(now.getTime() - until.getTime()) + " ago";
        } else {
            state = days(until.getTime() - now.getTime()) + " left";
        }
        return from.toInstant() + " .. " + until.toInstant() + " (" + state + ")";
    }

    private static String days(long millis) {
        long days = millis / DAY;
        return days == 1 ? "1 day" : days + " days";
    }

    /** {@code text} padded with spaces to {@code width}, or cut to it. */
    static String pad(String text, int width) {
        if (text.length() >= width) {
            return text.substring(0, width);
        }
        StringBuilder padded = new StringBuilder(width).append(text);
        while (padded.length() < width) {
            padded.append(' ');
        }
        return padded.toString();
    }

    static String repeat(char c, int count) {
        StringBuilder text = new StringBuilder(count);
        for (int i = 0; i < count; i++) {
            text.append(c);
        }
        return text.toString();
    }
}
