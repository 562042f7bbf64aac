package dev.ekubridge;

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
}
