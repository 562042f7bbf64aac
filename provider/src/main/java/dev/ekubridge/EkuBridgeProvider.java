package dev.ekubridge;

import java.security.Provider;

/**
 * The JSSE provider {@code EkuBridge}: registers {@code KeyManagerFactory.EkuBridge} and
 * {@code TrustManagerFactory.EkuBridge}. With the provider in the {@code security.provider.N} list
 * and {@code ssl.KeyManagerFactory.algorithm=EkuBridge}, {@code ssl.TrustManagerFactory.algorithm=EkuBridge}
 * in a {@code java.security} override, an unmodified application's default context gets the
 * role-aware key manager (single-store mode) and the EKU policy (from {@code -Dekubridge.inbound.eku}).
 *
 * <p>The TLS engine stays whichever the application uses (SunJSSE, BCJSSE): this provider supplies
 * managers only.
 */
public final class EkuBridgeProvider extends Provider {
    private static final long serialVersionUID = 1L;

    /** The provider and algorithm name. */
    public static final String NAME = "EkuBridge";

    public EkuBridgeProvider() {
        // Provider(String, double, String) is the Java 8 constructor; deprecated later, still the only one there.
        super(NAME, 0.1, "EKU Bridge: role-aware key manager and EKU policy trust manager");
        putService(new FactoryService(this, "KeyManagerFactory", EkuBridgeKeyManagerFactory.class.getName()));
        putService(new FactoryService(this, "TrustManagerFactory", EkuBridgeTrustManagerFactory.class.getName()));
    }

    /** Creates the factory SPIs directly, so they can stay package-private (no reflective construction). */
    private static final class FactoryService extends Service {
        FactoryService(Provider provider, String type, String className) {
            super(provider, type, NAME, className, null, null);
        }

        @Override
        public Object newInstance(Object constructorParameter) {
            return "KeyManagerFactory".equals(getType()) ? new EkuBridgeKeyManagerFactory() : new EkuBridgeTrustManagerFactory();
        }
    }
}
