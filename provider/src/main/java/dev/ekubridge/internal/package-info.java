/**
 * Not API: facts about certificates and TLS engines that need no EKU Bridge type, shared by the API
 * package and the agent's command line: EKU OIDs and the JDK's rule for them, the key-type names JSSE
 * engines ask for and curve names, how certificates are named in messages, and what each engine's own
 * trust manager checks around its EKU refusal. Public only so that {@code dev.ekubridge} and the agent
 * can reach them; they may change without notice.
 *
 * <p>Dependencies: JDK and Bouncy Castle only; nothing here imports {@code dev.ekubridge}.
 */
package dev.ekubridge.internal;
