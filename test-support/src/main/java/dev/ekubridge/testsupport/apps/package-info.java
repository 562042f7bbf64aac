/**
 * Unmodified applications, as far as TLS goes, that tests start in their own JVMs (with the provider's
 * {@code java.security} override, or with the agent): they know nothing of EKU Bridge.
 */
package dev.ekubridge.testsupport.apps;
