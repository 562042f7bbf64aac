package dev.ekubridge.benchmarks;

import static dev.ekubridge.benchmarks.Figures.bytes;
import static dev.ekubridge.benchmarks.Figures.number;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** The report's section on JMH's KeySelectionBenchmark: the three key managers side by side, and its targets. */
final class KeySelectionTable {
    private KeySelectionTable() {
    }

    static void write(Report report) {
        List<JmhResult> rows = report.select("KeySelectionBenchmark", r -> true);
        if (rows.isEmpty()) {
            return;
        }
        // (callback, issuers, engine, identities) -> manager -> result
        TreeMap<SelectionKey, Map<String, JmhResult>> table = new TreeMap<>();
        for (JmhResult r : rows) {
            String method = r.method();
            String engine = method.contains("Engine") ? r.params.getOrDefault("engine", "–") : "– (socket null)";
            SelectionKey key = new SelectionKey(method, r.params.get("issuers"), engine, Integer.parseInt(r.params.get("identities")));
            table.computeIfAbsent(key, k -> new TreeMap<>()).put(r.params.get("manager"), r);
        }
        report.add("## Key selection alone\n");
        report.add("Nanoseconds per `choose*Alias` call, lower is better; key type `EC`; issuers `NONE` (null, as in "
            + "TLS 1.3 without certificate_authorities) or `CA` (the issuing CA's name); engine `REAL` (a SunJSSE "
            + "engine with no handshake session, so no SNI) or `NULL`. \"× faster\" = JDK time / EKU Bridge time. "
            + "B/op is `gc.alloc.rate.norm` (`-prof gc`); below 0.5 B/op is shown as 0.\n");
        report.add("| callback | issuers | engine | identities | EKU Bridge ns/op | SunX509 ns/op | PKIX ns/op | "
            + "× faster than SunX509 | × faster than PKIX | EKU Bridge B/op | SunX509 B/op | PKIX B/op |");
        report.add("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        table.forEach((key, managers) -> {
            JmhResult eku = managers.get("EKU_BRIDGE");
            JmhResult sun = managers.get("SUNX509");
            JmhResult pkix = managers.get("PKIX");
            report.add("| " + key.method + " | " + key.issuers + " | " + key.engine + " | " + String.format(Locale.ROOT, "%,d", key.identities)
                + " | " + number(score(eku)) + " | " + number(score(sun)) + " | " + number(score(pkix)) + " | "
                + speedup(eku, sun) + " | " + speedup(eku, pkix) + " | " + bytes(allocation(eku)) + " | "
                + bytes(allocation(sun)) + " | " + bytes(allocation(pkix)) + " |");
        });
        report.add("");

        // targets, over every callback/issuers/engine combination
        List<Measured> growth = new ArrayList<>();
        List<Measured> versusPkix = new ArrayList<>();
        List<Measured> allocations = new ArrayList<>();
        table.forEach((key, managers) -> {
            JmhResult eku = managers.get("EKU_BRIDGE");
            if (eku == null) {
                return;
            }
            String where = key.method + " " + key.issuers + " " + key.engine;
            if (eku.allocation != null) {
                allocations.add(new Measured(eku.allocation, where + " " + key.identities));
            }
            if (key.identities == 10000) {
                JmhResult one = table.getOrDefault(new SelectionKey(key.method, key.issuers, key.engine, 1), Map.of()).get("EKU_BRIDGE");
                if (one != null) {
                    growth.add(new Measured(eku.score / one.score, where));
                }
                JmhResult pkix = managers.get("PKIX");
                if (pkix != null) {
                    versusPkix.add(new Measured(pkix.score / eku.score, where));
                }
            }
        });
        if (!growth.isEmpty()) {
            Measured w = Collections.max(growth);
            report.target("Key selection constant: EKU Bridge at 10,000 within 2× of 1",
                String.format(Locale.ROOT, "worst 10,000/1 = %.2f (%s)", w.value(), w.where()), w.value() <= 2 ? "met" : "MISSED");
        }
        if (!versusPkix.isEmpty()) {
            Measured w = Collections.min(versusPkix);
            report.target("Key selection at 10,000 at least 50× faster than the JDK's PKIX key manager",
                String.format(Locale.ROOT, "least %,.0f× (%s)", w.value(), w.where()), w.value() >= 50 ? "met" : "MISSED");
        }
        report.zeroAllocationTarget("Key selection allocates zero bytes (EKU Bridge, every callback)", allocations);
    }


    private static String speedup(JmhResult eku, JmhResult other) {
        if (eku == null || other == null || eku.score == 0) {
            return "–";
        }
        double times = other.score / eku.score;
        return String.format(Locale.ROOT, times >= 10 ? "%,.0f×" : "%.2f×", times);
    }

    private static Double score(JmhResult r) {
        return r == null ? null : r.score;
    }

    private static Double allocation(JmhResult r) {
        return r == null ? null : r.allocation;
    }

    private record SelectionKey(String method, String issuers, String engine, int identities) implements Comparable<SelectionKey> {
        @Override
        public int compareTo(SelectionKey other) {
            return Comparator.comparing(SelectionKey::method).thenComparing(SelectionKey::issuers)
                .thenComparing(SelectionKey::engine).thenComparingInt(SelectionKey::identities).compare(this, other);
        }
    }
}
