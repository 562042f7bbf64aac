package dev.ekubridge;

import java.net.InetAddress;
import java.net.Socket;
import javax.net.ssl.SSLEngine;

/** How the remote end of a socket or engine is named in log lines. */
final class Peers {
    private Peers() {
    }

    /** {@code " from 192.0.2.1:5061"}, or an empty string when the peer is unknown. */
    static String describe(Object transport) {
        if (transport instanceof SSLEngine) {
            SSLEngine engine = (SSLEngine) transport;
            return engine.getPeerHost() == null ? "" : " from " + engine.getPeerHost() + ":" + engine.getPeerPort();
        }
        if (transport instanceof Socket) {
            Socket socket = (Socket) transport;
            InetAddress address = socket.getInetAddress();
            return address == null ? "" : " from " + address.getHostAddress() + ":" + socket.getPort();
        }
        return "";
    }
}
