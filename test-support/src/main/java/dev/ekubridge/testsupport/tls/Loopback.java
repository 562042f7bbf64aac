package dev.ekubridge.testsupport.tls;

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
 * The test applications' own plumbing (they know nothing of EKU Bridge): a mutual-TLS exchange of one line each way
 * with itself on 127.0.0.1, port 0, the server side requiring a client certificate. Every socket has a timeout of
 * {@link #TIMEOUT_MILLIS}, so nothing hangs.
 *
 * <p>{@link #exchange} prints one {@code KEY=value} per line (a key is left out when it has no value):
 * <ul>
 * <li>{@code PROTOCOL}: the client's session protocol;</li>
 * <li>{@code SERVER_PRESENTED} / {@code CLIENT_PRESENTED}: the serial each side sent (its session's local
 * certificate; in TLS 1.3 the client knows it even when the server then refuses it);</li>
 * <li>{@code SERVER_SAW_CLIENT_SERIAL} / {@code CLIENT_SAW_SERVER_SERIAL}: the serial of the peer's leaf each side
 * saw;</li>
 * <li>{@code REPLY}: what the client read back ({@code echo hello});</li>
 * <li>{@code SERVER_FAILURE} / {@code CLIENT_FAILURE}: the exception with its causes, when a side failed;</li>
 * <li>last {@code RESULT=OK} or {@code RESULT=FAIL <reason>}.</li>
 * </ul>
 * Serials are upper-case hexadecimal, as the agent prints them. {@link #main(String, Callable)} runs an
 * application's body and exits 0 when it returned true, else 1.
 */
public final class Loopback {
    public static final int TIMEOUT_MILLIS = 10_000;

    private Loopback() {
    }

    /** What one exchange saw; a null field was not known or did not happen. */
    public record Exchange(String protocol, String serverPresented, String clientPresented, String serverSawClient,
            String clientSawServer, String reply, String serverFailure, String clientFailure) {

        /** Both handshakes passed and the line went both ways. */
        public boolean ok() {
            return serverFailure == null && clientFailure == null && "echo hello".equals(reply);
        }

        /** Prints the result lines, each key after {@code prefix}. */
        public void print(String prefix) {
            Loopback.print(prefix + "PROTOCOL", protocol);
            Loopback.print(prefix + "SERVER_PRESENTED", serverPresented);
            Loopback.print(prefix + "CLIENT_PRESENTED", clientPresented);
            Loopback.print(prefix + "SERVER_SAW_CLIENT_SERIAL", serverSawClient);
            Loopback.print(prefix + "CLIENT_SAW_SERVER_SERIAL", clientSawServer);
            Loopback.print(prefix + "REPLY", reply);
            Loopback.print(prefix + "SERVER_FAILURE", serverFailure);
            Loopback.print(prefix + "CLIENT_FAILURE", clientFailure);
            System.out.println(prefix + "RESULT=" + (ok() ? "OK" : "FAIL " + (serverFailure != null ? serverFailure
                : clientFailure != null ? clientFailure : "unexpected reply " + reply)).replace('\n', ' '));
        }
    }

    /** Runs an application's body: prints the marker that main ran, then exits 0 (true) or 1 (false or thrown). */
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
        Exchange exchange = run(serverContext, clientContext);
        exchange.print(prefix);
        return exchange.ok();
    }

    /** The exchange, printing nothing. */
    public static Exchange run(SSLContext serverContext, SSLContext clientContext) throws Exception {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        AtomicReference<String> serverSaw = new AtomicReference<>();
        AtomicReference<String> serverPresented = new AtomicReference<>();
        AtomicReference<String> serverFailure = new AtomicReference<>();
        String clientSaw = null;
        String clientPresented = null;
        String clientFailure = null;
        String protocol = null;
        String reply = null;
        // The server side is TLS layered over an accepted TCP connection (as STARTTLS servers do), with
        // autoClose=false: when the server refuses the client's certificate the JDK closes the TLS layer, and
        // the TCP connection stays open until the client is done, so the client always finishes its flight and
        // reads the alert instead of hitting "Broken pipe"/"Connection reset" (a race with an SSLServerSocket).
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
                        serverPresented.set(serial(session.getLocalCertificates()));
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
                clientPresented = serial(session.getLocalCertificates());
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
            acceptor.join(TIMEOUT_MILLIS + 5_000);
            if (acceptor.isAlive()) {
                serverFailure.compareAndSet(null, "server thread still running");
            }
        }
        return new Exchange(protocol, serverPresented.get(), clientPresented, serverSaw.get(), clientSaw, reply,
            serverFailure.get(), clientFailure);
    }

    /** A key store of the JDK's default type (PKCS#12, which also reads JKS) read the ordinary way. */
    public static KeyStore load(String path, char[] password) throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        try (InputStream in = new FileInputStream(path)) {
            store.load(in, password);
        }
        return store;
    }

    /** Reads what the client still sends until it closes the connection (or the timeout), then returns. */
    public static void drain(Socket tcp) {
        try {
            InputStream in = tcp.getInputStream();
            byte[] buffer = new byte[4096];
            while (in.read(buffer) >= 0) {
                // discard
            }
        } catch (IOException e) {
            // closed or timed out: either way the client is done with us
        }
    }

    /** Prints {@code KEY=value} on one line; nothing when {@code value} is null. */
    public static void print(String key, String value) {
        if (value != null) {
            System.out.println(key + "=" + value.replace('\n', ' ').replace('\r', ' '));
        }
    }

    /** The upper-case hexadecimal serial of the first certificate, or null. */
    public static String serial(Certificate[] certificates) {
        if (certificates == null || certificates.length == 0 || !(certificates[0] instanceof X509Certificate)) {
            return null;
        }
        return ((X509Certificate) certificates[0]).getSerialNumber().toString(16).toUpperCase(Locale.ROOT);
    }

    /** The exception and its causes on one line: "X: message; caused by Y: message". */
    public static String describe(Throwable failure) {
        return Failures.describe(failure);
    }
}
