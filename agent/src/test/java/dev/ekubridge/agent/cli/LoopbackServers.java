package dev.ekubridge.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ekubridge.testsupport.pki.Issued;
import dev.ekubridge.testsupport.pki.Pem;
import dev.ekubridge.testsupport.process.ManagedProcess;
import dev.ekubridge.testsupport.tls.AcceptLoop;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/** The TLS servers {@code probe} is tried against on 127.0.0.1: the JDK's own, {@code openssl s_server}, and silent or absent ones. */
final class LoopbackServers {
    private LoopbackServers() {
    }

    /** A port nothing listens on (bound once, then released). */
    static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A JDK {@link SSLServerSocket} presenting {@code leaf}, with the JDK's own PKIX trust manager (which refuses a
     * client certificate without clientAuth), requiring a client certificate or not. It records, per connection,
     * the client's serial, the server name asked for, or the failure; it stays silent after the handshake.
     */
    static final class JdkServer implements AutoCloseable {
        final List<String> clientSerials = new CopyOnWriteArrayList<>();
        final List<String> serverNames = new CopyOnWriteArrayList<>();
        final List<String> failures = new CopyOnWriteArrayList<>();
        private final SSLServerSocket listener;
        private final Thread acceptor;

        JdkServer(CliPki.Leaf leaf, Path trustStore, boolean needClientAuth) throws Exception {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = java.nio.file.Files.newInputStream(leaf.p12())) {
                keys.load(in, CliPki.PASSWORD.toCharArray());
            }
            KeyManagerFactory keyManagers = KeyManagerFactory.getInstance("SunX509");
            keyManagers.init(keys, CliPki.PASSWORD.toCharArray());
            KeyStore anchors = KeyStore.getInstance("PKCS12");
            try (InputStream in = java.nio.file.Files.newInputStream(trustStore)) {
                anchors.load(in, CliPki.PASSWORD.toCharArray());
            }
            TrustManagerFactory trustManagers = TrustManagerFactory.getInstance("PKIX");
            trustManagers.init(anchors);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
            listener = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 5, InetAddress.getLoopbackAddress());
            listener.setNeedClientAuth(needClientAuth);
            acceptor = new Thread(this::serve, "jdk-server-" + listener.getLocalPort());
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return listener.getLocalPort();
        }

        /** Waits (at most 20 s) until {@code count} connections have been recorded, as accepted or as failed. */
        void awaitConnections(int count) throws InterruptedException {
            long end = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
            while (clientSerials.size() + failures.size() < count && System.nanoTime() < end) {
                Thread.sleep(10);
            }
        }

        private void serve() {
            while (!listener.isClosed()) {
                try (SSLSocket socket = (SSLSocket) listener.accept()) {
                    socket.setSoTimeout(15_000);
                    try {
                        socket.startHandshake();
                        ExtendedSSLSession session = (ExtendedSSLSession) socket.getSession();
                        for (SNIServerName name : session.getRequestedServerNames()) {
                            serverNames.add(((SNIHostName) name).getAsciiName());
                        }
                        try {
                            Certificate[] peer = session.getPeerCertificates();
                            clientSerials.add(Issued.serialHex((java.security.cert.X509Certificate) peer[0]));
                        } catch (javax.net.ssl.SSLPeerUnverifiedException none) {
                            clientSerials.add("none");
                        }
                        socket.getInputStream().read(); // silent until the client goes
                    } catch (IOException e) {
                        failures.add(String.valueOf(e.getMessage()));
                    }
                } catch (IOException e) {
                    return; // closed
                }
            }
        }

        @Override
        public void close() throws IOException {
            listener.close();
        }
    }

    /** A TCP server that accepts and never says a word: a handshake that never finishes. */
    static final class Silent implements AutoCloseable {
        private final ServerSocket listener;
        private final List<Socket> held = new ArrayList<>();

        Silent() throws IOException {
            listener = new ServerSocket();
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            AcceptLoop.start(listener, "silent-server", connection -> {
                synchronized (held) {
                    held.add(connection);
                }
            });
        }

        int port() {
            return listener.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            listener.close();
            synchronized (held) {
                for (Socket socket : held) {
                    socket.close();
                }
            }
        }
    }

    /**
     * {@code openssl s_server} presenting {@code leaf}; with {@code verify}, {@code -Verify 1 -verify_return_error}: a client
     * certificate is required and checked for the clientAuth purpose against {@code caFile}.
     */
    static final class OpenSslServer implements AutoCloseable {
        private final ManagedProcess process;
        final int port;

        OpenSslServer(Path workDir, CliPki.Leaf leaf, Path caFile, boolean verify) {
            port = closedPort();
            List<String> command = new ArrayList<>(List.of("openssl", "s_server", "-accept", "127.0.0.1:" + port,
                "-cert", leaf.certPem().toString(), "-key", leaf.keyPem().toString(), "-CAfile", caFile.toString()));
            if (verify) {
                command.addAll(List.of("-Verify", "1", "-verify_return_error"));
            }
            String name = "s_server-" + (verify ? "verify-" : "") + port;
            process = ManagedProcess.start(name, command, workDir, workDir.resolve(name + ".log"), Map.of(), false);
            assertThat(process.awaitOut(0, "ACCEPT"::equals, Duration.ofSeconds(10))).as("s_server started%n%s", process.transcript())
                .isPresent();
        }

        /** The serials of the client certificates s_server printed ("Client certificate"). */
        List<String> clientSerials() {
            List<String> serials = new ArrayList<>();
            Pem.certificatesAfter(process.out(), "Client certificate").forEach(c -> serials.add(Issued.serialHex(c)));
            return serials;
        }

        String transcript() {
            return process.transcript();
        }

        @Override
        public void close() {
            process.close();
        }
    }

    /** Whether {@code openssl} can be run here. */
    static boolean openSslInstalled() {
        try {
            Process process = new ProcessBuilder("openssl", "version").redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
