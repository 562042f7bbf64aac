package dev.ekubridge.it.sip;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSocket;

/**
 * The source document's SSH tunnel on 2222, as a plain, unmodified JSSE service: a TLS server socket from
 * the JVM's default {@code SSLServerSocketFactory} (so its identity and trust come only from the
 * {@code javax.net.ssl.*} system properties) that <em>requires</em> a client certificate and answers
 * one line per connection ({@code PING} gets {@code PONG}).
 *
 * <p>Usage: {@code TlsTunnelService --port PORT}. Prints {@code READY}, then per connection
 * {@code HANDSHAKE_OK protocol=... client-serial=... server-serial=...} or
 * {@code HANDSHAKE_FAILED <exception chain>}. Exits on {@code QUIT} or end of standard input.
 */
public final class TlsTunnelService {
    private TlsTunnelService() {
    }

    public static void main(String[] args) throws Exception {
        int port = -1;
        for (int i = 0; i + 1 < args.length; i += 2) {
            if ("--port".equals(args[i])) {
                port = Integer.parseInt(args[i + 1]);
            } else {
                throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        try {
            start(port);
        } catch (IOException | RuntimeException e) {
            SipNode.print("START_FAILED " + SipNode.describe(e));
            System.exit(3);
            return;
        }
        SipNode.print("READY tunnel=127.0.0.1:" + port + " java=" + System.getProperty("java.version"));
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null && !"QUIT".equalsIgnoreCase(line.trim())) {
            // nothing else to do
        }
        System.exit(0);
    }

    /** Listens on {@code port} in this JVM (a SIP node can run the tunnel beside its SIP listener: {@code --tunnel-port}). */
    static void start(int port) throws IOException {
        SSLServerSocketFactory factory = (SSLServerSocketFactory) SSLServerSocketFactory.getDefault();
        SSLServerSocket server = (SSLServerSocket) factory.createServerSocket(port, 16, InetAddress.getByName("127.0.0.1"));
        server.setNeedClientAuth(true);
        Thread acceptor = new Thread(() -> serve(server), "tunnel-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private static void serve(SSLServerSocket server) {
        while (true) {
            SSLSocket socket;
            try {
                socket = (SSLSocket) server.accept();
            } catch (IOException e) {
                SipNode.print("ACCEPT_FAILED " + SipNode.describe(e));
                return;
            }
            try (SSLSocket connection = socket) {
                connection.setSoTimeout(10_000);
                connection.startHandshake();
                SipNode.print("HANDSHAKE_OK protocol=" + connection.getSession().getProtocol()
                    + " client-serial=" + SipNode.serial(connection.getSession().getPeerCertificates())
                    + " server-serial=" + SipNode.serial(connection.getSession().getLocalCertificates()));
                String request = new BufferedReader(new InputStreamReader(connection.getInputStream(), StandardCharsets.US_ASCII)).readLine();
                OutputStream out = connection.getOutputStream();
                out.write(("PONG " + request + "\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (IOException | RuntimeException e) {
                SipNode.print("HANDSHAKE_FAILED " + SipNode.describe(e));
            }
        }
    }
}
