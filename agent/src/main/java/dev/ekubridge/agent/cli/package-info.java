/**
 * Not API: the operator's command line, {@code java -jar ekubridge-agent.jar COMMAND} (entry point
 * {@link dev.ekubridge.agent.cli.Main}, named by the jar's manifest): {@code doctor}, {@code probe},
 * {@code dump}, {@code bench}, {@code inspect}, {@code demo} and {@code attach}. The commands, their output
 * ({@code --json}: one document written by {@link dev.ekubridge.agent.cli.Json}, no JSON library in the jar)
 * and exit statuses are documented in the README; the Java types are not.
 *
 * <p>Dependencies: the provider's API ({@code dev.ekubridge}, including its agent-only
 * {@code AgentSupport}) and {@code dev.ekubridge.internal} for certificate text, EKU and curve names.
 */
package dev.ekubridge.agent.cli;
