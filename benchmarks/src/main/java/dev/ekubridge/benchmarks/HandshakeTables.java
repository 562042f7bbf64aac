package dev.ekubridge.benchmarks;

import static dev.ekubridge.benchmarks.Figures.bytes;
import static dev.ekubridge.benchmarks.Figures.ratioText;
import static dev.ekubridge.benchmarks.Figures.withError;
import static dev.ekubridge.benchmarks.Verdicts.ratioError;
import static dev.ekubridge.benchmarks.Verdicts.ratioVerdict;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** The report's sections on JMH's HandshakeBenchmark: without the agent against the JDK baselines, and with it. */
final class HandshakeTables {
    private static final String[][] BASELINES = {{"JDK", "JDK (PKIX)"}, {"JDK_SUNX509", "JDK_SUNX509"}};

    private HandshakeTables() {
    }

    /** The JMH handshakes without the agent, against both JDK baselines. */
    static void withoutAgent(Report report) {
        Map<List<String>, JmhResult> byKey = new LinkedHashMap<>();
        for (JmhResult r : report.select("HandshakeBenchmark", r -> !r.withAgent())) {
            byKey.put(r.handshakeKey(), r);
        }
        if (byKey.isEmpty()) {
            return;
        }
        report.add("## Full mutual-TLS handshake (in memory, new engines, no resumption)\n");
        report.add("Handshakes per second, higher is better. Ratios = EKU Bridge / JDK, against two JDK baselines with "
            + "the default (PKIX) trust manager and a dual-EKU client: `JDK`, the PKIX key manager the issue names, "
            + "which decrypts the PKCS12 private key (PBKDF2, 10,000 iterations) on every handshake; and "
            + "`JDK_SUNX509`, the JDK's default key manager algorithm, which decrypts it once. Errors are JMH's "
            + "99.9% intervals; a ratio's error combines both. `EKU_BRIDGE_LENIENT_RELAXED` accepts a "
            + "serverAuth-only client and is compared with the JDK accepting a dual-EKU client. "
            + "B/handshake is `gc.alloc.rate.norm`, both sides together. With one short fork per configuration "
            + "the errors capture only the noise within that run: on a machine shared with other work a ratio "
            + "below 1 may come from the load (see the load average above), which is why the targets also give the "
            + "ratio implied by EKU Bridge's own measured work per handshake.\n");
        report.add("| key | protocol | engine | managers | handshakes/s | ratio / JDK (PKIX) | ratio / JDK_SUNX509 | B/handshake |");
        report.add("|---|---|---|---|---:|---:|---:|---:|");
        Map<String, Worst> worst = new TreeMap<>();
        List<List<String>> keys = new ArrayList<>(byKey.keySet());
        keys.sort(Comparator.<List<String>, String>comparing(k -> k.get(0)).thenComparing(k -> k.get(1))
            .thenComparing(k -> k.get(2)).thenComparingInt(k -> baselineOrder(k.get(3))).thenComparing(k -> k.get(3)));
        for (List<String> key : keys) {
            JmhResult r = byKey.get(key);
            String managers = key.get(3);
            List<String> cells = new ArrayList<>();
            for (String[] baseline : BASELINES) {
                JmhResult base = byKey.get(List.of(key.get(0), key.get(1), key.get(2), baseline[0]));
                if (managers.equals(baseline[0])) {
                    cells.add("1 (baseline)");
                } else if (base == null) {
                    cells.add("–");
                } else {
                    double ratio = r.score / base.score;
                    Double error = ratioError(r.score, r.error, base.score, base.error);
                    cells.add(ratioText(ratio, error));
                    if (managers.startsWith("EKU_BRIDGE")) {
                        worst.merge(managers + " / " + baseline[1], new Worst(ratio, error, key.get(0) + " " + key.get(1)),
                            Worst::lower);
                    }
                }
            }
            report.add("| " + String.join(" | ", key) + " | " + withError(r.score, r.error) + " | " + cells.get(0) + " | "
                + cells.get(1) + " | " + bytes(r.allocation) + " |");
        }
        report.add("");
        worst.forEach((what, w) -> report.target("Handshake ratio >= 0.99: " + what,
            "lowest " + ratioText(w.ratio, w.error) + " (" + w.where + ")", ratioVerdict(w.ratio, w.error)));
    }

