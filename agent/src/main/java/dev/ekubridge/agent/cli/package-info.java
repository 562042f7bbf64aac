/**
 * Not API: the operator's command line, {@code java -jar ekubridge-agent.jar demo | inspect | attach}
 * (entry point {@link dev.ekubridge.agent.cli.Main}, named by the jar's manifest). The commands, their
 * output and exit statuses are documented in the README; the Java types are not.
 *
 * <p>Dependencies: the provider's API ({@code dev.ekubridge}, including its agent-only
 * {@code AgentSupport}) and {@code dev.ekubridge.internal} for certificate text, EKU and curve names.
 */
package dev.ekubridge.agent.cli;
