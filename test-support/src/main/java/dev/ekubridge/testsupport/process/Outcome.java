package dev.ekubridge.testsupport.process;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** What a finished process printed, and how it ended (exit status -1: still running, or killed at its timeout). */
public record Outcome(List<String> command, int exit, String stdout, String stderr) {

    /** The value of the first {@code KEY=value} line on standard output, or {@code null}. */
    public String value(String key) {
        for (String line : stdout.split("\\R")) {
            if (line.startsWith(key + "=")) {
                return line.substring(key.length() + 1);
            }
        }
        return null;
    }

    /** Every {@code KEY=value} line of standard output (first occurrence wins), in order. */
    public Map<String, String> values() {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : stdout.split("\\R")) {
            int equals = line.indexOf('=');
            if (equals > 0) {
                values.putIfAbsent(line.substring(0, equals), line.substring(equals + 1));
            }
        }
        return values;
    }

    public List<String> stderrLines() {
        return stderr.lines().filter(line -> !line.isBlank()).collect(Collectors.toList());
    }

    /** For assertion messages: the command, the exit status and everything the process printed. */
    public String describe() {
        return "\n--- command: " + String.join(" ", command) + "\n--- exit status: " + exit
            + "\n--- stdout:\n" + stdout + "--- stderr:\n" + stderr + "---";
    }

    @Override
    public String toString() {
        return describe();
    }
}
