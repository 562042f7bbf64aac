package dev.ekubridge.agent.bootstrap;

import java.util.function.UnaryOperator;

/**
 * The one class that instrumented JDK code calls. It is defined in the <em>bootstrap</em> class
 * loader at agent start, because the calls are inserted into {@code SSLContextSpi.engineInit}
 * implementations in {@code java.base} (SunJSSE) and into {@code KeyManagerFactory.getKeyManagers} and
 * {@code TrustManagerFactory.getTrustManagers}, which can only see bootstrap classes.
 *
 * <p>It must use JDK types only and must never be loaded by another class loader: a second copy
 * would have its own hook fields, which the instrumented code would never see. The agent defines it
 * in the bootstrap loader before anything refers to it, so parent-first delegation always finds
 * this one.
 */
public final class SslContextBridge {
    /** Set once by the agent: the application's {@code KeyManager[]} in, the ones to use out. */
    public static volatile UnaryOperator<Object> keyManagerHook;
    /** Set once by the agent: the application's {@code TrustManager[]} in, the ones to use out. */
    public static volatile UnaryOperator<Object> trustManagerHook;
    /** Set once by the agent: the {@code TrustManager[]} a {@code TrustManagerFactory} hands out in, the ones to use out. */
    public static volatile UnaryOperator<Object> factoryTrustManagerHook;

    private SslContextBridge() {
    }

    /** Called first thing in every instrumented {@code engineInit}, with its first argument. */
    public static Object keyManagers(Object keyManagers) {
        UnaryOperator<Object> hook = keyManagerHook;
        return hook == null ? keyManagers : hook.apply(keyManagers);
    }

    /** Called first thing in every instrumented {@code engineInit}, with its second argument. */
    public static Object trustManagers(Object trustManagers) {
        UnaryOperator<Object> hook = trustManagerHook;
        return hook == null ? trustManagers : hook.apply(trustManagers);
    }

    /**
     * Called with what {@code KeyManagerFactory.getKeyManagers()} is about to return; the same retrofit as
     * {@link #keyManagers}, which is idempotent.
     */
    public static Object factoryKeyManagers(Object keyManagers) {
        return keyManagers(keyManagers);
    }

    /** Called with what {@code TrustManagerFactory.getTrustManagers()} is about to return. */
    public static Object factoryTrustManagers(Object trustManagers) {
        UnaryOperator<Object> hook = factoryTrustManagerHook;
        return hook == null ? trustManagers : hook.apply(trustManagers);
    }
}
