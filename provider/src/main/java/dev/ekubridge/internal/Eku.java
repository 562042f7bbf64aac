package dev.ekubridge.internal;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Extended Key Usage facts about a certificate, decided the way SunJSSE's {@code EndEntityChecker}
 * and BCJSSE decide them: a certificate without the extension permits every usage, and
 * anyExtendedKeyUsage permits every usage (SunJSSE also takes the SGC OIDs for a TLS server:
 * {@link #permitsTlsServer}). Internal.
 */
public final class Eku {
    public static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    public static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    public static final String CODE_SIGNING = "1.3.6.1.5.5.7.3.3";
    public static final String EMAIL_PROTECTION = "1.3.6.1.5.5.7.3.4";
    public static final String TIME_STAMPING = "1.3.6.1.5.5.7.3.8";
    public static final String OCSP_SIGNING = "1.3.6.1.5.5.7.3.9";
    public static final String ANY = "2.5.29.37.0";
    /** Server Gated Cryptography (Netscape, Microsoft): legacy OIDs SunJSSE still takes as serverAuth. */
    public static final String NETSCAPE_SGC = "2.16.840.1.113730.4.1";
    public static final String MICROSOFT_SGC = "1.3.6.1.4.1.311.10.3.3";

    private Eku() {
    }

    /** The certificate's EKU OIDs, or {@code null} when it has no EKU extension. */
    public static List<String> of(X509Certificate certificate) throws CertificateParsingException {
        return certificate.getExtendedKeyUsage();
    }

    /** Whether a certificate with these EKU OIDs ({@code null}: no extension) may be used for {@code purpose}. */
    public static boolean permits(List<String> ekus, String purpose) {
        return ekus == null || ekus.contains(purpose) || ekus.contains(ANY);
    }

    /**
     * Whether a TLS server certificate with these EKU OIDs passes SunJSSE's server check, which also
     * takes the legacy SGC OIDs: the outbound rule, so that EKU Bridge never refuses a server the JDK accepts.
     */
    public static boolean permitsTlsServer(List<String> ekus) {
        return permits(ekus, SERVER_AUTH) || ekus.contains(NETSCAPE_SGC) || ekus.contains(MICROSOFT_SGC);
    }

    /** Human-readable list, e.g. {@code serverAuth, clientAuth}, or {@code no EKU extension}. */
    public static String describe(List<String> ekus) {
        if (ekus == null) {
            return "no EKU extension";
        }
        if (ekus.isEmpty()) {
            return "empty EKU extension";
        }
        StringBuilder text = new StringBuilder();
        for (String oid : ekus) {
            if (text.length() > 0) {
                text.append(", ");
            }
            text.append(name(oid));
        }
        return text.toString();
    }

    /** The usual short name of an EKU OID, or the OID itself. */
    public static String name(String oid) {
        switch (oid) {
            case SERVER_AUTH: return "serverAuth";
            case CLIENT_AUTH: return "clientAuth";
            case CODE_SIGNING: return "codeSigning";
            case EMAIL_PROTECTION: return "emailProtection";
            case TIME_STAMPING: return "timeStamping";
            case OCSP_SIGNING: return "OCSPSigning";
            case ANY: return "anyExtendedKeyUsage";
            default: return oid;
        }
    }
}
