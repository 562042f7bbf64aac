package dev.ekubridge;

import dev.ekubridge.internal.CertificateText;
import dev.ekubridge.internal.PeerMatcher;
import java.net.InetAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * The peers to which the client identity is presented ({@code client.peers}): each a host name, an IP address or a
 * CIDR network, with or without a port, or a port alone. The peer of a handshake is read from its socket (the remote
 * address and port, and the host name the application connected to, as the handshake session knows it) or its engine
 * ({@code getPeerHost()}/{@code getPeerPort()}: for a client engine, what the application asked to connect to). A host
 * name matches only a name the application gave; nothing is ever looked up. A peer that is not known (a callback
 * without socket or engine, an engine created without a host) is not named. Immutable.
 */
final class ClientPeers {
    private final PeerMatcher[] hosts;
    private final int[] ports;
    private final List<String> entries;

    private ClientPeers(PeerMatcher[] hosts, int[] ports, List<String> entries) {
        this.hosts = hosts;
        this.ports = ports;
        this.entries = entries;
    }

    /**
     * Parses the entries: {@code sip.example.com}, {@code 192.0.2.7}, {@code 192.0.2.0/24}, {@code 2001:db8::/32},
     * {@code :5061}, {@code sip.example.com:5061}, {@code 192.0.2.0/24:5061}, {@code [2001:db8::1]:5061}.
     *
     * @throws IllegalArgumentException naming the entry that is none of these
     */
    static ClientPeers parse(Collection<String> peers) {
        List<String> entries = new ArrayList<>();
        for (String peer : peers) {
            if (peer != null && !peer.trim().isEmpty()) {
                entries.add(peer.trim());
            }
        }
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("no peer is named");
        }
        PeerMatcher[] hosts = new PeerMatcher[entries.size()];
        int[] ports = new int[entries.size()];
        for (int i = 0; i < entries.size(); i++) {
            String entry = entries.get(i);
            String host = entry;
            String port = null;
            if (entry.startsWith(":")) {
                host = null;
                port = entry.substring(1);
            } else if (entry.startsWith("[")) {
                int close = entry.indexOf(']');
                if (close > 0 && entry.startsWith(":", close + 1)) {
                    host = entry.substring(1, close);
                    port = entry.substring(close + 2);
                }
            } else if (entry.indexOf(':') >= 0 && entry.indexOf(':') == entry.lastIndexOf(':')) {
                host = entry.substring(0, entry.indexOf(':'));
                port = entry.substring(entry.indexOf(':') + 1);
            }
            try {
                hosts[i] = host == null ? null : PeerMatcher.parse(host);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + entry + "' is not a host name, an IP address or a CIDR network, with or"
                    + " without :PORT ([IPv6]:PORT), or :PORT alone", e);
            }
            ports[i] = port == null ? -1 : port(entry, port);
        }
        return new ClientPeers(hosts, ports, Collections.unmodifiableList(entries));
    }

    private static int port(String entry, String text) {
        int port = -1;
        if (text.matches("[0-9]{1,5}")) {
            port = Integer.parseInt(text);
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("'" + entry + "' has a port that is not 1 to 65535");
        }
        return port;
    }

    List<String> entries() {
        return entries;
    }

    /** Whether the peer of this handshake is one of the named ones. */
    boolean names(Socket socket, SSLEngine engine) {
        String host;
        InetAddress address = null;
        int port;
        if (engine != null) {
            host = engine.getPeerHost();
            port = engine.getPeerPort();
        } else if (socket != null) {
            address = socket.getInetAddress();
            port = address == null ? -1 : socket.getPort();
            host = givenHost(socket, address);
        } else {
            return false;
        }
        if (address == null) {
            address = PeerMatcher.addressLiteral(host);
        }
        if (host == null && address == null) {
            return false;
        }
        for (int i = 0; i < hosts.length; i++) {
            if ((ports[i] < 0 || ports[i] == port) && (hosts[i] == null || hosts[i].matchesHost(host) || hosts[i].matches(address))) {
                return true;
            }
        }
        return false;
    }

    /**
     * The host name the application connected a socket to: the handshake session's peer host (SunJSSE and BCJSSE set it
     * from the name given to {@code createSocket}), else the name the address was created with; never a look-up.
     */
    private static String givenHost(Socket socket, InetAddress address) {
        if (socket instanceof SSLSocket) {
            SSLSession session = ((SSLSocket) socket).getHandshakeSession();
            String host = session == null ? null : session.getPeerHost();
            if (host != null) {
                return host;
            }
        }
        if (address != null) {
            String text = address.toString(); // "name/192.0.2.7", or "/192.0.2.7" when created from an address: no look-up
            int slash = text.indexOf('/');
            return slash > 0 ? text.substring(0, slash) : null;
        }
        return null;
    }

    /** The peer as log lines name it. */
    static String describe(Socket socket, SSLEngine engine) {
        if (engine != null) {
            return engine.getPeerHost() == null ? "an unknown peer"
                : CertificateText.printable(engine.getPeerHost()) + ":" + engine.getPeerPort();
        }
        if (socket != null && socket.getInetAddress() != null) {
            String host = givenHost(socket, socket.getInetAddress());
            return (host == null ? "" : CertificateText.printable(host) + " ") + socket.getInetAddress().getHostAddress() + ":" + socket.getPort();
        }
        return "an unknown peer";
    }

    @Override
    public String toString() {
        return String.join(" ", entries);
    }
}
