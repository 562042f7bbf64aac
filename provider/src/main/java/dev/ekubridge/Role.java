package dev.ekubridge;

/**
 * The part this JVM plays in one TLS handshake. It comes from the JSSE callback that asks for a
 * certificate ({@code chooseServerAlias} versus {@code chooseClientAlias}), never from the socket.
 */
public enum Role {
    /** We accepted the connection and present our server identity. */
    SERVER("server"),
    /** We dialled out and present our client identity. */
    CLIENT("client");

    private final String configPrefix;

    Role(String configPrefix) {
        this.configPrefix = configPrefix;
    }

    /** The prefix of this role's configuration keys: {@code server} or {@code client}. */
    public String configPrefix() {
        return configPrefix;
    }

    @Override
    public String toString() {
        return configPrefix;
    }
}
