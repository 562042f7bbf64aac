package dev.ekubridge;

import dev.ekubridge.internal.CertificateText;
import dev.ekubridge.internal.Eku;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The one rule EKU Bridge changes: which Extended Key Usage a peer's end-entity certificate must carry, by
 * direction and mode; and the argument checks the JDK's and Bouncy Castle's trust managers make first.
 */
final class EkuRule {
    private EkuRule() {
    }

    /** The checks the JDK's and Bouncy Castle's trust managers make before anything else. */
    static void requireArguments(X509Certificate[] chain, String authType) {
        if (chain == null || chain.length == 0) {
            throw new IllegalArgumentException("null or zero-length certificate chain");
        }
        if (authType == null || authType.isEmpty()) {
            throw new IllegalArgumentException("null or zero-length authentication type");
        }
    }

    /**
     * The EKU decision for a peer that connected to us: {@code true} when its leaf permits clientAuth and the
     * mode accepts that, {@code false} when the mode accepts it without clientAuth. Throws when the mode
     * accepts neither.
     */
    static boolean permittedUsage(X509Certificate leaf, PolicyScope.Rule rule) throws CertificateException {
        List<String> ekus = Eku.of(leaf);
        boolean clientAuth = Eku.permits(ekus, Eku.CLIENT_AUTH);
        switch (rule.mode) {
            case STRICT:
                if (clientAuth) {
                    return true;
                }
                throw refused(leaf, ekus, "TLS client authentication (clientAuth)", rule);
            case LENIENT:
            case AUDIT:
                if (clientAuth || Eku.permits(ekus, Eku.SERVER_AUTH)) {
                    return clientAuth;
                }
                throw refused(leaf, ekus, "TLS client or server authentication (clientAuth or serverAuth)", rule);
            case SERVER_AUTH:
                if (Eku.permits(ekus, Eku.SERVER_AUTH)) {
                    return clientAuth;
                }
                throw refused(leaf, ekus, "TLS server authentication (serverAuth)", rule);
            default:
                throw new AssertionError(rule.mode);
        }
    }

    static void requireServerAuth(X509Certificate[] chain) throws CertificateException {
        X509Certificate leaf = leaf(chain);
        List<String> ekus = Eku.of(leaf);
        if (!Eku.permitsTlsServer(ekus)) {
            throw new CertificateException("Extended key usage does not permit use for TLS server authentication: peer "
                + CertificateText.describe(leaf) + " has " + Eku.describe(ekus));
        }
    }

    static CertificateException refused(X509Certificate leaf, List<String> ekus, String wanted, PolicyScope.Rule rule) {
        return new CertificateException("Extended key usage does not permit use for " + wanted + ": peer "
            + CertificateText.describe(leaf) + " has " + Eku.describe(ekus) + " (" + rule + ")");
    }

    static X509Certificate leaf(X509Certificate[] chain) {
        if (chain == null || chain.length == 0) {
            throw new IllegalArgumentException("the peer's certificate chain is empty");
        }
        return chain[0];
    }
}
