/**
 * EKU Bridge's test support, shared by the tests of every module and by the benchmarks; it does not depend on
 * {@code ekubridge-provider}, so the provider's own tests use it too.
 * <ul>
 * <li>{@link dev.ekubridge.testsupport.pki}: the run-time X.509 PKI (roots, intermediates, leaves, twins), key stores
 * and PEM files;</li>
 * <li>{@link dev.ekubridge.testsupport.tls}: TLS between two in-memory {@code SSLEngine}s, the two JSSE
 * implementations, and the mutual-TLS loopback exchange over sockets;</li>
 * <li>{@link dev.ekubridge.testsupport.apps}: unmodified applications that the tests start in their own JVMs;</li>
 * <li>{@link dev.ekubridge.testsupport.process}: forked processes and JVMs that never outlive the test.</li>
 * </ul>
 */
package dev.ekubridge.testsupport;
