package dev.ekubridge.benchmarks;

import dev.ekubridge.EkuPolicy;
import dev.ekubridge.testsupport.pki.LeafEku;

/**
 * What the server side of a benchmark does with a client certificate, and which certificate the client presents:
 * EKU Bridge's inbound policy (none: the delegate or the JDK alone) and the client certificate's EKU. The relaxed case
 * is lenient mode with a serverAuth-only client; every other case has a dual-EKU client.
 */
enum Inbound {
    NO_POLICY(null, LeafEku.BOTH),
    STRICT(EkuPolicy.STRICT, LeafEku.BOTH),
    LENIENT(EkuPolicy.LENIENT, LeafEku.BOTH),
    AUDIT(EkuPolicy.AUDIT, LeafEku.BOTH),
    SERVER_AUTH(EkuPolicy.SERVER_AUTH, LeafEku.BOTH),
    LENIENT_RELAXED(EkuPolicy.LENIENT, LeafEku.SERVER_AUTH);

    /** null without EKU Bridge's policy */
    final EkuPolicy policy;
    final LeafEku clientUsage;

    Inbound(EkuPolicy policy, LeafEku clientUsage) {
        this.policy = policy;
        this.clientUsage = clientUsage;
    }
}
