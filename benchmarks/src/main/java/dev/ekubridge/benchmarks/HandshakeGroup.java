package dev.ekubridge.benchmarks;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.ekubridge.testsupport.tls.HandshakeLoop;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** One key type, protocol and engine of {@link InterleavedHandshakes}: its variants (the first is the baseline) and what was measured of them. */
final class HandshakeGroup {
    final String key;
    final String protocol;
    final String jsse;
    final List<Variant> variants;
    final HandshakeLoop loop;
    private final Map<String, List<Double>> ratios = new LinkedHashMap<>();
    private final Map<String, List<Double>> wallRatios = new LinkedHashMap<>();
    private final Map<String, List<Double>> nanos = new LinkedHashMap<>();
    private final Map<String, List<Double>> wallNanos = new LinkedHashMap<>();
    final Map<String, long[]> allocation = new LinkedHashMap<>(); // bytes, handshakes
    int rounds;

    HandshakeGroup(String key, String protocol, String jsse, List<Variant> variants, HandshakeLoop loop) {
        this.key = key;
        this.protocol = protocol;
        this.jsse = jsse;
        this.variants = variants;
        this.loop = loop;
        for (Variant v : variants) {
            ratios.put(v.name(), new ArrayList<>());
            wallRatios.put(v.name(), new ArrayList<>());
            nanos.put(v.name(), new ArrayList<>());
            wallNanos.put(v.name(), new ArrayList<>());
            allocation.put(v.name(), new long[2]);
        }
    }

    JsonObject summary() {
        Variant baseline = variants.get(0);
        JsonObject group = new JsonObject();
        group.addProperty("baseline", baseline.name());
        group.addProperty("rounds", rounds);
        JsonArray out = new JsonArray();
        for (Variant v : variants) {
            JsonObject row = new JsonObject();
            row.addProperty("variant", v.name());
            row.addProperty("medianMicrosPerHandshake", median(nanos.get(v.name())).median() / 1e3);
            row.addProperty("medianWallMicrosPerHandshake", median(wallNanos.get(v.name())).median() / 1e3);
            long[] bytes = allocation.get(v.name());
            row.addProperty("bytesPerHandshake", bytes[1] == 0 ? Double.NaN : (double) bytes[0] / bytes[1]);
            if (v != baseline) {
                Interval ratio = median(ratios.get(v.name()));
                row.addProperty("ratio", ratio.median());
                row.addProperty("low", ratio.low());
                row.addProperty("high", ratio.high());
                row.addProperty("coverage", ratio.coverage());
                row.addProperty("pairs", ratio.n());
                Interval wall = median(wallRatios.get(v.name()));
                row.addProperty("wallRatio", wall.median());
                row.addProperty("wallLow", wall.low());
                row.addProperty("wallHigh", wall.high());
                JsonArray raw = new JsonArray();
                for (double x : ratios.get(v.name())) {
                    raw.add(Math.round(x * 1e5) / 1e5);
                }
                row.add("ratios", raw);
            }
            out.add(row);
        }
        group.add("variants", out);
        return group;
    }

    /** One measured pair: the variant's block against a baseline block, each as {wall, cpu} nanoseconds. */
    void record(Variant v, long[] base, long[] variant, int block) {
        Variant baseline = variants.get(0);
        ratios.get(v.name()).add((double) base[1] / variant[1]);
        wallRatios.get(v.name()).add((double) base[0] / variant[0]);
        nanos.get(baseline.name()).add((double) base[1] / block);
        nanos.get(v.name()).add((double) variant[1] / block);
        wallNanos.get(baseline.name()).add((double) base[0] / block);
        wallNanos.get(v.name()).add((double) variant[0] / block);
    }

    private static Interval median(List<Double> values) {
        return Interval.ofMedian(values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** The console line of a summary: per variant its time, allocation and ratios. */
    static String text(JsonObject group, String provider, String protocol) {
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "[%s %s] %d rounds:", provider, protocol,
            group.get("rounds").getAsInt()));
        for (var element : group.getAsJsonArray("variants")) {
            JsonObject row = element.getAsJsonObject();
            text.append(String.format(Locale.ROOT, "%n  %-28s %8.1f µs %9.0f B", row.get("variant").getAsString(),
                row.get("medianMicrosPerHandshake").getAsDouble(), row.get("bytesPerHandshake").getAsDouble()));
            if (row.has("ratio")) {
                text.append(String.format(Locale.ROOT, "  cpu ratio %.4f [%.4f, %.4f]  wall %.4f [%.4f, %.4f]",
                    row.get("ratio").getAsDouble(), row.get("low").getAsDouble(), row.get("high").getAsDouble(),
                    row.get("wallRatio").getAsDouble(), row.get("wallLow").getAsDouble(), row.get("wallHigh").getAsDouble()));
            }
        }
        return text.toString();
    }
}
