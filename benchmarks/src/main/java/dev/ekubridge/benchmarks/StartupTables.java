package dev.ekubridge.benchmarks;

import static dev.ekubridge.benchmarks.Figures.firstThree;
import static dev.ekubridge.benchmarks.Figures.number;
import static dev.ekubridge.benchmarks.Figures.withError;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** The report's start-up sections: the interleaved launches (InterleavedStartup) and JMH's AgentStartupBenchmark. */
final class StartupTables {
    static final double AGENT_STARTUP_TARGET_MS = 300;
    static final double FORMAT_TARGET_MS = 200;

    private StartupTables() {
    }

    static void interleavedStartup(Report report) {
        JsonObject startup = report.startup;
        if (startup == null) {
            return;
        }
        report.add("## Start-up: the agent, per identity format, and 1,000 identities (interleaved launches)\n");
        report.add(String.format(Locale.ROOT, "%s, load average %s at start and %s at end, %s to %s. Wall time from starting "
            + "`java -cp DIR Hello` to its exit; each of %d rounds starts every launch once in random order. `over none`: the "
            + "per-round difference to the launch without the agent; `over unencrypted`: to the agent with the same key as "
            + "unencrypted PKCS#8 PEM (EC P-256, or RSA 2048 for the RSA formats); medians with distribution-free 95%% "
            + "intervals.\n", startup.get("java").getAsString(), firstThree(startup.get("loadStart").getAsString()),
            firstThree(startup.get("loadEnd").getAsString()), startup.get("started").getAsString(), startup.get("ended").getAsString(),
            startup.get("rounds").getAsInt()));
        report.add("| launch | median ms | over none ms [95%] | over unencrypted ms [95%] | verdict |");
        report.add("|---|---:|---|---|---|");
        List<String> missed = new ArrayList<>();
        double worst = -Double.MAX_VALUE;
        String worstWhere = null;
        Double agentOverNone = null;
        String agentInterval = null;
        for (JsonElement element : startup.getAsJsonArray("launches")) {
            JsonObject row = element.getAsJsonObject();
            String launch = row.get("launch").getAsString();
            String overNone = difference(row, "overNone");
            String overReference = difference(row, "overReference");
            String verdict = "";
            if (row.has("overReference")) {
                JsonObject d = row.getAsJsonObject("overReference");
                double median = d.get("median").getAsDouble();
                double high = d.get("high").getAsDouble();
                boolean viaProvider = launch.equals("pem-pkcs8-2des");
                verdict = median <= FORMAT_TARGET_MS && high <= FORMAT_TARGET_MS ? "within 200 ms"
                    : median <= FORMAT_TARGET_MS ? "median within 200 ms, interval not" : "MISSED";
                if (viaProvider) {
                    verdict += " (Bouncy Castle's provider: not a default format)";
                } else if (!launch.equals("jks-1000")) {
                    if (median > worst) {
                        worst = median;
                        worstWhere = launch + " " + overReference;
                    }
                    if (verdict.equals("MISSED")) {
                        missed.add(launch);
                    }
                }
            }
            if (launch.equals("agent") && row.has("overNone")) {
                agentOverNone = row.getAsJsonObject("overNone").get("median").getAsDouble();
                agentInterval = overNone;
                verdict = agentOverNone < AGENT_STARTUP_TARGET_MS ? "under 300 ms" : "MISSED";
            }
            report.add("| " + launch + " | " + number(row.get("medianMs").getAsDouble(), 1) + " | " + overNone + " | " + overReference
                + " | " + verdict + " |");
        }
        report.add("");
        String jdk = "JDK " + startup.get("javaVersion").getAsString();
        if (agentOverNone != null) {
            report.target("Agent start-up cost under 300 ms (no identities), " + jdk, agentInterval,
                agentOverNone < AGENT_STARTUP_TARGET_MS ? "met" : "MISSED");
        }
        if (worstWhere != null) {
            report.target("Every supported key format loads within 200 ms of the unencrypted one (agent start-up), " + jdk,
                "largest: " + worstWhere, missed.isEmpty() ? "met" : "MISSED for " + missed);
        }
    }

    private static String difference(JsonObject row, String name) {
        if (!row.has(name)) {
            return "–";
        }
        JsonObject d = row.getAsJsonObject(name);
        return String.format(Locale.ROOT, "%+.1f [%+.1f, %+.1f]", d.get("median").getAsDouble(), d.get("low").getAsDouble(),
            d.get("high").getAsDouble());
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    static void agentStartup(Report report) {
        Map<String, JmhResult> rows = new TreeMap<>();
        for (JmhResult r : report.select("AgentStartupBenchmark", r -> true)) {
            rows.put(r.params.get("launch"), r);
        }
        if (rows.isEmpty()) {
            return;
        }
        String unit = rows.values().iterator().next().unit;
        Double scale = Map.of("s/op", 1000.0, "ms/op", 1.0, "us/op", 1e-3, "ns/op", 1e-6).get(unit);
        if (scale == null) {
            report.add("Agent start-up: unexpected unit " + unit + ", not reported.\n");
            return;
        }
        report.add("## The agent's start-up cost\n");
        report.add("Wall time from starting `java -cp DIR Hello` (a compiled class that prints one line) to its exit, "
            + "without and with `-javaagent:ekubridge-agent.jar=inbound.eku=lenient`, one process per iteration "
            + "(JMH single-shot mode); milliseconds, lower is better.\n");
        report.add("| launch | launches | median ms | mean ms | min ms | max ms |");
        report.add("|---|---:|---:|---:|---:|---:|");
        Map<String, Double> medians = new TreeMap<>();
        for (String launch : new String[] {"none", "agent"}) {
            JmhResult r = rows.get(launch);
            if (r == null || r.rawData.isEmpty()) {
                continue;
            }
            double[] values = r.rawData.stream().mapToDouble(v -> v * scale).sorted().toArray();
            double median = median(values);
            medians.put(launch, median);
            report.add("| " + launch + " | " + values.length + " | " + number(median, 1) + " | "
                + withError(r.score * scale, r.error == null ? null : r.error * scale) + " | " + number(values[0], 1) + " | "
                + number(values[values.length - 1], 1) + " |");
        }
        report.add("");
        if (medians.containsKey("none") && medians.containsKey("agent")) {
            double added = medians.get("agent") - medians.get("none");
            report.add(String.format(Locale.ROOT, "Added by the agent (difference of the medians): **%.1f ms** (target: under %.0f ms).\n",
                added, AGENT_STARTUP_TARGET_MS));
            report.target(String.format(Locale.ROOT,
                "Agent start-up cost under %.0f ms (median with − median without)", AGENT_STARTUP_TARGET_MS),
                String.format(Locale.ROOT, "%.1f ms (%.1f − %.1f ms)", added, medians.get("agent"), medians.get("none")),
                added < AGENT_STARTUP_TARGET_MS ? "met" : "MISSED");
        }
    }

}
