package dev.ekubridge.testsupport.tls;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * The loop of a test server: a daemon thread accepting connections on a listening socket until it is closed, handing
 * each connection to a {@link Handler}, which owns it from then on.
 */
public final class AcceptLoop {
    /** What to do with one accepted connection; an {@link IOException} ends the loop, as closing the listener does. */
    @FunctionalInterface
    public interface Handler {
        void accepted(Socket connection) throws IOException;
    }

    private AcceptLoop() {
    }

    /** Starts the daemon thread {@code name} accepting on {@code listener}; it ends when the listener is closed. */
    public static Thread start(ServerSocket listener, String name, Handler handler) {
        Thread thread = new Thread(() -> {
            while (!listener.isClosed()) {
                try {
                    handler.accepted(listener.accept());
                } catch (IOException closed) {
                    return;
                }
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
