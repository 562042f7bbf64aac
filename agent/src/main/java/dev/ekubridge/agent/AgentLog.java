package dev.ekubridge.agent;

import dev.ekubridge.EkuBridgeConfig;

/**
 * Points the agent's bundled, relocated SLF4J backend (slf4j-simple) at standard error or at
 * {@code log.file}, before the first logger exists. The property names below are rewritten by the
 * shading together with the backend's own, so they configure only the agent's copy, never the
 * application's logging.
 */
final class AgentLog {
    private static final String PREFIX = "org.slf4j.simpleLogger.";

    private AgentLog() {
    }

    /** @throws dev.ekubridge.EkuBridgeException naming log.file when the file cannot be written */
    static void configure(EkuBridgeConfig config) {
        java.nio.file.Path file = config.logFile();
        setIfAbsent(PREFIX + "logFile", file == null ? "System.err" : file.toString());
        setIfAbsent(PREFIX + "showDateTime", "true");
        setIfAbsent(PREFIX + "dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSZ");
        setIfAbsent(PREFIX + "showThreadName", "false");
        setIfAbsent(PREFIX + "levelInBrackets", "true");
        setIfAbsent(PREFIX + "defaultLogLevel", "info");
    }

    private static void setIfAbsent(String name, String value) {
        if (System.getProperty(name) == null) {
            System.setProperty(name, value);
        }
    }
}
