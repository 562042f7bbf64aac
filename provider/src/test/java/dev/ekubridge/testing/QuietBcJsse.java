package dev.ekubridge.testing;

import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Bouncy Castle's JSSE logs every handshake at INFO through {@code java.util.logging}: a test class that runs
 * thousands of handshakes ({@code @ExtendWith(QuietBcJsse.class)}) raises its level to WARNING for its run, then puts
 * the level back and prints how long the class took.
 */
public final class QuietBcJsse implements BeforeAllCallback, AfterAllCallback {
    /** Held so the level sticks: {@code java.util.logging} keeps loggers only weakly. */
    private static final Logger LOG = Logger.getLogger("org.bouncycastle.jsse");
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(QuietBcJsse.class);

    /** What the class found, to put back. */
    private record Before(Level level, long startedNanos) {
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getStore(NAMESPACE).put(Before.class, new Before(LOG.getLevel(), System.nanoTime()));
        LOG.setLevel(Level.WARNING);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        Before before = context.getStore(NAMESPACE).remove(Before.class, Before.class);
        LOG.setLevel(before.level());
        System.out.printf("%s: %d ms%n", context.getRequiredTestClass().getSimpleName(),
                (System.nanoTime() - before.startedNanos()) / 1_000_000);
    }
}
