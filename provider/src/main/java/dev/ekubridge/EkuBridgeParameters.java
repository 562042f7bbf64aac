package dev.ekubridge;

import java.security.InvalidAlgorithmParameterException;
import javax.net.ssl.ManagerFactoryParameters;

/**
 * Hands a complete EKU Bridge set-up to {@code KeyManagerFactory.getInstance("EkuBridge").init(...)}
 * and {@code TrustManagerFactory.getInstance("EkuBridge").init(...)}: both factories then return the
 * managers of the same {@link EkuBridge}.
 */
public final class EkuBridgeParameters implements ManagerFactoryParameters {
    private final EkuBridge bridge;

    public EkuBridgeParameters(EkuBridge bridge) {
        if (bridge == null) {
            throw new NullPointerException("bridge");
        }
        this.bridge = bridge;
    }

    /** Loads and checks everything the configuration names (see {@link EkuBridge#fromConfig}). */
    public static EkuBridgeParameters fromConfig(EkuBridgeConfig config) {
        return new EkuBridgeParameters(EkuBridge.fromConfig(config));
    }

    public EkuBridge bridge() {
        return bridge;
    }

    /**
     * The bridge {@code parameters} hand to the factory named {@code factory} ("KeyManagerFactory" or
     * "TrustManagerFactory"), which takes no other kind of parameters.
     */
    static EkuBridge bridgeFor(String factory, ManagerFactoryParameters parameters) throws InvalidAlgorithmParameterException {
        if (!(parameters instanceof EkuBridgeParameters)) {
            throw new InvalidAlgorithmParameterException(factory + " EkuBridge takes EkuBridgeParameters, not "
                + (parameters == null ? "null" : parameters.getClass().getName()));
        }
        return ((EkuBridgeParameters) parameters).bridge;
    }
}
