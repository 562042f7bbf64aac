package dev.ekubridge.testsupport.apps;

import dev.ekubridge.testsupport.tls.Loopback;
import javax.net.ssl.SSLContext;

/**
 * An application that uses only {@link SSLContext#getDefault()} (so its key and trust stores come from the standard
 * {@code javax.net.ssl.*} properties) for both sides of a {@link Loopback} exchange with itself, and prints the
 * exchange's {@code KEY=value} lines. Exit status 0 when the line went both ways, else 1.
 */
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
