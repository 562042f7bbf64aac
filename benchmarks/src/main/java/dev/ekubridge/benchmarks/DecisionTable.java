package dev.ekubridge.benchmarks;

import static dev.ekubridge.benchmarks.Figures.bytes;
import static dev.ekubridge.benchmarks.Figures.number;
import static dev.ekubridge.benchmarks.Figures.withError;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The report's section on JMH's EkuDecisionBenchmark: each decision's cost over the bare delegate, and its target. */
final class DecisionTable {
    private static final List<String> DECISION_ORDER =
        List.of("BARE_DELEGATE", "STRICT", "LENIENT", "AUDIT", "SERVER_AUTH", "LENIENT_RELAXED");

    private DecisionTable() {
    }

    static void write(Report report) {
        // delegate -> decision -> result
        Map<String, Map<String, JmhResult>> byDelegate = new TreeMap<>(Comparator.comparingInt(DecisionTable::delegateOrder));
        for (JmhResult r : report.select("EkuDecisionBenchmark", r -> true)) {
            byDelegate.computeIfAbsent(r.params.getOrDefault("delegate", "ACCEPT_ALL"), d -> new TreeMap<>(
                Comparator.<String>comparingInt(DecisionTable::decisionOrder).thenComparing(Comparator.naturalOrder())))
                .put(r.params.get("decision"), r);
        }
        if (byDelegate.isEmpty()) {
            return;
        }
        report.add("## The EKU decision alone\n");
        report.add("`EkuPolicyTrustManager.checkClientTrusted` over a delegate, against that delegate called directly with a "
            + "dual-EKU client (`BARE_DELEGATE`): the policy's own cost per inbound handshake. `ACCEPT_ALL`: a delegate that "
            + "accepts everything, called with an engine (the policy's own work: EKU, rule, counting). `SUNJSSE_PKIX`, "
            + "`BCJSSE_PKIX`: the engines' real PKIX trust managers (full path validation, called without an engine); there "
            + "`LENIENT_RELAXED` (a serverAuth-only client) is the whole relaxed path: the engine's manager validating the "
            + "leaf's clientAuth twin.\n");
        report.add("| delegate | decision | ns/op | policy cost (ns) | B/op | policy bytes |");
        report.add("|---|---|---:|---:|---:|---:|");
        List<Measured> allocations = new ArrayList<>();
        byDelegate.forEach((delegate, byDecision) -> {
            JmhResult bare = byDecision.get("BARE_DELEGATE");
            byDecision.forEach((decision, r) -> {
                boolean base = bare == null || decision.equals("BARE_DELEGATE");
                String cost = base ? "–" : number(r.score - bare.score);
                String bytesCost = base || r.allocation == null || bare.allocation == null ? "–"
                    : number(Math.max(0, r.allocation - bare.allocation), 0);
                report.add("| " + delegate + " | " + decision + " | " + withError(r.score, r.error) + " | " + cost + " | "
                    + bytes(r.allocation) + " | " + bytesCost + " |");
                if (delegate.equals("ACCEPT_ALL") && !decision.equals("BARE_DELEGATE") && !decision.equals("LENIENT_RELAXED")
                        && !decision.equals("SERVER_AUTH") && r.allocation != null) {
                    allocations.add(new Measured(r.allocation, decision));
                }
            });
        });
        report.add("");
        report.zeroAllocationTarget("EKU decision for a dual-EKU peer allocates zero bytes (strict, lenient, audit)", allocations);
    }

    private static int decisionOrder(String decision) {
        int index = DECISION_ORDER.indexOf(decision);
        return index < 0 ? 99 : index;
    }

    private static int delegateOrder(String delegate) {
        int index = List.of("ACCEPT_ALL", "SUNJSSE_PKIX", "BCJSSE_PKIX").indexOf(delegate);
        return index < 0 ? 99 : index;
    }

}
