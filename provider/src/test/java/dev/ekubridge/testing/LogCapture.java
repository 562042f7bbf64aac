package dev.ekubridge.testing;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * Captures what SLF4J's simple backend (the provider tests' binding) prints while an action runs: it
 * writes to whatever {@code System.err} is at the time of each line, so swapping {@code System.err}
 * captures the lines exactly as an operator's terminal or log file would receive them.
 */
public final class LogCapture {
    private static final Object LOCK = new Object();

    private LogCapture() {
    }

    /** The action's result and everything printed on standard error meanwhile. */
    public record Captured<T>(T result, String text) {
    }

    public static <T> Captured<T> capture(Supplier<T> action) {
        synchronized (LOCK) {
            PrintStream original = System.err;
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (PrintStream capture = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
                System.setErr(capture);
                T result = action.get();
                capture.flush();
                return new Captured<>(result, bytes.toString(StandardCharsets.UTF_8));
            } finally {
                System.setErr(original);
            }
        }
    }
}
