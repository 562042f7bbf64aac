package dev.ekubridge.agent.cli;

import dev.ekubridge.EkuPolicy;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The demo's output: the certificates of each scenario, then one row per link played, compared with the SPEC. */
final class DemoTable {
    private static final int W_SCENARIO = 13;
    private static final int W_MODE = 8;
    private static final int W_LINK = 26;
    private static final int W_SERIAL = 6;
    private static final int W_VERDICT = 7;
    private static final int W_EXPECTED = 8;
    private static final int W_MATCH = 5;
    /** The widths of the links' columns but the last, REASON. */
    private static final int[] COLUMNS = {W_SCENARIO, W_MODE, W_LINK, W_SERIAL, W_SERIAL, W_VERDICT, W_EXPECTED, W_MATCH};

    private DemoTable() {
    }

    /** One played link of one scenario in one Edge mode. */
    static final class Row {
        final DemoScenario scenario;
        final EkuPolicy mode;
        final DemoLink link;
        final DemoPlayer.Outcome outcome;

        Row(DemoScenario scenario, EkuPolicy mode, DemoLink link, DemoPlayer.Outcome outcome) {
            this.scenario = scenario;
            this.mode = mode;
            this.link = link;
            this.outcome = outcome;
        }

        boolean asExpected() {
            return outcome.up == link.expectUp;
        }
    }

    /**
     * Prints the legend and the table.
     *
     * @return 0 when every link's outcome matches the SPEC table, 1 otherwise
     */
    static int print(PrintStream out, List<DemoScenario> scenarios, List<Row> rows, long millis) {
        out.println("EKU Bridge demo: the source document's scenarios, played on 127.0.0.1 with real TLS handshakes");
        out.println("CA1 = internal (private) CA, CA2 = public CA (serverAuth-only certificates since 2025).");
        out.println("Core = Expressway-C, Edge = Expressway-E; Edge inbound EKU: strict = \"On\", lenient = \"Off\".");
        out.println("The rule: a node presents its client identity when it is the TLS client, its server identity when it is the TLS server.");
        out.println();
        out.println("Certificates (serial (issuer; EKU)):");
        for (DemoScenario scenario : scenarios) {
            for (int i = 0; i < scenario.legend.size(); i++) {
                out.println("  " + CertText.pad(i == 0 ? scenario.id : "", W_SCENARIO) + "  " + scenario.legend.get(i));
            }
        }
        out.println();
        String indent = CertText.repeat(' ', W_SCENARIO + W_MODE + W_LINK + 6);
        out.println(indent + "serial presented by");
        out.println(line("SCENARIO", "MODE", "LINK (client->server)", "CLIENT", "SERVER", "VERDICT", "EXPECTED", "MATCH", "REASON"));
        out.println(line(CertText.repeat('-', W_SCENARIO), CertText.repeat('-', W_MODE), CertText.repeat('-', W_LINK),
            CertText.repeat('-', W_SERIAL), CertText.repeat('-', W_SERIAL), CertText.repeat('-', W_VERDICT),
            CertText.repeat('-', W_EXPECTED), CertText.repeat('-', W_MATCH), CertText.repeat('-', 6)));
        int matched = 0;
        DemoScenario previous = null;
        for (Row row : rows) {
            if (previous != null && previous != row.scenario) {
                out.println();
            }
            previous = row.scenario;
            if (row.asExpected()) {
                matched++;
            }
            String mode = row.mode.configValue() + (row.scenario.documentModes.contains(row.mode) ? "*" : "");
            String reason = row.outcome.up ? (row.link.note == null ? "" : row.link.note) : row.outcome.reason;
            out.println(line(row.scenario.id, mode, row.link.name, row.outcome.clientSerial, row.outcome.serverSerial,
                verdict(row.outcome.up), verdict(row.link.expectUp), row.asExpected() ? "ok" : "NO", reason));
        }
        out.println();
        out.println("* the Edge mode the source document used for this case. Links on 2222 and to outside peers keep their own rules.");
        out.println(matched + " of " + rows.size() + " links as expected (" + rows.size() + " TLS connections in "
            + String.format(Locale.ROOT, "%.1f", millis / 1000.0) + " s)");
        return matched == rows.size() ? 0 : 1;
    }

    static int matched(List<Row> rows) {
        int matched = 0;
        for (Row row : rows) {
            if (row.asExpected()) {
                matched++;
            }
        }
        return matched;
    }

    /** The played links as JSON: one object per link, and the count of those as expected. */
    static Map<String, Object> json(List<Row> rows, long millis) {
        Map<String, Object> json = Json.object();
        List<Object> links = Json.array();
        for (Row row : rows) {
            Map<String, Object> link = Json.object();
            link.put("scenario", row.scenario.id);
            link.put("edgeMode", row.mode.configValue());
            link.put("documentMode", row.scenario.documentModes.contains(row.mode));
            link.put("link", row.link.name);
            link.put("clientSerial", row.outcome.clientSerial);
            link.put("serverSerial", row.outcome.serverSerial);
            link.put("verdict", verdict(row.outcome.up));
            link.put("expected", verdict(row.link.expectUp));
            link.put("asExpected", row.asExpected());
            link.put("reason", row.outcome.up ? row.link.note : row.outcome.reason);
            links.add(link);
        }
        json.put("links", links);
        json.put("asExpected", matched(rows));
        json.put("total", rows.size());
        json.put("seconds", millis / 1000.0);
        return json;
    }

    private static String verdict(boolean up) {
        return up ? "UP" : "DOWN";
    }

    private static String line(String scenario, String mode, String link, String client, String server, String verdict,
            String expected, String match, String reason) {
        return CertText.row(COLUMNS, scenario, mode, link, client, server, verdict, expected, match, reason);
    }
}
