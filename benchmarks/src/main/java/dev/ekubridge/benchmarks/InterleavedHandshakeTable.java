package dev.ekubridge.benchmarks;

import static dev.ekubridge.benchmarks.Figures.bytes;
import static dev.ekubridge.benchmarks.Figures.firstThree;
import static dev.ekubridge.benchmarks.Figures.number;
import static dev.ekubridge.benchmarks.Verdicts.intervalVerdict;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.Locale;

/** The report's section for an InterleavedHandshakes run (managers or agent mode): a row per variant, a target per run. */
final class InterleavedHandshakeTable {
    private InterleavedHandshakeTable() {
    }

    /** The table of one InterleavedHandshakes run ({@code run}, null when not run) and its target. */
    static void write(Report report, JsonObject run, String title, String target) {
        if (run == null) {
            return;
        }
        report.add(title);
        report.add(String.format(Locale.ROOT, "%s, load average %s at start and %s at end, %s to %s. Blocks of %d handshakes (client "
            + "and server engines on one thread, no resumption); each ratio is baseline time / variant time of two blocks run back "
            + "to back in random order; a round of a group visits each of its variants once in random order, and the groups' rounds "
            + "are themselves interleaved (every super-round runs one round of each group, in random order), after %.0f s of "
            + "warm-up over all groups, for %.0f s per group in all. **Ratio** is that of the handshake thread's CPU time "
            + "(`ThreadMXBean.getCurrentThreadCpuTime`), i.e. throughput on a core of its own: on this shared machine the wall "
            + "time of a block also measures how much of a core the neighbours left us, which the **wall ratio** column shows. "
            + "Both: median over the rounds, with the distribution-free 95%% interval of that median from order statistics "
            + "(binomial ranks, no assumption on the distribution). A target is shown when the ratio is >= 0.99 and the "
            + "interval's lower end >= 0.98. µs per handshake: median CPU (and wall) time per handshake over the blocks; "
            + "B/handshake: bytes the thread allocated over all measured blocks, both sides together.\n",
            run.get("java").getAsString(), firstThree(run.get("loadStart").getAsString()), firstThree(run.get("loadEnd").getAsString()),
            run.get("started").getAsString(), run.get("ended").getAsString(), run.get("block").getAsInt(),
            run.get("warmupSeconds").getAsDouble(), run.get("seconds").getAsDouble()));
        report.add("| key | protocol | engine | variant | CPU µs/handshake | wall µs | B/handshake | ratio | 95% interval | wall ratio [95%] | pairs | verdict |");
        report.add("|---|---|---|---|---:|---:|---:|---:|---|---|---:|---|");
        String worstWhere = null;
        double worstLow = Double.MAX_VALUE;
        double worstRatio = 0;
        double worstHigh = 0;
        int shown = 0;
        int total = 0;
        double lowestRatio = Double.MAX_VALUE;
        String lowestWhere = null;
        for (JsonElement element : run.getAsJsonArray("groups")) {
            JsonObject group = element.getAsJsonObject();
            String where = group.get("key").getAsString() + " | " + group.get("protocol").getAsString() + " | "
                + group.get("jsse").getAsString();
            for (JsonElement v : group.getAsJsonArray("variants")) {
                JsonObject row = v.getAsJsonObject();
                String name = row.get("variant").getAsString();
                String cells = "| " + where + " | " + name + " | " + number(row.get("medianMicrosPerHandshake").getAsDouble(), 1)
                    + " | " + number(row.get("medianWallMicrosPerHandshake").getAsDouble(), 1)
                    + " | " + bytes(row.get("bytesPerHandshake").getAsDouble()) + " | ";
                if (!row.has("ratio")) {
                    report.add(cells + "1 (baseline) | | | | |");
                    continue;
                }
                double ratio = row.get("ratio").getAsDouble();
                double low = row.get("low").getAsDouble();
                double high = row.get("high").getAsDouble();
                String verdict = intervalVerdict(ratio, low, high);
                total++;
                if (verdict.equals("shown")) {
                    shown++;
                }
                if (low < worstLow) {
                    worstLow = low;
                    worstRatio = ratio;
                    worstHigh = high;
                    worstWhere = where.replace(" | ", " ") + " " + name;
                }
                if (ratio < lowestRatio) {
                    lowestRatio = ratio;
                    lowestWhere = where.replace(" | ", " ") + " " + name;
                }
                report.add(cells + String.format(Locale.ROOT, "%.4f | [%.4f, %.4f] | %.4f [%.4f, %.4f] | %d | %s |", ratio, low, high,
                    row.get("wallRatio").getAsDouble(), row.get("wallLow").getAsDouble(), row.get("wallHigh").getAsDouble(),
                    row.get("pairs").getAsInt(), verdict));
            }
        }
        report.add("");
        if (total > 0) {
            report.target(target + ", " + javaShort(run),
                String.format(Locale.ROOT, "%d of %d configurations shown; lowest interval %.4f [%.4f, %.4f] (%s); lowest ratio "
                    + "%.4f (%s)", shown, total, worstRatio, worstLow, worstHigh, worstWhere, lowestRatio, lowestWhere),
                shown == total ? "shown" : "not shown in " + (total - shown) + " of " + total);
        }
    }

    private static String javaShort(JsonObject run) {
        return "JDK " + run.get("javaVersion").getAsString();
    }

}
