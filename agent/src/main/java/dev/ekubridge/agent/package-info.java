/**
 * Not API: the EKU Bridge Java agent. What operators use is documented in the README, not as Java
 * types: {@code -javaagent:ekubridge-agent.jar=key=value,...} (entry points {@code premain} and
 * {@code agentmain} of {@link dev.ekubridge.agent.EkuBridgeAgent}, named by the jar's manifest), the
 * configuration keys, and the log lines ({@code ekubridge.agent} and the provider's loggers).
 *
 * <p>Dependencies: the provider's API ({@code dev.ekubridge}, including its agent-only
 * {@code AgentSupport}), {@code dev.ekubridge.agent.bootstrap}, Byte Buddy's bundled ASM and SLF4J,
 * all relocated in the shipped jar.
 */
package dev.ekubridge.agent;
