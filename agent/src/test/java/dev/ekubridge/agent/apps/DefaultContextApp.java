package dev.ekubridge.agent.apps;

import javax.net.ssl.SSLContext;

/** (b) The JDK default context, configured by the {@code javax.net.ssl.*} system properties only. */
public final class DefaultContextApp {
    private DefaultContextApp() {
    }

    public static void main(String[] args) {
        Loopback.main("default-context", () -> {
            SSLContext context = SSLContext.getDefault();
            return Loopback.exchange(context, context);
        });
    }
}
