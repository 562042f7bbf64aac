package dev.ekubridge.benchmarks;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * {@link AgentStartupBenchmark}'s launches interleaved: each round starts every launch once, in a fresh random order,
 * so that the machine's drift between minutes falls on all of them alike; per launch the median wall time, and per
 * round the difference to the launch without the agent and to the unencrypted PEM key of the same key type, each
 * summarised by its median and distribution-free 95% interval ({@link Interval}).
 *
 * <pre>
 * java -cp benchmarks.jar dev.ekubridge.benchmarks.InterleavedStartup [--rounds 15] [--warmup 2] [--launches a,b,...]
 *     --json OUT.json   (the agent jar: -Dekubridge.agent.jar=PATH, as for AgentStartupBenchmark)
 * </pre>
 */
public final class InterleavedStartup {
    private InterleavedStartup() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        if (!options.containsKey("json")) {
            throw new IllegalArgumentException("usage: InterleavedStartup [--rounds N] [--warmup N] [--launches a,b] --json OUT.json");
        }
        int rounds = Integer.parseInt(options.getOrDefault("rounds", "15"));
        int warmup = Integer.parseInt(options.getOrDefault("warmup", "2"));
        List<Launch> launches = new ArrayList<>();
        if (options.containsKey("launches")) {
            for (String name : options.get("launches").split(",")) {
                launches.add(Launch.named(name.trim()));
            }
        } else {
            Collections.addAll(launches, Launch.values());
        }

        Path work = Files.createTempDirectory("ekubridge-startup");
        AgentStartupBenchmark.compileHello(work);
        Path agentJar = AgentStartupBenchmark.agentJar();
        Map<Launch, ProcessBuilder> processes = new LinkedHashMap<>();
        Map<Launch, List<Double>> millis = new LinkedHashMap<>();
        for (Launch launch : launches) {
            List<String> command = launch.command(work, agentJar);
            AgentStartupBenchmark.check(command, launch != Launch.NONE);
            System.out.println("[setup] " + launch.label + ": " + String.join(" ", command));
            processes.put(launch, new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD));
            millis.put(launch, new ArrayList<>());
        }
        JsonObject json = new JsonObject();
        json.addProperty("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        json.addProperty("javaVersion", System.getProperty("java.version"));
        json.addProperty("started", java.time.Instant.now().toString());
        json.addProperty("loadStart", InterleavedHandshakes.loadAverage());
        Random random = new Random(13);
        List<Map<Launch, Double>> perRound = new ArrayList<>();
        for (int round = 0; round < warmup + rounds; round++) {
            List<Launch> order = new ArrayList<>(launches);
            Collections.shuffle(order, random);
            Map<Launch, Double> times = new LinkedHashMap<>();
            for (Launch launch : order) {
                long start = System.nanoTime();
                int status = processes.get(launch).start().waitFor();
                double elapsed = (System.nanoTime() - start) / 1e6;
                if (status != 0) {
                    throw new IllegalStateException(launch.label + " exited with " + status);
                }
                times.put(launch, elapsed);
            }
            if (round >= warmup) {
                perRound.add(times);
                times.forEach((launch, ms) -> millis.get(launch).add(ms));
            }
        }
        json.addProperty("rounds", rounds);
        JsonArray rows = new JsonArray();
        for (Launch launch : launches) {
            JsonObject row = new JsonObject();
            row.addProperty("launch", launch.label);
            Interval time = Interval.ofMedian(millis.get(launch).stream().mapToDouble(Double::doubleValue).toArray());
            row.addProperty("medianMs", time.median());
            row.addProperty("minMs", Collections.min(millis.get(launch)));
            row.addProperty("maxMs", Collections.max(millis.get(launch)));
            if (launch != Launch.NONE && launches.contains(Launch.NONE)) {
                addDifference(row, "overNone", perRound, launch, Launch.NONE);
            }
            if (launch.reference != null && launches.contains(Launch.named(launch.reference))) {
                addDifference(row, "overReference", perRound, launch, Launch.named(launch.reference));
                row.addProperty("reference", launch.reference);
            }
            JsonArray raw = new JsonArray();
            millis.get(launch).forEach(ms -> raw.add(Math.round(ms * 10) / 10.0));
            row.add("samplesMs", raw);
            rows.add(row);
            System.out.println(String.format(Locale.ROOT, "  %-22s median %7.1f ms%s%s", launch.label, time.median(),
                row.has("overNone") ? String.format(Locale.ROOT, "  over none %+7.1f [%+.1f, %+.1f]",
                    row.getAsJsonObject("overNone").get("median").getAsDouble(), row.getAsJsonObject("overNone").get("low").getAsDouble(),
                    row.getAsJsonObject("overNone").get("high").getAsDouble()) : "",
                row.has("overReference") ? String.format(Locale.ROOT, "  over %s %+7.1f [%+.1f, %+.1f]", launch.reference,
                    row.getAsJsonObject("overReference").get("median").getAsDouble(),
                    row.getAsJsonObject("overReference").get("low").getAsDouble(),
                    row.getAsJsonObject("overReference").get("high").getAsDouble()) : ""));
        }
        json.add("launches", rows);
        json.addProperty("loadEnd", InterleavedHandshakes.loadAverage());
        json.addProperty("ended", java.time.Instant.now().toString());
        Path out = Paths.get(options.get("json"));
        Files.writeString(out, new GsonBuilder().setPrettyPrinting().create().toJson(json), StandardCharsets.UTF_8);
        System.out.println("wrote " + out);
    }

    private static void addDifference(JsonObject row, String name, List<Map<Launch, Double>> rounds, Launch launch, Launch base) {
        double[] differences = rounds.stream().mapToDouble(r -> r.get(launch) - r.get(base)).toArray();
        Interval interval = Interval.ofMedian(differences);
        JsonObject difference = new JsonObject();
        difference.addProperty("median", interval.median());
        difference.addProperty("low", interval.low());
        difference.addProperty("high", interval.high());
        difference.addProperty("n", interval.n());
        row.add(name, difference);
    }
}
