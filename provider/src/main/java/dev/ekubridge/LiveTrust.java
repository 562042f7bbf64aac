package dev.ekubridge;

import dev.ekubridge.internal.ForwardingTrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/** The trust manager over the configured trust store of the generation in service ({@link LiveMaterial}). */
final class LiveTrust extends ForwardingTrustManager {
    private final LiveMaterial live;

    LiveTrust(LiveMaterial live) {
        this.live = live;
    }

    @Override
    public X509ExtendedTrustManager current() {
        return live.current().trust;
    }

    @Override
    public String toString() {
        return "trust store in service (" + current() + ")";
    }
}
