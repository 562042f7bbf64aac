package dev.ekubridge.it.netty;

import dev.ekubridge.it.support.Pki;
import dev.ekubridge.testsupport.pki.TestPki;
import dev.ekubridge.testsupport.tls.AcceptLoop;
import dev.ekubridge.testsupport.tls.Loopback;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * A stock JDK endpoint in the test JVM (no agent here): SunJSSE with the JDK's default trust manager ({@code PKIX}, which requires clientAuth of a client's certificate and serverAuth of a
 * server's), one TLS version enabled; the server presents its certificate through the JDK's default key manager
 * ({@code SunX509}), the client always presents its one certificate. The server requires a client certificate ({@code needClientAuth}).
 */
final class JdkPeer {
    private JdkPeer() {
    }

    /** What one connection saw; null fields were not known or did not happen. */
    record Seen(String protocol, String presented, String peerSerial, String reply, String failure) {
        static final Seen NO_HANDSHAKE = new Seen(null, null, null, null, null);

        boolean ok() {
            return failure == null;
        }

        /** This handshake's outcome with what came after it: the line read, and the failure if any. */
        Seen then(String reply, String failure) {
            return new Seen(protocol, presented, peerSerial, reply, failure);
        }
    }

    /**
     * Handshakes over {@code socket} with only {@code protocol} enabled; what its session says: the protocol, the
     * serial of the certificate this side presented and of the peer's.
     */
    private static Seen handshake(SSLSocket socket, String protocol) throws IOException {
        socket.setEnabledProtocols(new String[] {protocol});
        socket.startHandshake();
        SSLSession session = socket.getSession();
        return new Seen(session.getProtocol(), Loopback.serial(session.getLocalCertificates()),
            Loopback.serial(session.getPeerCertificates()), null, null);
    }

    /**
     * SunJSSE over the PKIX trust manager; the key manager is the JDK's default one over {@code identity}'s key
     * store, or with {@code always} one that presents {@code identity} whatever CAs the server names (the JDK's
     * would send no certificate to a server that does not name its issuer, and the server's trust decision would
     * not be tested).
     */
    static SSLContext context(Pki.Leaf identity, Path trustStore, boolean always) {
        try {
            char[] password = Pki.PASSWORD.toCharArray();
            KeyManager[] keyManagers;
            if (always) {
                keyManagers = new KeyManager[] {TestPki.fixedKeyManager(identity.privateKey, identity.certificate,
                    identity.issuer.certificate)};
            } else {
                KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(AppTls.load(identity.p12().toString(), password), password);
                keyManagers = keys.getKeyManagers();
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(AppTls.load(trustStore.toString(), password));
            SSLContext context = SSLContext.getInstance("TLS", "SunJSSE");
            context.init(keyManagers, trust.getTrustManagers(), null);
            return context;
        } catch (Exception e) {
            throw new IllegalStateException("cannot make the stock JDK peer's context: " + e, e);
        }
    }

    /**
     * Connects to 127.0.0.1:port presenting {@code identity} (whatever CAs the server names), sends {@code hello} and reads the answer. With TLS 1.3 a
     * server's refusal of our certificate arrives after our handshake ended: as the failure to read the answer.
     */
    static Seen connect(int port, Pki.Leaf identity, Path trustStore, String protocol) {
        SSLContext context = context(identity, trustStore, true);
        Seen handshake = Seen.NO_HANDSHAKE;
        String reply = null;
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(InetAddress.getByName("127.0.0.1"), port)) {
            socket.setSoTimeout(Loopback.TIMEOUT_MILLIS);
            handshake = handshake(socket, protocol);
            Writer out = new OutputStreamWriter(socket.getOutputStream(), StandardCharsets.UTF_8);
            out.write("hello\n");
            out.flush();
            reply = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8)).readLine();
            return handshake.then(reply, "echo hello".equals(reply) ? null : "unexpected reply " + reply);
        } catch (Exception e) {
            return handshake.then(reply, Loopback.describe(e));
        }
    }

    /**
     * A server on 127.0.0.1 presenting {@code identity}, requiring a client certificate, answering each line with
     * {@code echo LINE}; one connection at a time, each reported by {@link #next}. Its TLS layer runs over an accepted
     * TCP connection with {@code autoClose=false}, so that after a refusal the client still reads the alert.
     */
    static final class Server implements AutoCloseable {
        private final ServerSocket listener;
        private final BlockingQueue<Seen> seen = new LinkedBlockingQueue<>();

        Server(Pki.Leaf identity, Path trustStore, String protocol) throws IOException {
            SSLContext context = context(identity, trustStore, false);
            listener = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"));
            AcceptLoop.start(listener, "jdk-peer-server", tcp -> {
                try (tcp) {
                    seen.add(serve(context, tcp, protocol));
                }
            });
        }

        int port() {
            return listener.getLocalPort();
        }

        /** The next connection's outcome. */
        Seen next() {
            try {
                Seen next = seen.poll(Loopback.TIMEOUT_MILLIS + 20_000, TimeUnit.MILLISECONDS);
                if (next == null) {
                    throw new AssertionError("the stock JDK server saw no connection");
                }
                return next;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        private static Seen serve(SSLContext context, Socket tcp, String protocol) {
            Seen handshake = Seen.NO_HANDSHAKE;
            try {
                tcp.setSoTimeout(Loopback.TIMEOUT_MILLIS);
                SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(tcp, "127.0.0.1", tcp.getPort(), false);
                socket.setUseClientMode(false);
                socket.setNeedClientAuth(true);
                handshake = handshake(socket, protocol);
                String line = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8)).readLine();
                Writer out = new OutputStreamWriter(socket.getOutputStream(), StandardCharsets.UTF_8);
                out.write("echo " + line + "\n");
                out.flush();
                socket.close();
                return handshake.then(line, null);
            } catch (Exception e) {
                Loopback.drain(tcp);
                return handshake.then(null, Loopback.describe(e));
            }
        }

        @Override
        public void close() throws IOException {
            listener.close();
        }
    }
}
