package dev.ekubridge.agent;

import dev.ekubridge.EkuBridge;
import java.util.function.UnaryOperator;
import javax.net.ssl.KeyManager;
import javax.net.ssl.TrustManager;

/**
 * What the bridge calls for each context: the application's managers in, EKU Bridge's out (see
 * {@link EkuBridge#retrofitKeyManagers} and {@link EkuBridge#retrofitTrustManagers}). Both are
 * idempotent, so a context whose {@code engineInit} calls its superclass's is retrofitted once.
 */
final class ContextRetrofit {
    private ContextRetrofit() {
    }

    static UnaryOperator<Object> keyManagers(final EkuBridge bridge) {
        return new UnaryOperator<Object>() {
            @Override
            public Object apply(Object managers) {
                return bridge.retrofitKeyManagers((KeyManager[]) managers);
            }
        };
    }

    static UnaryOperator<Object> trustManagers(final EkuBridge bridge) {
        return new UnaryOperator<Object>() {
            @Override
            public Object apply(Object managers) {
                return bridge.retrofitTrustManagers((TrustManager[]) managers);
            }
        };
    }
}
