package dev.ekubridge;

import java.security.InvalidAlgorithmParameterException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import javax.net.ssl.ManagerFactoryParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactorySpi;

/**
 * {@code TrustManagerFactory.EkuBridge}: the JDK's PKIX trust manager over the given store (the JDK
 * default trust store when {@code null}), wrapped with the EKU policy named by the system property
 * {@code ekubridge.inbound.eku} (default {@code strict}); or the trust manager of
 * {@link EkuBridgeParameters}.
 */
final class EkuBridgeTrustManagerFactory extends TrustManagerFactorySpi {
    static final String POLICY_PROPERTY = "ekubridge.inbound.eku";

    private EkuPolicyTrustManager trustManager;

    @Override
    protected void engineInit(KeyStore store) throws KeyStoreException {
        EkuPolicy policy;
        String value = System.getProperty(POLICY_PROPERTY);
        try {
            policy = value == null ? EkuPolicy.STRICT : EkuPolicy.fromConfigValue(value);
        } catch (IllegalArgumentException e) {
            throw new KeyStoreException("system property -D" + POLICY_PROPERTY + ": " + e.getMessage(), e);
        }
        try {
            trustManager = DefaultTrust.policyOver(store, PolicyScope.of(policy), false);
        } catch (EkuBridgeException e) {
            throw new KeyStoreException(e.getMessage(), e);
        }
    }

    @Override
    protected void engineInit(ManagerFactoryParameters parameters) throws InvalidAlgorithmParameterException {
        trustManager = EkuBridgeParameters.bridgeFor("TrustManagerFactory", parameters).trustManager();
    }

    @Override
    protected TrustManager[] engineGetTrustManagers() {
        if (trustManager == null) {
            throw new IllegalStateException("TrustManagerFactory EkuBridge is not initialised");
        }
        return new TrustManager[] {trustManager};
    }
}
