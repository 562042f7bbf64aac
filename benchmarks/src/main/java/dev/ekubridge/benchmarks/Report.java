package dev.ekubridge.benchmarks;

import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The report being written: its inputs, the Markdown lines so far and the targets with their verdicts. The sections
 * add to both in the report's order, which is also the order of the targets table at the end.
 */
final class Report {
    final List<JmhResult> results;
    /** The interleaved harnesses' results (InterleavedHandshakes in both modes, InterleavedStartup); null when not run. */
    final JsonObject managers;
    final JsonObject agent;
    final JsonObject startup;
    private final List<String> lines = new ArrayList<>();
    private final List<String[]> targets = new ArrayList<>();

    Report(List<JmhResult> results, JsonObject managers, JsonObject agent, JsonObject startup) {
        this.results = results;
        this.managers = managers;
        this.agent = agent;
        this.startup = startup;
    }

    void add(String line) {
        lines.add(line);
    }

    /** A row of the targets table: the target, the figure measured against it and the verdict. */
    void target(String target, String measured, String verdict) {
        targets.add(new String[] {target, measured, verdict});
    }

    /** The target that EKU Bridge allocates nothing, judged by the largest of the allocations measured. */
    void zeroAllocationTarget(String target, List<Measured> allocations) {
        if (allocations.isEmpty()) {
            return;
        }
        Measured largest = Collections.max(allocations);
        target(target, String.format(Locale.ROOT, "largest %.4f B/op (%s)", largest.value(), largest.where()),
            largest.value() < Figures.ZERO_ALLOCATION_BYTES ? "met" : "MISSED");
    }

    /** The results of one benchmark class that pass {@code filter}. */
    List<JmhResult> select(String benchmark, Predicate<JmhResult> filter) {
        return results.stream().filter(r -> r.benchmarkClass().equals(benchmark)).filter(filter).collect(Collectors.toList());
    }

    /** The targets table, when any section could decide a target. */
    void addTargets() {
        if (targets.isEmpty()) {
            return;
        }
        add("## Targets\n");
        add("| target | measured | verdict |");
        add("|---|---|---|");
        for (String[] row : targets) {
            add("| " + row[0] + " | " + row[1] + " | " + row[2] + " |");
        }
        add("");
    }

    String markdown() {
        return String.join("\n", lines);
    }
}
