package dev.ekubridge.agent;

import dev.ekubridge.AgentSupport;
import dev.ekubridge.agent.bootstrap.SslContextBridge;
import java.lang.instrument.Instrumentation;
import java.lang.instrument.UnmodifiableClassException;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContextSpi;

/**
 * Sets the bridge's hooks, then registers {@link SslContextTransformer} and retransforms the
 * {@code SSLContextSpi} subclasses already loaded (none at JVM start; some when attached). Loaded
 * only after {@link BootstrapInjection}, since it refers to the bridge.
 */
final class Instrumenter {
    private Instrumenter() {
    }

    static void install(Instrumentation instrumentation, AgentSupport retrofit) {
        SslContextBridge.keyManagerHook = ContextRetrofit.keyManagers(retrofit);
        SslContextBridge.trustManagerHook = ContextRetrofit.trustManagers(retrofit);

        List<Class<?>> loaded = new ArrayList<>();
        for (Class<?> type : instrumentation.getAllLoadedClasses()) {
            if (type != SSLContextSpi.class && SSLContextSpi.class.isAssignableFrom(type) && instrumentation.isModifiableClass(type)) {
                loaded.add(type);
            }
        }
        SslContextTransformer transformer = new SslContextTransformer();
        // Run the transformer once on a class of our own before registering it, so that the ASM
        // classes it needs are loaded now and not from inside a transformation (class circularity).
        SslContextTransformer.warmUp();
        instrumentation.addTransformer(transformer, true);
        if (!loaded.isEmpty()) {
            try {
                instrumentation.retransformClasses(loaded.toArray(new Class<?>[0]));
            } catch (UnmodifiableClassException e) {
                throw new IllegalStateException("cannot retransform an already loaded SSL context class: " + e.getMessage(), e);
            }
        }
    }
}
