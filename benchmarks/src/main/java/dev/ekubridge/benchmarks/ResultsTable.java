package dev.ekubridge.benchmarks;

import static dev.ekubridge.benchmarks.Figures.firstThree;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The benchmarks' report, from JMH's own JSON result files: merges them into one JSON file and writes a
 * Markdown report with the machine, the run's settings, one table per benchmark with ratios EKU Bridge / JDK,
 * and the targets with the measured figure and a verdict against each. {@code benchmarks/run.sh} runs it after
 * the benchmarks; {@code BenchmarksSmokeTest} runs it on the results of its own short runs.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.ekubridge.benchmarks.ResultsTable --json OUT.json --markdown OUT.md
 *     [--started ISO-8601] [--load-start "/proc/loadavg"] [--load-end "/proc/loadavg"] [--elapsed "12 min 3 s"] IN.json...
 * </pre>
 */
public final class ResultsTable {
    private ResultsTable() {
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> options = new TreeMap<>();
        List<Path> inputs = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].startsWith("--")) {
                if (i + 1 == args.length) {
                    throw new IllegalArgumentException(args[i] + " needs a value");
                }
                options.put(args[i].substring(2), args[++i]);
            } else {
                inputs.add(Paths.get(args[i]));
            }
        }
        for (String required : new String[] {"json", "markdown"}) {
            if (!options.containsKey(required)) {
                throw new IllegalArgumentException("usage: ResultsTable --json OUT.json --markdown OUT.md [--started ISO] "
                    + "[--load-start LOADAVG] [--load-end LOADAVG] [--elapsed TEXT] IN.json...; missing --" + required);
            }
        }
        List<String> unknown = new ArrayList<>(options.keySet());
        unknown.removeAll(List.of("json", "markdown", "started", "load-start", "load-end", "elapsed", "managers", "agent", "startup"));
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown options: " + unknown);
        }
        if (inputs.isEmpty() && !options.containsKey("managers")) {
            throw new IllegalArgumentException("no JMH JSON result files given");
        }

        JsonArray merged = new JsonArray();
        for (Path input : inputs) {
            String text = Files.readString(input, StandardCharsets.UTF_8).trim();
            if (!text.isEmpty()) {
                merged.addAll(JsonParser.parseString(text).getAsJsonArray());
            }
        }
        Path json = Paths.get(options.get("json"));
        Files.writeString(json, new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create().toJson(merged),
            StandardCharsets.UTF_8);

        Machine machine = Machine.current(options.get("load-end"));
        Report report = new Report(JmhResult.parse(merged), readJson(options.get("managers")), readJson(options.get("agent")),
            readJson(options.get("startup")));
        String markdown = write(report, machine, options.get("started"), options.get("load-start"), options.get("elapsed"));
        Path markdownFile = Paths.get(options.get("markdown"));
        Files.writeString(markdownFile, markdown, StandardCharsets.UTF_8);
        System.out.println("wrote " + json + " (" + merged.size() + " results) and " + markdownFile);
    }

    private static JsonObject readJson(String file) throws IOException {
        if (file == null || !Files.isRegularFile(Paths.get(file))) {
            return null;
        }
        return JsonParser.parseString(Files.readString(Paths.get(file), StandardCharsets.UTF_8)).getAsJsonObject();
    }

    /** The Markdown report. {@code started}, {@code loadStart} and {@code elapsed} may be null. */
    static String render(List<JmhResult> results, Machine machine, String started, String loadStart, String elapsed) {
        return write(new Report(results, null, null, null), machine, started, loadStart, elapsed);
    }

    /** The sections in the report's order, which is also the order of the targets they decide. */
    private static String write(Report report, Machine machine, String started, String loadStart, String elapsed) {
        report.add("# EKU Bridge benchmarks\n");
        report.add("- Date: " + machine.date() + (started != null ? " (run started " + started + ")" : ""));
        report.add("- Machine: " + machine.cpus() + " CPUs (available processors), " + machine.model());
        report.add("- Java: " + java(report.results));
        if (loadStart != null) {
            report.add("- Load average (1, 5, 15 min) at start: " + firstThree(loadStart) + "; at end: " + firstThree(machine.loadEnd()));
        }
        if (elapsed != null) {
            report.add("- Run time: " + elapsed);
        }
        settings(report.results).forEach((benchmark, text) -> report.add("- " + benchmark + ": " + text));
        report.add("");

        InterleavedHandshakeTable.write(report, report.managers,
            "## Handshake throughput, EKU Bridge against the engine's own managers (interleaved, one JVM)\n",
            "Handshake throughput ratio EKU Bridge / engine's own managers >= 0.99 (ratio >= 0.99 and 95% interval's lower end >= 0.98)");
        InterleavedHandshakeTable.write(report, report.agent,
            "## Handshake throughput with the agent's retrofit against without it (interleaved, one JVM)\n",
            "Agent: no measurable per-handshake cost (retrofitted / unretrofitted >= 0.99, lower end >= 0.98)");
        HandshakeTables.withoutAgent(report);
        KeySelectionTable.write(report);
        DecisionTable.write(report);
        OwnWorkTables.directAccount(report);
        HandshakeTables.withAgent(report);
        StartupTables.agentStartup(report);
        StartupTables.interleavedStartup(report);
        OwnWorkTables.impliedHandshakeRatio(report);

        report.addTargets();
        if (report.agent == null && report.startup == null
                && report.results.stream().noneMatch(r -> r.withAgent() || r.benchmarkClass().equals("AgentStartupBenchmark"))) {
            report.add("Agent figures (handshake with and without the agent, agent start-up) are not in these results.\n");
        }
        return report.markdown();
    }

    /** The JVMs the benchmarks ran on, as JMH recorded them. */
    private static String java(List<JmhResult> results) {
        TreeSet<String> jvms = new TreeSet<>();
        for (JmhResult r : results) {
            jvms.add(r.jdkVersion + ", " + r.vmName + " " + r.vmVersion);
        }
        return jvms.isEmpty() ? "unknown" : String.join("; ", jvms);
    }

    private static Map<String, String> settings(List<JmhResult> results) {
        Map<String, String> seen = new LinkedHashMap<>();
        for (JmhResult r : results) {
            String name = r.benchmarkClass() + (r.withAgent() ? " (with agent)" : "");
            seen.putIfAbsent(name, "forks " + r.forks + ", warm-up " + r.warmupIterations + " × " + r.warmupTime
                + ", measurement " + r.measurementIterations + " × " + r.measurementTime + ", mode " + r.mode);
        }
        return seen;
    }
}
