package dev.ekubridge.agent.bootstrap;

import java.util.function.UnaryOperator;

/**
 * The one class that instrumented JDK code calls. It is defined in the <em>bootstrap</em> class
 * loader at agent start, because the call is inserted into {@code SSLContextSpi.engineInit}
 * implementations in {@code java.base} (SunJSSE), which can only see bootstrap classes.
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
}
