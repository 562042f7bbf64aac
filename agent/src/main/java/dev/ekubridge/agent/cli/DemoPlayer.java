package dev.ekubridge.agent.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.X509TrustManager;

/** Plays one demo link over real sockets on 127.0.0.1 and says what happened, and why when it is down. */
final class DemoPlayer {
    /** Socket connect, accept and read timeout. */
    static final int TIMEOUT_MILLIS = 3000;

    private DemoPlayer() {
    }

    /** What happened on one link: the serial each side presented, whether it is up, and if not why. */
    static final class Outcome {
        final String clientSerial;
        final String serverSerial;
        final boolean up;
        final String reason;

        Outcome(String clientSerial, String serverSerial, boolean up, String reason) {
            this.clientSerial = clientSerial;
            this.serverSerial = serverSerial;
            this.up = up;
            this.reason = reason;
        }
    }

    /**
     * One connection on 127.0.0.1: the server accepts and handshakes, then sends one byte and waits for
     * one back; the client handshakes, reads it and answers. The link is up only when both sides got
     * through (in TLS 1.3 the client finishes its handshake before the server has judged its certificate).
     */
    static Outcome play(DemoLink link, ExecutorService executor) throws GeneralSecurityException, IOException {
        final RecordingTrustManager atServer = new RecordingTrustManager(link.server.trustManager);
        RecordingTrustManager atClient = new RecordingTrustManager(link.client.trustManager);
        SSLContext serverContext = context(link.server.keyManager, atServer);
        SSLContext clientContext = context(link.client.keyManager, atClient);
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        final SSLServerSocket listener = (SSLServerSocket) serverContext.getServerSocketFactory().createServerSocket(0, 1, loopback);
        Throwable serverFailure = null;
        Throwable clientFailure = null;
        try {
            listener.setNeedClientAuth(link.needClientAuth);
            listener.setSoTimeout(TIMEOUT_MILLIS);
            Future<Void> serverSide = executor.submit(new Callable<Void>() {
                @Override
                public Void call() throws IOException {
                    Socket accepted = listener.accept();
                    try {
                        SSLSocket socket = (SSLSocket) accepted;
                        socket.setSoTimeout(TIMEOUT_MILLIS);
                        socket.startHandshake();
                        OutputStream output = socket.getOutputStream();
                        output.write('S');
                        output.flush();
                        if (socket.getInputStream().read() != 'C') {
                            throw new IOException("the client closed the connection after the handshake");
                        }
                    } finally {
                        accepted.close();
                    }
                    return null;
                }
            });
            SSLSocket socket = (SSLSocket) clientContext.getSocketFactory().createSocket();
            try {
                socket.connect(new InetSocketAddress(loopback, listener.getLocalPort()), TIMEOUT_MILLIS);
                socket.setSoTimeout(TIMEOUT_MILLIS);
                socket.startHandshake();
                InputStream input = socket.getInputStream();
                if (input.read() != 'S') {
                    throw new IOException("the server closed the connection after the handshake");
                }
                socket.getOutputStream().write('C');
                socket.getOutputStream().flush();
            } catch (IOException e) {
                clientFailure = e;
            } finally {
                socket.close();
            }
            try {
                serverSide.get(2L * TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                serverFailure = e.getCause();
            } catch (TimeoutException e) {
                serverSide.cancel(true);
                serverFailure = new IOException("the server side did not finish within " + 2 * TIMEOUT_MILLIS + " ms");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                serverFailure = e;
            }
        } finally {
            listener.close();
        }
        boolean up = serverFailure == null && clientFailure == null;
        return new Outcome(serial(atServer.inboundChain), serial(atClient.outboundChain), up,
            up ? null : reason(link, atServer, atClient, serverFailure, clientFailure));
    }

    private static SSLContext context(X509KeyManager keyManager, X509TrustManager trustManager) throws GeneralSecurityException {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManager == null ? new KeyManager[0] : new KeyManager[] {keyManager}, new TrustManager[] {trustManager}, null);
        return context;
    }

    private static String serial(X509Certificate[] chain) {
        return chain == null || chain.length == 0 ? "none" : CertText.serial(chain[0]);
    }

    /** The refusing side's message, shortened: who refused whose certificate, and why. */
    private static String reason(DemoLink link, RecordingTrustManager atServer, RecordingTrustManager atClient, Throwable serverFailure,
            Throwable clientFailure) {
        String client = link.client.name;
        String server = link.server.name;
        if (atServer.refusal != null) {
            return server + " refused " + client + "'s client cert: " + shorten(atServer.refusal, atServer.inboundChain, link.server.check);
        }
        if (atClient.refusal != null) {
            return client + " refused " + server + "'s server cert: " + shorten(atClient.refusal, atClient.outboundChain, link.client.check);
        }
        if (link.needClientAuth && atServer.inboundChain == null && serverFailure != null
                && String.valueOf(serverFailure.getMessage()).contains("Empty client certificate chain")) {
            return client + " sent no client cert (none issued by a CA that " + server + " accepts)";
        }
        Throwable failure = serverFailure != null ? serverFailure : clientFailure;
        String side = serverFailure != null ? server : client;
        String message = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        return side + ": " + (message.length() > 70 ? message.substring(0, 67) + "..." : message);
    }

    private static String shorten(CertificateException refusal, X509Certificate[] chain, String check) {
        String message = String.valueOf(refusal.getMessage());
        String what;
        if (message.contains("TLS client or server authentication")) {
            what = "neither clientAuth nor serverAuth";
        } else if (message.contains("TLS client authentication")) {
            what = "no clientAuth";
        } else if (message.contains("TLS server authentication")) {
            what = "no serverAuth";
        } else if (message.contains("PKIX path") || message.contains("certification path") || message.contains("No trusted certificate")) {
            String issuer = chain == null || chain.length == 0 ? "its issuer" : commonName(chain[0].getIssuerX500Principal().getName());
            return "issuer " + issuer + " not trusted";
        } else {
            return message.length() > 70 ? message.substring(0, 67) + "..." : message;
        }
        int mode = message.indexOf("(inbound.eku=");
        if (mode >= 0 && message.indexOf(')', mode) > mode) {
            String setting = message.substring(mode + 1, message.indexOf(')', mode));
            return what + " (" + (check.startsWith("SSH") ? check + ", " : "") + setting + ")";
        }
        return what + " (" + check + ")";
    }

    private static String commonName(String distinguishedName) {
        for (String part : distinguishedName.split(",")) {
            if (part.startsWith("CN=")) {
                return part.substring(3);
            }
        }
        return distinguishedName;
    }
}
