package dev.ekubridge.it.support;

import dev.ekubridge.testsupport.process.ManagedProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The agent's {@code log.handshakes=true} lines (logger {@code ekubridge.handshakes}) and its
 * {@code installed:} line, parsed from an application's standard error.
 *
 * <pre>
 * ... ekubridge.handshakes - inbound peer subject "CN=..." serial 7A92745A from 127.0.0.1:58929 with serverAuth, clientAuth: accepted (clientAuth) (inbound.eku=lenient)
 * ... ekubridge.handshakes - inbound peer subject "CN=..." serial 777BB1E5 from 127.0.0.1:49213 with serverAuth: refused: Extended key usage ... (inbound.eku=strict)
 * ... ekubridge.handshakes - inbound peer subject "CN=..." serial 777BB1E5 from 127.0.0.1:49215 with serverAuth: accepted (serverAuth instead of clientAuth) (inbound.eku.port.5061=lenient)
 * ... ekubridge.handshakes - client role: presenting 'core-client' (subject "CN=..." serial 7A92745A, ...) as core-client (key type EC)
 * </pre>
 */
public final class AgentLog {
    private static final Pattern DECISION = Pattern.compile(
        "ekubridge\\.handshakes - (inbound|outbound) peer subject \"([^\"]*)\" serial ([0-9A-F]+)(?: from (\\S+))? with ([^:]*): "
            + "(accepted \\(([^)]*)\\)|refused: (.*?))(?: \\(inbound\\.eku[^=()]*=([a-z-]+)\\))*(?:; we presented .*)?$");
    private static final Pattern PRESENTING = Pattern.compile(
        "ekubridge\\.handshakes - (server|client) role: presenting '([^']*)' \\(subject \"([^\"]*)\" serial ([0-9A-F]+)");

    private AgentLog() {
    }

    /** The agent's arguments with {@code log.handshakes=true} added (unless they set it), so that these lines are written. */
    public static Map<String, String> withHandshakeLog(Map<String, String> agentArgs) {
        Map<String, String> withLog = new LinkedHashMap<>(agentArgs);
        withLog.putIfAbsent("log.handshakes", "true");
        return withLog;
    }

    /** One trust decision: {@code direction} inbound (the peer is the TLS client) or outbound. */
    public record Decision(String direction, String subject, String serial, String from, String ekus, boolean accepted,
                           String detail, String mode, String line) {
        public boolean refused() {
            return !accepted;
        }
    }

    /** One key-manager choice: which identity the node presented in which role. */
    public record Presented(String role, String identity, String subject, String serial, String line) {
    }

    public static Optional<Decision> decision(String line) {
        Matcher m = DECISION.matcher(line);
        if (!m.find()) {
            return Optional.empty();
        }
        boolean accepted = m.group(7) != null;
        return Optional.of(new Decision(m.group(1), m.group(2), m.group(3), m.group(4), m.group(5), accepted,
            accepted ? m.group(7) : m.group(8), m.group(9), line));
    }

    public static Optional<Presented> presented(String line) {
        Matcher m = PRESENTING.matcher(line);
        if (!m.find()) {
            return Optional.empty();
        }
        return Optional.of(new Presented(m.group(1), m.group(2), m.group(3), m.group(4), line));
    }

    /**
     * The agent's first {@code direction} (inbound or outbound) decision about the peer certificate with this serial in
     * {@code process}'s standard error, waiting up to {@code timeout} for it to be written.
     */
    public static Optional<Decision> awaitDecision(ManagedProcess process, String direction, String serial, Duration timeout) {
        return process.awaitErr(0, l -> decision(l).filter(d -> d.direction().equals(direction) && d.serial().equals(serial)).isPresent(),
            timeout).flatMap(AgentLog::decision);
    }

    public static List<Decision> decisions(List<String> lines) {
        List<Decision> all = new ArrayList<>();
        for (String line : lines) {
            decision(line).ifPresent(all::add);
        }
        return all;
    }

    public static List<Presented> presentations(List<String> lines) {
        List<Presented> all = new ArrayList<>();
        for (String line : lines) {
            presented(line).ifPresent(all::add);
        }
        return all;
    }
}
