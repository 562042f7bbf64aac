package dev.ekubridge.internal;

import java.net.InetAddress;
import java.util.Locale;

/**
 * One peer named in configuration: a host name (matched without a DNS look-up, only against a host name the
 * application itself gave, such as {@code SSLEngine.getPeerHost()}), an address ({@code 192.0.2.7},
 * {@code 2001:db8::7}) or a network in CIDR notation ({@code 192.0.2.0/24}). Immutable. Internal.
 */
public final class PeerMatcher {
    private final String text;
    private final String host;
    private final byte[] network;
    private final int prefix;

    private PeerMatcher(String text, String host, byte[] network, int prefix) {
        this.text = text;
        this.host = host;
        this.network = network;
        this.prefix = prefix;
    }

    /**
     * Parses a host name, an address or a CIDR network.
     *
     * @throws IllegalArgumentException saying what is wrong with it
     */
    public static PeerMatcher parse(String text) {
        String value = text.trim();
        int slash = value.indexOf('/');
        String address = slash < 0 ? value : value.substring(0, slash);
        if (isAddressLiteral(address)) {
            byte[] bytes = literal(address);
            int bits = bytes.length * 8;
            int prefix = bits;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(value.substring(slash + 1));
                } catch (NumberFormatException e) {
                    prefix = -1;
                }
                if (prefix < 0 || prefix > bits) {
                    throw new IllegalArgumentException("'" + value + "' has a prefix length that is not 0 to " + bits);
                }
            }
            return new PeerMatcher(value, null, mask(bytes, prefix), prefix);
        }
        if (slash >= 0 || !value.matches("(?i)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*")) {
            throw new IllegalArgumentException("'" + value + "' is not a host name, an IP address or a CIDR network");
        }
        return new PeerMatcher(value, value.toLowerCase(Locale.ROOT), null, -1);
    }

    /**
     * The address a host string spells when it is an IP address literal ({@code 192.0.2.7}, {@code 2001:db8::7},
     * {@code [2001:db8::7]}), as {@code SSLEngine.getPeerHost()} may hold one; {@code null} for a host name, never
     * looked up.
     */
    public static InetAddress addressLiteral(String host) {
        if (host == null || !isAddressLiteral(host)) {
            return null;
        }
        if (host.indexOf(':') < 0) {
            for (String octet : host.split("\\.")) {
                if (Integer.parseInt(octet) > 255) {
                    return null; // not an address, and the JDK would look it up as a name
                }
            }
        }
        try {
            return InetAddress.getByAddress(literal(host));
        } catch (IllegalArgumentException | java.net.UnknownHostException e) {
            return null;
        }
    }

    private static boolean isAddressLiteral(String text) {
        return text.indexOf(':') >= 0 || text.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    }

    private static byte[] literal(String text) {
        String address = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        if (!address.matches("[0-9a-fA-F:.]+")) {
            throw new IllegalArgumentException("'" + text + "' is not an IP address");
        }
        try {
            return InetAddress.getByName(address).getAddress(); // a literal: no DNS look-up
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException("'" + text + "' is not an IP address");
        }
    }

    private static byte[] mask(byte[] address, int prefix) {
        byte[] masked = address.clone();
        for (int i = 0; i < masked.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - i * 8));
            masked[i] &= (byte) (0xff << (8 - keep));
        }
        return masked;
    }

    /** Whether this names a host (rather than an address or network). */
    public boolean isHost() {
        return host != null;
    }

    /** The prefix length of an address or network (32 or 128 for one address), -1 for a host name. */
    public int prefix() {
        return prefix;
    }

    /** Whether the peer at {@code address} (may be {@code null}) is in this network or is this address. */
    public boolean matches(InetAddress address) {
        if (network == null || address == null) {
            return false;
        }
        byte[] bytes = address.getAddress();
        if (bytes.length != network.length) {
            return false;
        }
        for (int i = 0; i < bytes.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - i * 8));
            if (keep > 0 && ((bytes[i] ^ network[i]) & (0xff << (8 - keep)) & 0xff) != 0) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code peerHost}, a host name the application gave (may be {@code null}), is this host. */
    public boolean matchesHost(String peerHost) {
        return host != null && peerHost != null && host.equalsIgnoreCase(peerHost);
    }

    @Override
    public String toString() {
        return text;
    }
}
