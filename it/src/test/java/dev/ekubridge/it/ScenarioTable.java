package dev.ekubridge.it;

import dev.ekubridge.it.support.Work;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The links a test class played, one row each, written as a Markdown table when the class ends
 * ({@code target/it-work/<Class>-table.md}): what a person reads to compare the run with SPEC's table.
 */
final class ScenarioTable {
    record Row(String scenario, String edgeMode, String jvms, String link, boolean expectedUp, boolean up, String clientSerial,
               String serverSerial, String reason) {
    }

    private final List<Row> rows = new ArrayList<>();

    synchronized void add(Row row) {
        rows.add(row);
    }

    synchronized void write(Path file, String title) {
        StringBuilder text = new StringBuilder("## ").append(title).append("\n\n")
            .append("| scenario | Edge inbound EKU | JVMs (Core -> Edge) | link | expected | observed | client cert presented (serial, seen by the server) | server cert presented (serial, seen by the client) | refusing side's reason |\n")
            .append("|---|---|---|---|---|---|---|---|---|\n");
        for (Row row : rows) {
            text.append("| ").append(row.scenario()).append(" | ").append(row.edgeMode()).append(" | ").append(row.jvms())
                .append(" | ").append(row.link()).append(" | ").append(row.expectedUp() ? "up" : "down")
                .append(" | ").append(row.up() ? "up" : "down")
                .append(" | ").append(row.clientSerial()).append(" | ").append(row.serverSerial())
                .append(" | ").append(row.reason() == null ? "" : row.reason().replace("|", "\\|")).append(" |\n");
        }
        Work.write(file, text);
    }
}
