package dev.ekubridge.agent;

import dev.ekubridge.AgentSupport;
import java.util.function.UnaryOperator;
import javax.net.ssl.KeyManager;
import javax.net.ssl.TrustManager;

/**
 * What the bridge calls for each context and each factory's managers: the application's managers in,
 * EKU Bridge's out (see {@link AgentSupport#keyManagers}, {@link AgentSupport#trustManagers} and
 * {@link AgentSupport#factoryTrustManagers}). All are idempotent, so a context whose {@code engineInit}
 * calls its superclass's, or that is initialised with a factory's managers, is retrofitted once.
 */
final class ContextRetrofit {
    private ContextRetrofit() {
    }

    static UnaryOperator<Object> keyManagers(final AgentSupport retrofit) {
        return new UnaryOperator<Object>() {
            @Override
            public Object apply(Object managers) {
                Management.registerOnFirstUse(retrofit);
                return retrofit.keyManagers((KeyManager[]) managers);
            }
        };
    }

    static UnaryOperator<Object> trustManagers(final AgentSupport retrofit) {
        return new UnaryOperator<Object>() {
            @Override
            public Object apply(Object managers) {
                Management.registerOnFirstUse(retrofit);
                return retrofit.trustManagers((TrustManager[]) managers);
            }
        };
    }

    static UnaryOperator<Object> factoryTrustManagers(final AgentSupport retrofit) {
        return new UnaryOperator<Object>() {
            @Override
            public Object apply(Object managers) {
                Management.registerOnFirstUse(retrofit);
                return retrofit.factoryTrustManagers((TrustManager[]) managers);
            }
        };
    }
}
