package dev.ekubridge.benchmarks;

import static dev.ekubridge.benchmarks.Figures.number;
import static dev.ekubridge.benchmarks.Verdicts.HANDSHAKE_TARGET_RATIO;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The report's account of EKU Bridge's own work per handshake, from the micro-benchmarks: a table against the
 * interleaved run's handshake time, and the ratio it implies against the fastest JMH handshake.
 */
final class OwnWorkTables {
    private OwnWorkTables() {
    }

    /**
     * EKU Bridge's own work in one handshake, from the micro-benchmarks (JMH, -prof gc): one server and one client key
     * selection (1 identity, the dearer of the issuer variants), the inbound decision (over the JDK's PKIX manager: the
     * policy's cost; for the relaxed path the engine asked about the clientAuth twin) and the outbound check
     * (costed like an inbound dual-EKU decision over an accepting delegate), against the handshake's time from the
     * interleaved run: the floor of the ratio any end-to-end measurement can show.
     */
    static void directAccount(Report report) {
        JsonObject managers = report.managers;
        Map<String, Double> selectionNs = new TreeMap<>();
        Map<String, Double> selectionBytes = new TreeMap<>();
        for (JmhResult r : report.select("KeySelectionBenchmark", r -> "EKU_BRIDGE".equals(r.params.get("manager"))
                && "1".equals(r.params.get("identities")) && r.method().startsWith("chooseEngine"))) {
            selectionNs.merge(r.method(), r.score, Math::max);
            selectionBytes.merge(r.method(), r.allocation == null ? 0 : r.allocation, Math::max);
        }
        Map<String, JmhResult> decisions = new TreeMap<>();
        for (JmhResult r : report.select("EkuDecisionBenchmark", r -> true)) {
            decisions.put(r.params.getOrDefault("delegate", "ACCEPT_ALL") + "/" + r.params.get("decision"), r);
        }
        if (selectionNs.size() < 2 || decisions.isEmpty()) {
            return;
        }
        double selections = selectionNs.values().stream().mapToDouble(Double::doubleValue).sum();
        double selectionB = selectionBytes.values().stream().mapToDouble(Double::doubleValue).sum();
        JmhResult bareAccept = decisions.get("ACCEPT_ALL/BARE_DELEGATE");
        JmhResult lenientAccept = decisions.get("ACCEPT_ALL/LENIENT");
        double outbound = bareAccept != null && lenientAccept != null ? Math.max(0, lenientAccept.score - bareAccept.score) : 0;
        double fastestMicros = Double.MAX_VALUE;
        if (managers != null) {
            for (JsonElement element : managers.getAsJsonArray("groups")) {
                for (JsonElement v : element.getAsJsonObject().getAsJsonArray("variants")) {
                    JsonObject row = v.getAsJsonObject();
                    if (!row.has("ratio")) {
                        fastestMicros = Math.min(fastestMicros, row.get("medianMicrosPerHandshake").getAsDouble());
                    }
                }
            }
        }
        report.add("## EKU Bridge's own work per handshake (direct account)\n");
        report.add("From the micro-benchmarks above (JMH, `-prof gc`): the two key selections (`chooseEngineServerAlias` + "
            + "`chooseEngineClientAlias`, 1 identity, the dearer issuer variant), the inbound decision over the engine's "
            + "real PKIX trust manager (policy cost = wrapped − bare), the outbound check (costed as the lenient decision "
            + "over an accepting delegate) and the counters (inside both decisions). The share is of the fastest baseline "
            + "handshake of the interleaved run" + (fastestMicros == Double.MAX_VALUE ? " (not in these results)"
            : String.format(Locale.ROOT, " (%,.0f µs)", fastestMicros)) + "; the implied ratio is the best any end-to-end "
            + "measurement could show if nothing but this work differed.\n");
        report.add("| path | delegate | key selections ns | inbound decision ns | outbound ns | total ns | bytes | share of handshake | implied ratio |");
        report.add("|---|---|---:|---:|---:|---:|---:|---:|---:|");
        for (String delegate : new String[] {"SUNJSSE_PKIX", "BCJSSE_PKIX", "ACCEPT_ALL"}) {
            JmhResult bare = decisions.get(delegate + "/BARE_DELEGATE");
            if (bare == null) {
                continue;
            }
            for (String decision : new String[] {"STRICT", "LENIENT", "AUDIT", "SERVER_AUTH", "LENIENT_RELAXED"}) {
                JmhResult r = decisions.get(delegate + "/" + decision);
                if (r == null) {
                    continue;
                }
                double inbound = r.score - bare.score;
                double total = selections + inbound + outbound;
                double bytes = selectionB + Math.max(0, (r.allocation == null ? 0 : r.allocation) - (bare.allocation == null ? 0 : bare.allocation));
                String share = fastestMicros == Double.MAX_VALUE ? "–" : String.format(Locale.ROOT, "%.4f%%", 100 * total / (fastestMicros * 1e3));
                String implied = fastestMicros == Double.MAX_VALUE ? "–"
                    : String.format(Locale.ROOT, "%.5f", fastestMicros * 1e3 / (fastestMicros * 1e3 + Math.max(0, total)));
                report.add("| " + decision + " | " + delegate + " | " + number(selections, 0) + " | " + number(inbound, 0) + " | "
                    + number(outbound, 0) + " | " + number(total, 0) + " | " + number(bytes, 0) + " | " + share + " | " + implied + " |");
                if (delegate.equals("SUNJSSE_PKIX") && decision.equals("LENIENT_RELAXED") && fastestMicros != Double.MAX_VALUE) {
                    double ratio = fastestMicros * 1e3 / (fastestMicros * 1e3 + Math.max(0, total));
                    report.target("Implied handshake ratio from EKU Bridge's own work (relaxed path, the dearest)",
                        String.format(Locale.ROOT, "%,.0f ns and %,.0f B per handshake of %,.0f µs: ratio >= %.5f", total, bytes,
                            fastestMicros, ratio), ratio >= HANDSHAKE_TARGET_RATIO ? "met" : "MISSED");
                }
            }
        }
        report.add("");
    }

