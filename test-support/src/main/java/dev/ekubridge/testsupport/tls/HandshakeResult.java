package dev.ekubridge.testsupport.tls;

import java.math.BigInteger;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/** The outcome of one {@link Handshake#run}. Immutable snapshot. */
public final class HandshakeResult {
    private final String protocol;
    private final boolean succeeded;
    private final boolean clientHandshakeDone;
    private final boolean serverHandshakeDone;
    private final boolean stalled;
    private final int iterations;
    private final Throwable clientFailure;
    private final Throwable serverFailure;
    private final SSLSession clientSession;
    private final SSLSession serverSession;
    private final X509Certificate[] seenByServer;
    private final X509Certificate[] seenByClient;

    HandshakeResult(String protocol, Throwable clientFailure, Throwable serverFailure, boolean stalled, int iterations,
            boolean clientSawFinished, boolean serverSawFinished, boolean serverGotData, boolean clientGotData,
            SSLSession clientSession, SSLSession serverSession) {
        this.protocol = protocol;
        this.clientFailure = clientFailure;
        this.serverFailure = serverFailure;
        this.stalled = stalled;
        this.iterations = iterations;
        // application data can only arrive after the handshake, whatever the engine reported
        this.clientHandshakeDone = clientSawFinished || clientGotData || serverGotData;
        this.serverHandshakeDone = serverSawFinished || serverGotData;
        this.succeeded = clientFailure == null && serverFailure == null && serverGotData && clientGotData;
        this.clientSession = clientSession;
        this.serverSession = serverSession;
        this.seenByServer = peerChain(serverSession);
        this.seenByClient = peerChain(clientSession);
    }

    private static X509Certificate[] peerChain(SSLSession session) {
        if (session == null) {
            return new X509Certificate[0];
        }
        try {
            Certificate[] certs = session.getPeerCertificates();
            List<X509Certificate> out = new ArrayList<>();
            for (Certificate c : certs) {
                if (c instanceof X509Certificate) {
                    out.add((X509Certificate) c);
                }
            }
            return out.toArray(new X509Certificate[0]);
        } catch (SSLPeerUnverifiedException | RuntimeException e) {
            return new X509Certificate[0];
        }
    }

    /** True only if both handshakes completed and application data flowed both ways. */
    public boolean succeeded() {
        return succeeded;
    }

    /** The exception thrown by the client engine, or null. */
    public Throwable clientFailure() {
        return clientFailure;
    }

    /** The exception thrown by the server engine, or null. */
    public Throwable serverFailure() {
        return serverFailure;
    }

    /** True if the loop stopped without success or failure (no progress, or the iteration bound hit). */
    public boolean stalled() {
        return stalled;
    }

    /**
     * The client engine reported its handshake FINISHED (or data flowed). In TLS 1.3 this can be true on a
     * failed run: the client finishes before the server judges its certificate.
     */
    public boolean clientHandshakeDone() {
        return clientHandshakeDone;
    }

    /** The server engine reported its handshake FINISHED (or received application data). */
    public boolean serverHandshakeDone() {
        return serverHandshakeDone;
    }

    /** The protocol that was enabled on both engines. */
    public String requestedProtocol() {
        return protocol;
    }

    /** The protocol of the client's session ("NONE" or similar if no session was established). */
    public String negotiatedProtocol() {
        return clientSession == null ? null : clientSession.getProtocol();
    }

    public String cipherSuite() {
        return clientSession == null ? null : clientSession.getCipherSuite();
    }

    public SSLSession clientSession() {
        return clientSession;
    }

    public SSLSession serverSession() {
        return serverSession;
    }

    public int iterations() {
        return iterations;
    }

    /** The client's chain as seen by the server (copy; empty if none). */
    public X509Certificate[] certificatesSeenByServer() {
        return seenByServer.clone();
    }

    /** The server's chain as seen by the client (copy; empty if none). */
    public X509Certificate[] certificatesSeenByClient() {
        return seenByClient.clone();
    }

    /** Serial of the client's leaf certificate in the server's session, or null. */
    public BigInteger serialSeenByServer() {
        return seenByServer.length == 0 ? null : seenByServer[0].getSerialNumber();
    }

    /** Serial of the server's leaf certificate in the client's session, or null. */
    public BigInteger serialSeenByClient() {
        return seenByClient.length == 0 ? null : seenByClient[0].getSerialNumber();
    }

    /**
     * Both failures, each with its whole cause chain ("client: X: msg; caused by Y: msg"), one per line;
     * empty if nothing failed.
     */
    public String failureText() {
        StringBuilder sb = new StringBuilder();
        append(sb, "client", clientFailure);
        append(sb, "server", serverFailure);
        if (stalled) {
            if (sb.length() > 0) {
                sb.append('\n');
            }
            sb.append("stalled after ").append(iterations).append(" iterations");
        }
        return sb.toString();
    }

    private static void append(StringBuilder sb, String side, Throwable failure) {
        if (failure == null) {
            return;
        }
        if (sb.length() > 0) {
            sb.append('\n');
        }
        sb.append(side).append(": ").append(Failures.describe(failure));
    }

    @Override
    public String toString() {
        return "HandshakeResult{" + protocol
                + ", succeeded=" + succeeded
                + ", negotiated=" + negotiatedProtocol() + "/" + cipherSuite()
                + ", clientDone=" + clientHandshakeDone
                + ", serverDone=" + serverHandshakeDone
                + ", serialSeenByServer=" + serialSeenByServer()
                + ", serialSeenByClient=" + serialSeenByClient()
                + ", iterations=" + iterations
                + (stalled ? ", STALLED" : "")
                + (clientFailure != null || serverFailure != null
                    ? ", failures=[" + failureText().replace('\n', '|') + "]" : "")
                + "}";
    }
}
