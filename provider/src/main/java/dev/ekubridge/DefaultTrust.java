package dev.ekubridge;

import dev.ekubridge.EkuBridgeException.Reason;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/** The trust managers EKU Bridge creates itself, from the JDK's trust manager factory. */
final class DefaultTrust {
    private DefaultTrust() {
    }

    /**
     * {@code policy} around the trust manager of the default algorithm ({@code ssl.TrustManagerFactory.algorithm},
     * normally PKIX) over {@code trustStore}, or over the JDK default trust store when {@code null}. PKIX
     * instead when the default algorithm is EkuBridge itself, which would wrap twice.
     */
    static EkuPolicyTrustManager policyOver(KeyStore trustStore, PolicyScope scope, boolean logDecisions) {
        return (EkuPolicyTrustManager) EkuPolicyTrustManager.overFactoryManager(manager(trustStore), scope, logDecisions);
    }

    /** {@code policy} around the trust managers that a reload swaps ({@link LiveTrust}), each made by {@link #manager}. */
    static EkuPolicyTrustManager policyOverLive(LiveTrust live, PolicyScope scope, boolean logDecisions) {
        return new EkuPolicyTrustManager(live, scope, logDecisions);
    }

    /** The trust manager of the default algorithm over {@code trustStore} (the JDK default trust store when {@code null}). */
    static X509ExtendedTrustManager manager(KeyStore trustStore) {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(algorithm());
            factory.init(trustStore);
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509ExtendedTrustManager) {
                    return (X509ExtendedTrustManager) manager;
                }
            }
            throw new EkuBridgeException(Reason.UNSUPPORTED, "the default trust manager factory returned no X509ExtendedTrustManager");
        } catch (GeneralSecurityException e) {
            throw new EkuBridgeException(Reason.UNSUPPORTED, "cannot create the default trust manager: " + e, e);
        }
    }

    private static String algorithm() {
        String algorithm = TrustManagerFactory.getDefaultAlgorithm();
        return algorithm == null || EkuBridgeProvider.NAME.equalsIgnoreCase(algorithm) ? "PKIX" : algorithm;
    }
}
