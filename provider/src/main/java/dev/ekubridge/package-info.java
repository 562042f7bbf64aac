/**
 * EKU Bridge public API: {@link dev.ekubridge.EkuBridge} (builder, {@code fromConfig}, the managers and
 * an {@code SSLContext}), {@link dev.ekubridge.EkuBridgeConfig}, {@link dev.ekubridge.Identity} and
 * {@link dev.ekubridge.Identities}, {@link dev.ekubridge.Role}, {@link dev.ekubridge.EkuPolicy},
 * {@link dev.ekubridge.RoleAwareKeyManager}, {@link dev.ekubridge.EkuPolicyTrustManager},
 * {@link dev.ekubridge.EkuBridgeException}, and the JSSE provider ({@link dev.ekubridge.EkuBridgeProvider},
 * {@link dev.ekubridge.EkuBridgeParameters}).
 *
 * <p>Every public type here is API except {@link dev.ekubridge.AgentSupport}, which exists for the EKU
 * Bridge agent and may change in any release. Package-private classes are the implementation: reading
 * configured files, admitting identities to a role, indexing them for selection, the trust managers
 * EKU Bridge creates itself, diagnostics.
 *
 * <p>Dependencies: this package uses {@code dev.ekubridge.internal}, never the reverse.
 */
package dev.ekubridge;
