package dev.ekubridge.agent.apps;

import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * The test applications' own plumbing (they know nothing of EKU Bridge): a mutual-TLS exchange of
 * one line each way with itself on 127.0.0.1, port 0, the server side requiring a client
 * certificate. It prints one {@code KEY=value} per line:
 * {@code SERVER_SAW_CLIENT_SERIAL}, {@code CLIENT_SAW_SERVER_SERIAL} (upper-case hex serials of the
 * peer's leaf), {@code SERVER_FAILURE}, {@code CLIENT_FAILURE}, {@code PROTOCOL}, and last
 * {@code RESULT=OK} or {@code RESULT=FAIL <exception>}; the JVM exits 0 or 1. Every socket has a
 * timeout of a few seconds, so nothing hangs.
 */
public final class Loopback {
    public static final int TIMEOUT_MILLIS = 5_000;

    private Loopback() {
    }

    /** Runs an application's body: prints the marker that main ran, then exits 0 (OK) or 1. */
    public static void main(String app, Callable<Boolean> body) {
        System.out.println("APP_MAIN_RAN=" + app);
        int status;
        try {
            boolean ok = body.call();
            status = ok ? 0 : 1;
        } catch (Throwable t) {
            System.out.println("RESULT=FAIL " + describe(t));
            status = 1;
        }
        System.out.flush();
        System.exit(status);
    }

    /** The exchange; prints the result lines and returns whether the line went both ways. */
    public static boolean exchange(SSLContext serverContext, SSLContext clientContext) throws Exception {
        return exchange(serverContext, clientContext, "");
    }

    /** As {@link #exchange(SSLContext, SSLContext)}, with a prefix on every printed key. */
    public static boolean exchange(SSLContext serverContext, SSLContext clientContext, String prefix) throws Exception {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        AtomicReference<String> serverSaw = new AtomicReference<>();
        AtomicReference<String> serverFailure = new AtomicReference<>();
        String clientSaw = null;
        String clientFailure = null;
        String protocol = null;
        String reply = null;
        // The server side is TLS over an accepted TCP connection with autoClose=false: when it refuses the
        // client's certificate, the TCP connection stays open until the client is done, so the client reads
        // the alert instead of racing into "Broken pipe".
        try (ServerSocket server = new ServerSocket(0, 1, loopback)) {
            server.setSoTimeout(TIMEOUT_MILLIS);
            Thread acceptor = new Thread(() -> {
                try (Socket tcp = server.accept()) {
                    tcp.setSoTimeout(TIMEOUT_MILLIS);
                    try {
                        SSLSocket socket = (SSLSocket) serverContext.getSocketFactory().createSocket(tcp, "127.0.0.1", tcp.getPort(), false);
                        socket.setUseClientMode(false);
                        socket.setNeedClientAuth(true);
                        socket.startHandshake();
                        SSLSession session = socket.getSession();
                        serverSaw.set(serial(session.getPeerCertificates()));
                        String line = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8)).readLine();
                        Writer out = new OutputStreamWriter(socket.getOutputStream(), StandardCharsets.UTF_8);
                        out.write("echo " + line + "\n");
                        out.flush();
                        socket.close();
                    } catch (Throwable t) {
                        serverFailure.set(describe(t));
                        drain(tcp);
                    }
                } catch (Throwable t) {
                    serverFailure.compareAndSet(null, describe(t));
                }
            }, "server");
            acceptor.setDaemon(true);
            acceptor.start();

            try (SSLSocket socket = (SSLSocket) clientContext.getSocketFactory().createSocket(loopback, server.getLocalPort())) {
                socket.setSoTimeout(TIMEOUT_MILLIS);
                socket.startHandshake();
                SSLSession session = socket.getSession();
                protocol = session.getProtocol();
                clientSaw = serial(session.getPeerCertificates());
                Writer out = new OutputStreamWriter(socket.getOutputStream(), StandardCharsets.UTF_8);
                out.write("hello\n");
                out.flush();
                reply = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8)).readLine();
                if (reply == null) {
                    clientFailure = "connection closed without a reply";
                }
            } catch (Throwable t) {
                clientFailure = describe(t);
            }
            acceptor.join(TIMEOUT_MILLIS + 2_000);
            if (acceptor.isAlive()) {
                serverFailure.compareAndSet(null, "server thread still running");
            }
        }
        print(prefix + "PROTOCOL", protocol);
        print(prefix + "SERVER_SAW_CLIENT_SERIAL", serverSaw.get());
        print(prefix + "CLIENT_SAW_SERVER_SERIAL", clientSaw);
        print(prefix + "SERVER_FAILURE", serverFailure.get());
        print(prefix + "CLIENT_FAILURE", clientFailure);
        boolean ok = serverFailure.get() == null && clientFailure == null && "echo hello".equals(reply);
        System.out.println(prefix + "RESULT=" + (ok ? "OK" : "FAIL " + (serverFailure.get() != null ? serverFailure.get()
            : clientFailure != null ? clientFailure : "unexpected reply " + reply)));
        return ok;
    }

    /** A PKCS#12 (or JKS) store read the ordinary way. */
    public static KeyStore load(String path, char[] password) throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        try (InputStream in = new FileInputStream(path)) {
            store.load(in, password);
        }
        return store;
    }

    /** Reads what the client still sends until it closes the connection (or the timeout). */
    private static void drain(Socket tcp) {
        try {
            InputStream in = tcp.getInputStream();
            byte[] buffer = new byte[4096];
            while (in.read(buffer) >= 0) {
                // discard
            }
        } catch (IOException e) {
            // closed or timed out: the client is done with us either way
        }
    }

    public static void print(String key, String value) {
        if (value != null) {
            System.out.println(key + "=" + value.replace('\n', ' ').replace('\r', ' '));
        }
    }

    public static String serial(Certificate[] certificates) {
        if (certificates == null || certificates.length == 0 || !(certificates[0] instanceof X509Certificate)) {
            return null;
        }
        return ((X509Certificate) certificates[0]).getSerialNumber().toString(16).toUpperCase(Locale.ROOT);
    }

    public static String describe(Throwable failure) {
        StringBuilder text = new StringBuilder();
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 8; t = t.getCause(), depth++) {
            text.append(depth > 0 ? "; caused by " : "").append(t.getClass().getName()).append(": ").append(t.getMessage());
        }
        return text.toString();
    }
}
