package dev.ekubridge;

import dev.ekubridge.internal.CertificateText;
import java.net.InetAddress;
import java.net.Socket;
import javax.net.ssl.SSLEngine;

/**
 * How the remote end of a socket or engine is named in log lines. The peer host of an engine is what
 * the application created it with, often a name taken from the peer (a SIP URI, a Via header): it is
 * shown {@linkplain CertificateText#printable printable}.
 */
final class Peers {
    private Peers() {
    }

    /** {@code " from 192.0.2.1:5061"}, or an empty string when the peer is unknown. */
    static String describe(Object transport) {
        if (transport instanceof SSLEngine) {
            SSLEngine engine = (SSLEngine) transport;
            return engine.getPeerHost() == null ? "" : " from " + CertificateText.printable(engine.getPeerHost()) + ":" + engine.getPeerPort();
        }
        if (transport instanceof Socket) {
            Socket socket = (Socket) transport;
            InetAddress address = socket.getInetAddress();
            return address == null ? "" : " from " + CertificateText.printable(address.getHostAddress()) + ":" + socket.getPort();
        }
        return "";
    }
}
