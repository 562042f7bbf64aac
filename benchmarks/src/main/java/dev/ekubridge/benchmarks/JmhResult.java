package dev.ekubridge.benchmarks;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** One JMH result, as JMH writes it in its JSON result file ({@code -rf json}). */
final class JmhResult {
    private static final String PACKAGE = "dev.ekubridge.benchmarks.";

    final String benchmark;
    final String mode;
    final Map<String, String> params = new TreeMap<>();
    final List<String> jvmArgs = new ArrayList<>();
    final String forks;
    final String warmupIterations;
    final String warmupTime;
    final String measurementIterations;
    final String measurementTime;
    final String jdkVersion;
    final String vmName;
    final String vmVersion;
    final double score;
    /** JMH's 99.9% half-interval; null when JMH could not compute it (NaN: too few samples). */
    final Double error;
    final String unit;
    /** Every sample of every fork, in the score's unit. */
    final List<Double> rawData = new ArrayList<>();
    /** {@code gc.alloc.rate.norm} (bytes per operation) when run with {@code -prof gc}. */
    final Double allocation;

    private JmhResult(JsonObject json) {
        benchmark = text(json, "benchmark");
        mode = text(json, "mode");
        forks = text(json, "forks");
        warmupIterations = text(json, "warmupIterations");
        warmupTime = text(json, "warmupTime");
        measurementIterations = text(json, "measurementIterations");
        measurementTime = text(json, "measurementTime");
        jdkVersion = text(json, "jdkVersion");
        vmName = text(json, "vmName");
        vmVersion = text(json, "vmVersion");
        if (json.has("params")) {
            json.getAsJsonObject("params").entrySet().forEach(e -> params.put(e.getKey(), e.getValue().getAsString()));
        }
        if (json.has("jvmArgs")) {
            json.getAsJsonArray("jvmArgs").forEach(arg -> jvmArgs.add(arg.getAsString()));
        }
        JsonObject primary = json.getAsJsonObject("primaryMetric");
        score = number(primary.get("score")).orElseThrow(() -> new IllegalArgumentException(benchmark + ": no score"));
        error = number(primary.get("scoreError")).orElse(null);
        unit = text(primary, "scoreUnit");
        if (primary.has("rawData")) {
            for (JsonElement fork : primary.getAsJsonArray("rawData")) {
                fork.getAsJsonArray().forEach(value -> number(value).ifPresent(rawData::add));
            }
        }
        JsonObject secondary = json.has("secondaryMetrics") ? json.getAsJsonObject("secondaryMetrics") : new JsonObject();
        allocation = secondary.has("gc.alloc.rate.norm")
            ? number(secondary.getAsJsonObject("gc.alloc.rate.norm").get("score")).orElse(null) : null;
    }

    static JmhResult of(JsonObject json) {
        return new JmhResult(json);
    }

    /** The JMH results in a JSON array as JMH writes it. */
    static List<JmhResult> parse(JsonArray array) {
        List<JmhResult> parsed = new ArrayList<>();
        for (JsonElement element : array) {
            parsed.add(of(element.getAsJsonObject()));
        }
        return parsed;
    }

    /** JMH writes NaN and infinities as strings. */
    private static Optional<Double> number(JsonElement element) {
        if (element == null || element.isJsonNull()) {
            return Optional.empty();
        }
        double value = element.getAsJsonPrimitive().isNumber() ? element.getAsDouble() : Double.parseDouble(element.getAsString());
        return Double.isNaN(value) || Double.isInfinite(value) ? Optional.empty() : Optional.of(value);
    }

    private static String text(JsonObject json, String key) {
        JsonElement element = json.get(key);
        return element == null || element.isJsonNull() ? "?" : element.getAsString();
    }

    String benchmarkClass() {
        String name = benchmark.startsWith(PACKAGE) ? benchmark.substring(PACKAGE.length()) : benchmark;
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(0, dot);
    }

    String method() {
        return benchmark.substring(benchmark.lastIndexOf('.') + 1);
    }

    /** Whether the fork ran with the EKU Bridge agent (run.sh's handshake-agent run). */
    boolean withAgent() {
        return agentArguments() != null;
    }

    /** The EKU Bridge agent's arguments in this fork's JVM arguments; "" without any; null without the agent. */
    String agentArguments() {
        for (String arg : jvmArgs) {
            if (arg.startsWith("-javaagent:") && arg.contains("ekubridge-agent")) {
                int jarEnd = arg.indexOf(".jar");
                int equals = arg.indexOf('=', Math.max(jarEnd, 0));
                return equals < 0 ? "" : arg.substring(equals + 1);
            }
        }
        return null;
    }

    /** key, protocol, engine, managers */
    List<String> handshakeKey() {
        return List.of(params.getOrDefault("keyKind", "?"), params.getOrDefault("protocol", "?"),
            params.getOrDefault("jsse", "SunJSSE"), params.getOrDefault("managers", "?"));
    }
}
