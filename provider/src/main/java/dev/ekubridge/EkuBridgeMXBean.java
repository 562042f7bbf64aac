package dev.ekubridge;

import java.util.List;

/**
 * The management view of one bridge, registered as {@code dev.ekubridge:type=EkuBridge} by the agent or by
 * {@link EkuBridge#registerMBean()}: what its trust managers decided since start (or the last reset), the
 * identities in service and the inbound EKU policy. Counters count certificates judged, one per handshake that
 * reached the trust manager.
 */
public interface EkuBridgeMXBean {
    /** The inbound EKU policy: the default mode and each scoped rule, e.g. {@code inbound.eku=strict, inbound.eku.port.5061=lenient}. */
    String getInboundEku();

    /** Peers that connected to us, accepted with clientAuth. */
    long getInboundAccepted();

    /** Peers that connected to us, accepted without clientAuth because the mode allows it (lenient, server-auth). */
    long getInboundAcceptedOnlyBecauseRelaxed();

    /** {@code audit}: peers accepted that {@code strict} would have refused. */
    long getInboundAuditWouldRefuse();

    /** Peers that connected to us, refused by the mode's EKU rule. */
    long getInboundRefusedByEkuRule();

    /** Peers that connected to us, refused by the wrapped trust manager (untrusted, expired, revoked...). */
    long getInboundRefusedByTrustManager();

    /** Servers we connected to, accepted. */
    long getOutboundAccepted();

    /** Servers we connected to, refused for lack of serverAuth. */
    long getOutboundRefusedByEkuRule();

    /** Servers we connected to, refused by the wrapped trust manager. */
    long getOutboundRefusedByTrustManager();

    /**
     * The identities in service, one line each: role, alias, subject, serial, not-after (an empty list when the
     * application's own key manager serves both roles).
     */
    List<String> getIdentities();

    /** Reloads that put new certificate files in service ({@code reload.seconds}, {@code reload()}, {@code attach PID reload}). */
    long getReloads();

    /** New certificate files refused at a reload (garbage, wrong password, refused by an admission check), each content once. */
    long getReloadFailures();

    /** Sets every counter back to zero (the handshake counters; reload counts are kept). */
    void resetCounters();
}
