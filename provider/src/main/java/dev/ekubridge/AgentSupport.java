package dev.ekubridge;

import javax.net.ssl.KeyManager;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.X509TrustManager;

/**
 * <b>Not API</b>: what the EKU Bridge agent (module {@code agent}) needs beyond the public API, and
 * may change in any release. It is public only because the agent lives in another module; it stays
 * in this package because it reads a bridge's package-private state ({@code dev.ekubridge.internal}
 * must not depend on this package).
 *
 * <p>Retrofitting: the agent gives every {@code SSLContext} an application initialises the managers of
 * {@link #keyManagers} and {@link #trustManagers} in place of the application's own, and does the same
 * to what every {@code KeyManagerFactory} and {@code TrustManagerFactory} hands out
 * ({@link #keyManagers}, {@link #factoryTrustManagers}), for engines that never create an {@code SSLContext}
 * (Netty's and gRPC's OpenSSL/BoringSSL engines). Every path is idempotent: a manager already retrofitted,
 * whichever path met it first, is returned as it is.
 */
public final class AgentSupport {
    private final EkuBridge bridge;

    private AgentSupport(EkuBridge bridge) {
        this.bridge = bridge;
    }

    /**
     * As {@link EkuBridge#fromConfig}, for retrofitting an application that has key managers of its own:
     * a role the configuration names no identity for stays the application's, so the client role is never
     * given the server identity by the upgrade default and no warning says it would be.
     */
    public static AgentSupport fromConfig(EkuBridgeConfig config) {
        return new AgentSupport(ConfiguredBridge.build(config, true));
    }

    /** The retrofit of any bridge, e.g. one from {@link EkuBridge#builder()}. */
    public static AgentSupport of(EkuBridge bridge) {
        if (bridge == null) {
            throw new NullPointerException("bridge");
        }
        return new AgentSupport(bridge);
    }

    public EkuBridge bridge() {
        return bridge;
    }

    /**
     * The key managers for a context that an application initialises with its own: a role the bridge has
     * identities for is served by them; a role it has none for keeps the application's key manager (none,
     * when it gave none), and so does the client role when it would only have presented the server identity
     * by the upgrade default. Idempotent: managers that are already EKU Bridge's are returned unchanged.
     * {@code application} may be {@code null} (the JSSE default).
     */
    public KeyManager[] keyManagers(KeyManager[] application) {
        X509KeyManager applicationManager = firstOf(application, X509KeyManager.class);
        RoleAwareKeyManager keyManager = bridge.keyManager();
        if (applicationManager instanceof RoleAwareKeyManager || !keyManager.hasIdentities()) {
            return application;
        }
        // With no key manager of its own the application presented no client certificate; that stays so. Whether the
        // client role is the upgrade default is read at each handshake: a reload of a single store may change it.
        return new KeyManager[] {keyManager.withFallback(applicationManager)};
    }

    /**
     * The trust managers for a context that an application initialises with its own: the configured trust
     * store when there is one, otherwise the application's trust manager (or the JDK default when it gave
     * none) wrapped with the bridge's policy. Idempotent.
     */
    public TrustManager[] trustManagers(TrustManager[] application) {
        X509TrustManager applicationManager = firstOf(application, X509TrustManager.class);
        if (EkuPolicyTrustManager.appliesPolicy(applicationManager)) {
            return application;
        }
        if (!bridge.usesDefaultTrust() || applicationManager == null) {
            return new TrustManager[] {bridge.trustManager()};
        }
        return new TrustManager[] {presentedByBridge(EkuPolicyTrustManager.wrap(applicationManager, bridge.scope(), bridge.logHandshakes()))};
    }

    /**
     * What a {@code TrustManagerFactory} hands out, retrofitted: its first {@code X509TrustManager} replaced by
     * the configured trust store's policy manager when there is one, else wrapped with the bridge's policy.
     * Other entries are kept. Idempotent.
     */
    public TrustManager[] factoryTrustManagers(TrustManager[] handedOut) {
        if (handedOut == null) {
            return null;
        }
        for (int i = 0; i < handedOut.length; i++) {
            if (handedOut[i] instanceof X509TrustManager) {
                X509TrustManager manager = (X509TrustManager) handedOut[i];
                if (EkuPolicyTrustManager.appliesPolicy(manager)) {
                    return handedOut;
                }
                TrustManager[] retrofitted = handedOut.clone();
                retrofitted[i] = !bridge.usesDefaultTrust() ? bridge.trustManager()
                    : presentedByBridge(EkuPolicyTrustManager.overFactoryManager(manager, bridge.scope(),
                        bridge.logHandshakes()));
                return retrofitted;
            }
        }
        return handedOut;
    }

    /** So that the decision log names which of the bridge's identities we presented. */
    private X509TrustManager presentedByBridge(X509TrustManager manager) {
        EkuPolicyTrustManager policy = manager instanceof PlainEkuPolicyTrustManager ? ((PlainEkuPolicyTrustManager) manager).policy()
            : (EkuPolicyTrustManager) manager;
        policy.presentedBy(bridge.keyManager());
        return manager;
    }

    private static <T> T firstOf(Object[] managers, Class<T> type) {
        if (managers != null) {
            for (Object manager : managers) {
                if (type.isInstance(manager)) {
                    return type.cast(manager);
                }
            }
        }
        return null;
    }

    /** Whether the client role presents the server identity only by the upgrade default (nothing was said about it). */
    public boolean clientRoleIsUpgradeDefault() {
        return bridge.clientRoleIsUpgradeDefault();
    }

    /** Whether trust comes from the JDK default trust store, rather than a given trust manager or store. */
    public boolean usesDefaultTrust() {
        return bridge.usesDefaultTrust();
    }

    /**
     * The configuration given on the agent jar's command line ({@code inspect key=value ...}, {@code --config FILE}
     * as {@code config=FILE}): read like agent arguments, but named {@code command-line argument} in messages, and
     * without system properties, so that only what the operator typed (and the file it names) counts.
     * {@code environment} serves {@code *.password.env}.
     */
    public static EkuBridgeConfig commandLine(String arguments, java.util.Map<String, String> environment) {
        return EkuBridgeConfig.load(arguments, "command-line argument", java.util.Collections.<String, String>emptyMap(), environment);
    }

    /** The raw value of a configuration key, or {@code null} (for the agent's messages; never log a password key). */
    public static String setting(EkuBridgeConfig config, String key) {
        return config.get(key);
    }

    /** Where a key's value came from, e.g. {@code system property -Dekubridge.inbound.eku}, or {@code null}. */
    public static String sourceOf(EkuBridgeConfig config, String key) {
        return config.sourceOf(key);
    }
}