    /**
     * EKU Bridge's own work in one handshake, from the micro-benchmarks, against the fastest JDK handshake. A
     * mutual-TLS handshake makes one server and one client key selection and two trust decisions (inbound on the
     * server, outbound on the client); the outbound check is costed like the inbound decision. Wall-clock handshake
     * ratios on a shared machine carry the machine's noise; this bound does not.
     */
    static void impliedHandshakeRatio(Report report) {
        List<JmhResult> results = report.results;
        Map<String, Double> selection = new TreeMap<>();
        List<Double> decisionCosts = new ArrayList<>();
        Double bare = null;
        double fastest = 0;
        for (JmhResult r : results) {
            String benchmark = r.benchmarkClass();
            if (benchmark.equals("KeySelectionBenchmark") && "EKU_BRIDGE".equals(r.params.get("manager"))
                    && r.method().startsWith("chooseEngine")) {
                selection.merge(r.method(), r.score, Math::max);
            } else if (benchmark.equals("EkuDecisionBenchmark") && "ACCEPT_ALL".equals(r.params.getOrDefault("delegate", "ACCEPT_ALL"))) {
                if ("BARE_DELEGATE".equals(r.params.get("decision"))) {
                    bare = r.score;
                } else {
                    decisionCosts.add(r.score);
                }
            } else if (benchmark.equals("HandshakeBenchmark") && r.params.getOrDefault("managers", "").startsWith("JDK") && !r.withAgent()) {
                fastest = Math.max(fastest, r.score);
            }
        }
        if (selection.size() < 2 || decisionCosts.isEmpty() || bare == null || fastest == 0) {
            return;
        }
        double ownNs = selection.values().stream().mapToDouble(Double::doubleValue).sum() + 2 * (Collections.max(decisionCosts) - bare);
        double handshakeNs = 1e9 / fastest;
        double ratio = handshakeNs / (handshakeNs + ownNs);
        report.target("Implied handshake ratio from EKU Bridge's own work (2 key selections + 2 EKU decisions, worst cases)",
            String.format(Locale.ROOT, "%.0f ns per handshake of %,.0f µs: ratio >= %.5f", ownNs, handshakeNs / 1e3, ratio),
            ratio >= HANDSHAKE_TARGET_RATIO ? "met" : "MISSED");
    }

}