    /** The JMH handshakes run with the agent attached, against the same configuration without it. */
    static void withAgent(Report report) {
        List<JmhResult> handshakes = report.select("HandshakeBenchmark", r -> true);
        List<JmhResult> agentRows = handshakes.stream().filter(JmhResult::withAgent).collect(Collectors.toList());
        if (agentRows.isEmpty()) {
            return;
        }
        Map<List<String>, JmhResult> without = new TreeMap<>(HandshakeTables::compareKeys);
        handshakes.stream().filter(r -> !r.withAgent()).forEach(r -> without.put(r.handshakeKey(), r));
        Map<List<String>, JmhResult> with = new TreeMap<>(HandshakeTables::compareKeys);
        agentRows.forEach(r -> with.putIfAbsent(r.handshakeKey(), r));
        TreeSet<String> arguments = agentRows.stream().map(JmhResult::agentArguments).collect(Collectors.toCollection(TreeSet::new));
        report.add("## The same handshake with the agent attached\n");
        report.add("The JDK variant run a second time in a JVM started with `-javaagent:ekubridge-agent.jar="
            + String.join(", ", arguments) + "`, same settings. The application's code is unchanged; in `SSLContext.init` "
            + "the agent keeps the JDK key manager (it has no identities to add) and wraps EKU Bridge's policy around "
            + "the JDK trust manager, so a dual-EKU client is validated by the same JDK checks plus the policy's EKU "
            + "decision. The benchmark's set-up first verifies the wrapping (a serverAuth-only client is accepted). "
            + "Handshakes per second, higher is better; ratio = with agent / without (the row of the first table), "
            + "with the combined error.\n");
        report.add("| key | protocol | engine | managers | without agent | with agent | ratio with / without | "
            + "B/handshake without | B/handshake with |");
        report.add("|---|---|---|---|---:|---:|---:|---:|---:|");
        Worst worst = null;
        for (Map.Entry<List<String>, JmhResult> entry : with.entrySet()) {
            List<String> key = entry.getKey();
            JmhResult r = entry.getValue();
            JmhResult base = without.get(key);
            if (base == null) {
                report.add("| " + String.join(" | ", key) + " | – | " + withError(r.score, r.error) + " | – | – | " + bytes(r.allocation) + " |");
                continue;
            }
            double ratio = r.score / base.score;
            Double error = ratioError(r.score, r.error, base.score, base.error);
            report.add("| " + String.join(" | ", key) + " | " + withError(base.score, base.error) + " | " + withError(r.score, r.error)
                + " | " + ratioText(ratio, error) + " | " + bytes(base.allocation) + " | " + bytes(r.allocation) + " |");
            Worst candidate = new Worst(ratio, error, key.get(0) + " " + key.get(1) + " " + key.get(3));
            worst = worst == null ? candidate : worst.lower(candidate);
        }
        report.add("");
        if (worst != null) {
            report.target("Agent: no measurable per-handshake cost beyond the managers (ratio with / without agent >= 0.99)",
                "lowest " + ratioText(worst.ratio, worst.error) + " (" + worst.where + ")", ratioVerdict(worst.ratio, worst.error));
        }
    }


    private static int baselineOrder(String managers) {
        return managers.equals("JDK") ? 0 : managers.equals("JDK_SUNX509") ? 1 : 2;
    }

    private static int compareKeys(List<String> a, List<String> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = a.get(i).compareTo(b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    /** The lowest ratio seen for one comparison, with its error and where it was measured. */
    private record Worst(double ratio, Double error, String where) {
        Worst lower(Worst other) {
            return other.ratio < ratio ? other : this;
        }
    }
}
