package dev.ekubridge.agent;

import dev.ekubridge.AgentSupport;
import java.util.function.UnaryOperator;
import javax.net.ssl.KeyManager;
import javax.net.ssl.TrustManager;

/**
 * What the bridge calls for each context: the application's managers in, EKU Bridge's out (see
 * {@link AgentSupport#keyManagers} and {@link AgentSupport#trustManagers}). Both are
 * idempotent, so a context whose {@code engineInit} calls its superclass's is retrofitted once.
 */
final class ContextRetrofit {
    private ContextRetrofit() {
    }

    static UnaryOperator<Object> keyManagers(final AgentSupport retrofit) {
        return new UnaryOperator<Object>() {
            @Override
            public Object apply(Object managers) {
                return retrofit.keyManagers((KeyManager[]) managers);
            }
        };
    }

    static UnaryOperator<Object> trustManagers(final AgentSupport retrofit) {
        return new UnaryOperator<Object>() {
            @Override
            public Object apply(Object managers) {
                return retrofit.trustManagers((TrustManager[]) managers);
            }
        };
    }
}
