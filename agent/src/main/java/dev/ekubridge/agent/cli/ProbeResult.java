package dev.ekubridge.agent.cli;

import dev.ekubridge.Identity;
import java.security.cert.X509Certificate;

/**
 * Everything one probe observed; filled in by {@link ProbeHandshake} on its own thread as the handshake goes, read by
 * the caller at the end or the deadline (hence the volatile fields).
 */
final class ProbeResult {
    String host;
    int port;
    String sni;
    int timeoutSeconds;
    String trustSource;
    volatile boolean connected;
    volatile String connectError;
    volatile long connectMillis = -1;
    volatile boolean handshakeDone;
    volatile String handshakeError;
    volatile long handshakeMillis = -1;
    volatile String protocol;
    volatile String cipherSuite;
    /** {@code accepted}, {@code refused}, {@code not-asked}, or {@code unknown}. */
    volatile String peerVerdict = "unknown";
    volatile String alert;
    volatile String verdictDetail;
    volatile boolean timedOut;
    ProbeManagers.Keys keys;
    ProbeManagers.Trust trust;
    Identity presented;
    X509Certificate[] presentedChain;

    /** The name the server's certificate must carry: the SNI we sent, else the host we dialled. */
    String expectedName() {
        return sni != null ? sni : host;
    }

    boolean peerRefused() {
        return "refused".equals(peerVerdict);
    }
}
