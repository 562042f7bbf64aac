package dev.ekubridge.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * Captures what SLF4J's simple backend (the provider tests' binding) prints on the calling thread while an
 * action runs. The backend writes each line to whatever {@code System.err} is at that moment, on the thread
 * that logs; so {@code System.err} is replaced once by a stream that hands what a capturing thread writes to
 * that thread's buffer and everything else to the original standard error. No lock is held while the action
 * runs: an action that never returns (the old FIFO behaviour) cannot hold up the captures of other tests.
 */
public final class LogCapture {
    private static final ThreadLocal<ByteArrayOutputStream> CAPTURING = new ThreadLocal<>();
    private static PrintStream original;

    private LogCapture() {
    }

    /** The action's result and everything printed on standard error by this thread meanwhile. */
    public record Captured<T>(T result, String text) {
    }

    public static <T> Captured<T> capture(Supplier<T> action) {
        install();
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        CAPTURING.set(buffer);
        try {
            T result = action.get();
            System.err.flush();
            return new Captured<>(result, buffer.toString(StandardCharsets.UTF_8));
        } finally {
            CAPTURING.remove();
        }
    }

    private static synchronized void install() {
        if (original == null) {
            original = System.err;
            System.setErr(new PrintStream(new Router(original), true, StandardCharsets.UTF_8));
        }
    }

    private static final class Router extends OutputStream {
        private final PrintStream original;

        Router(PrintStream original) {
            this.original = original;
        }

        private OutputStream target() {
            ByteArrayOutputStream buffer = CAPTURING.get();
            return buffer != null ? buffer : original;
        }

        @Override
        public void write(int b) throws IOException {
            target().write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            target().write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            original.flush();
        }
    }
}
