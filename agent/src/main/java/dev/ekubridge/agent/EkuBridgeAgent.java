package dev.ekubridge.agent;

import java.lang.instrument.Instrumentation;

/**
 * The agent's entry points: {@code -javaagent:ekubridge-agent.jar=key=value,...} at start
 * ({@link #premain}) and attach to a running JVM ({@link #agentmain}) share one installer. This class
 * does nothing else, so that loading it costs nothing.
 */
public final class EkuBridgeAgent {
    private EkuBridgeAgent() {
    }

    public static void premain(String arguments, Instrumentation instrumentation) {
        AgentInstaller.install(arguments, instrumentation, true);
    }

    public static void agentmain(String arguments, Instrumentation instrumentation) {
        AgentInstaller.install(arguments, instrumentation, false);
    }
}
