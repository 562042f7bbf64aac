package dev.ekubridge;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * How many peers a bridge's trust managers accepted and refused, by direction and reason. Shared by every
 * trust manager the bridge (or the agent, for one configuration) creates; counting is one atomic add on a
 * fixed array: no lock, no allocation on the handshake path.
 */
final class HandshakeCounters {
    /** What happened to a peer's certificate. */
    enum Verdict {
        /** A peer that connected to us, accepted with clientAuth. */
        INBOUND_ACCEPTED,
        /** A peer that connected to us, accepted without clientAuth because the mode allows it (lenient, server-auth). */
        INBOUND_ACCEPTED_RELAXED,
        /** {@code audit}: accepted without clientAuth; {@code strict} would have refused it. */
        INBOUND_AUDITED,
        /** Refused by the mode's own EKU rule. */
        INBOUND_REFUSED_EKU,
        /** Refused by the wrapped trust manager (untrusted, expired, revoked...), or fail-closed. */
        INBOUND_REFUSED_TRUST,
        /** A server we connected to, accepted. */
        OUTBOUND_ACCEPTED,
        /** A server we connected to, refused for lack of serverAuth. */
        OUTBOUND_REFUSED_EKU,
        /** A server we connected to, refused by the wrapped trust manager. */
        OUTBOUND_REFUSED_TRUST
    }

    private static final Verdict[] VERDICTS = Verdict.values();

    private final AtomicLongArray counts = new AtomicLongArray(VERDICTS.length);

    void add(Verdict verdict) {
        counts.incrementAndGet(verdict.ordinal());
    }

    long get(Verdict verdict) {
        return counts.get(verdict.ordinal());
    }

    void reset() {
        for (int i = 0; i < VERDICTS.length; i++) {
            counts.set(i, 0);
        }
    }
}
