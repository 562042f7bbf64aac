package dev.ekubridge;

import java.util.Locale;

/**
 * Which Extended Key Usage a peer's end-entity certificate must carry when the peer connects to us
 * (the peer is the TLS client). When we connect out, the peer must always permit serverAuth.
 *
 * <p>A certificate "permits" a usage when it has no EKU extension, or its EKU lists that usage or
 * anyExtendedKeyUsage: the rule the JDK and Bouncy Castle apply (for a server we connect to, the JDK's
 * legacy SGC OIDs count as serverAuth too, so EKU Bridge never refuses a server the JDK accepts).
 */
public enum EkuPolicy {
    /** clientAuth required, as the JDK does. The default. */
    STRICT("strict"),
    /** clientAuth or serverAuth accepted (Expressway's "EKU checking Off"); anything else refused. */
    LENIENT("lenient"),
    /** As {@link #LENIENT}, but each handshake that {@link #STRICT} would refuse is logged and counted. */
    AUDIT("audit"),
    /** serverAuth required of the peer in both directions (server-to-server links, as Prosody does). */
    SERVER_AUTH("server-auth");

    private final String configValue;

    EkuPolicy(String configValue) {
        this.configValue = configValue;
    }

    /** The value used for this policy in configuration ({@code inbound.eku}). */
    public String configValue() {
        return configValue;
    }

    /**
     * Parses a configuration value ({@code strict}, {@code lenient}, {@code audit}, {@code server-auth}).
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static EkuPolicy fromConfigValue(String value) {
        String wanted = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        for (EkuPolicy policy : values()) {
            if (policy.configValue.equals(wanted)) {
                return policy;
            }
        }
        throw new IllegalArgumentException(
            "'" + value + "' is not an EKU policy; use strict, lenient, audit or server-auth");
    }

    @Override
    public String toString() {
        return configValue;
    }
}
