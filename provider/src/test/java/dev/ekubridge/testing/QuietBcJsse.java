package dev.ekubridge.testing;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Bouncy Castle's JSSE logs every handshake at INFO through {@code java.util.logging}: a test class that runs
 * thousands of handshakes raises its level to WARNING for its run, then puts the level back.
 */
public final class QuietBcJsse {
    /** Held so the level sticks: {@code java.util.logging} keeps loggers only weakly. */
    private static final Logger LOG = Logger.getLogger("org.bouncycastle.jsse");

    private final Level before;

    private QuietBcJsse(Level before) {
        this.before = before;
    }

    /** Raises the level to WARNING; {@link #restore()} puts back the level it had. */
    public static QuietBcJsse quiet() {
        QuietBcJsse quiet = new QuietBcJsse(LOG.getLevel());
        LOG.setLevel(Level.WARNING);
        return quiet;
    }

    public void restore() {
        LOG.setLevel(before);
    }
}
