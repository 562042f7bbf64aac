package dev.ekubridge.agent.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.IDN;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;

/**
 * The probe's network side: connect, handshake with the recording managers of {@link ProbeManagers}, then wait a
 * moment for the server's verdict on our certificate; all of it on a daemon thread bounded by one deadline, every
 * observation written into the {@link ProbeResult}.
 */
final class ProbeHandshake {
    /** How long to wait after the handshake for the server's verdict on our certificate (TLS 1.3 sends it then). */
    static final long VERDICT_WAIT_MILLIS = 2000;
    private static final Pattern ALERT = Pattern.compile("alert: ?([a-z_]+)");

    private ProbeHandshake() {
    }

    /** Runs the probe on a daemon thread and waits for it until the deadline; a late thread is cut off by closing its socket. */
    static void probe(final ProbeResult result, final String sni) {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(result.timeoutSeconds);
        final Socket[] socket = new Socket[1];
        Thread worker = new Thread(new Runnable() {
            @Override
            public void run() {
                handshake(result, sni, deadline, socket);
            }
        }, "ekubridge-probe");
        worker.setDaemon(true);
        worker.start();
        try {
            worker.join(TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()) + 250);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (worker.isAlive()) {
            result.timedOut = true;
            closeQuietly(socket);
            try {
                worker.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void closeQuietly(Socket[] socket) {
        synchronized (socket) {
            if (socket[0] != null) {
                try {
                    socket[0].close();
                } catch (IOException e) {
                    // closing to stop it
                }
            }
        }
    }

    private static int remaining(long deadline) {
        long millis = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, millis));
    }

    private static void handshake(ProbeResult result, String sni, long deadline, Socket[] holder) {
        Socket plain = new Socket();
        synchronized (holder) {
            holder[0] = plain;
        }
        long start = System.nanoTime();
        try {
            InetAddress address = InetAddress.getByName(result.host);
            plain.connect(new InetSocketAddress(address, result.port), remaining(deadline));
        } catch (UnknownHostException e) {
            result.connectError = "unknown host " + result.host;
            return;
        } catch (ConnectException e) {
            result.connectError = "connection refused: nothing listens on " + result.host + ":" + result.port;
            return;
        } catch (SocketTimeoutException e) {
            result.connectError = "no answer to connect within " + result.timeoutSeconds + " s";
            return;
        } catch (NoRouteToHostException e) {
            result.connectError = "no route to host " + result.host;
            return;
        } catch (IOException | RuntimeException e) {
            result.connectError = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            return;
        }
        result.connected = true;
        result.connectMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        SSLSocket socket;
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[] {result.keys}, new TrustManager[] {result.trust}, null);
            socket = (SSLSocket) context.getSocketFactory().createSocket(plain, sni != null ? sni : result.host, result.port, true);
            synchronized (holder) {
                holder[0] = socket;
            }
            SSLParameters parameters = socket.getSSLParameters();
            if (sni != null) {
                parameters.setServerNames(Collections.<SNIServerName>singletonList(new SNIHostName(IDN.toASCII(sni))));
                socket.setSSLParameters(parameters);
            }
            List<SNIServerName> names = socket.getSSLParameters().getServerNames();
            result.sni = names == null || names.isEmpty() || !(names.get(0) instanceof SNIHostName) ? null
                : ((SNIHostName) names.get(0)).getAsciiName();
            socket.setSoTimeout(remaining(deadline));
        } catch (GeneralSecurityException | IOException | RuntimeException e) {
            result.handshakeError = "cannot set up TLS: " + e;
            closeQuietly(holder);
            return;
        }
        long handshakeStart = System.nanoTime();
        try {
            socket.startHandshake();
            result.handshakeDone = true;
            result.handshakeMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - handshakeStart);
            SSLSession session = socket.getSession();
            result.protocol = session.getProtocol();
            result.cipherSuite = session.getCipherSuite();
            awaitVerdict(result, socket, deadline);
        } catch (IOException | RuntimeException e) {
            if (result.timedOut) {
                return;
            }
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            result.handshakeError = e instanceof SocketTimeoutException
                ? "the server did not finish the handshake within " + result.timeoutSeconds + " s" : message;
            Matcher alert = ALERT.matcher(message);
            if (alert.find() && message.contains("Received")) {
                result.alert = alert.group(1);
                if (result.keys.requested) {
                    result.peerVerdict = "refused";
                    result.verdictDetail = "the server ended the handshake with alert " + result.alert + " after asking for our certificate";
                }
            } else if (result.keys.requested && connectionLost(e)) {
                // TLS 1.3: the server refuses our certificate while we still send the rest of our flight; its close
                // resets the connection and our write fails (broken pipe) before its alert can be read
                result.peerVerdict = "refused";
                result.verdictDetail = "the server closed the connection while we sent our certificate (its alert, if any, was lost)";
            }
        } finally {
            closeQuietly(holder);
        }
    }

    /** After our handshake: the server's verdict on our certificate (TLS 1.3 sends an alert only now). */
    private static void awaitVerdict(ProbeResult result, SSLSocket socket, long deadline) {
        if (!result.keys.requested) {
            result.peerVerdict = "not-asked";
            return;
        }
        long wait = Math.min(VERDICT_WAIT_MILLIS, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()) - 50);
        if (wait <= 0) {
            result.verdictDetail = "no time left to wait for the server's verdict";
            return;
        }
        try {
            socket.setSoTimeout((int) wait);
            InputStream input = socket.getInputStream();
            int read = input.read();
            if (read < 0) {
                result.peerVerdict = "unknown";
                result.verdictDetail = "the server closed the connection after the handshake, without an alert";
            } else {
                result.peerVerdict = "accepted";
                result.verdictDetail = "the server sent data after the handshake";
            }
        } catch (SocketTimeoutException e) {
            result.peerVerdict = "accepted";
            result.verdictDetail = "no alert within " + wait + " ms after the handshake";
        } catch (SSLException e) {
            String message = String.valueOf(e.getMessage());
            Matcher alert = ALERT.matcher(message);
            result.peerVerdict = "refused";
            result.alert = alert.find() ? alert.group(1) : null;
            result.verdictDetail = result.alert != null ? "sent after the handshake, as TLS 1.3 does" : message;
        } catch (IOException e) {
            // A server that refuses our certificate sends its alert and closes at once; when that close resets the
            // connection, the alert can be lost on our side: a reset right after it asked for our certificate is a refusal.
            boolean reset = connectionLost(e);
            result.peerVerdict = reset ? "refused" : "unknown";
            result.verdictDetail = reset ? "the server reset the connection right after the handshake (its alert, if any, was lost)"
                : e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }

    /** A reset or broken pipe: how a peer's close right after its fatal alert often reaches us instead of the alert. */
    private static boolean connectionLost(Exception e) {
        String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        return e instanceof SocketException && (message.contains("reset") || message.contains("broken pipe"));
    }
}
