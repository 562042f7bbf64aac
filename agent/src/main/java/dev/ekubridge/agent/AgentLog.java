package dev.ekubridge.agent;

import dev.ekubridge.EkuBridgeConfig;
import dev.ekubridge.EkuPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Points the agent's bundled, relocated SLF4J backend (slf4j-simple) at standard error or at
 * {@code log.file}, with the level of {@code log.level}, before the first logger exists. The property
 * names below are rewritten by the shading together with the backend's own, so they configure only the
 * agent's copy, never the application's logging; one set directly on the command line still wins.
 *
 * <p>{@code log.level} is the threshold of the agent's own lines; the lines an operator asked for with
 * {@code log.handshakes=true} ({@code ekubridge.handshakes}, info) or {@code inbound.eku=audit}
 * ({@code ekubridge.audit}, warn) are written whatever it is.
 */
final class AgentLog {
    /** The agent's own lines: what was installed, classes left unchanged. */
    static final String AGENT = "ekubridge.agent";

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
        String level = config.logLevel();
        setIfAbsent(PREFIX + "defaultLogLevel", level);
        if (config.logHandshakes() && moreSevere(level, "info")) {
            setIfAbsent(PREFIX + "log.ekubridge.handshakes", "info");
        }
        if (config.inboundEku() == EkuPolicy.AUDIT && moreSevere(level, "warn")) {
            setIfAbsent(PREFIX + "log.ekubridge.audit", "warn");
        }
    }

    /** The agent's logger; only after {@link #configure}, which the backend reads when the first logger is made. */
    static Logger get() {
        return LoggerFactory.getLogger(AGENT);
    }

    /** Whether {@code level} lets fewer lines through than {@code than} (error, warn, info, debug). */
    private static boolean moreSevere(String level, String than) {
        String order = "error warn info debug";
        return order.indexOf(level) < order.indexOf(than);
    }

    private static void setIfAbsent(String name, String value) {
        if (System.getProperty(name) == null) {
            System.setProperty(name, value);
        }
    }
}
