package dev.ekubridge.it.web;

import dev.ekubridge.it.support.Work;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The requests a web test class made, one row each, written as Markdown when the class ends ({@code target/it-work/<Class>-table.md}). */
final class WebTable {
    record Row(String jdk, String route, String configuration, String sni, String protocol, String expected, String observed) {
    }

    private final List<Row> rows = new ArrayList<>();

    synchronized void add(Row row) {
        rows.add(row);
    }

    synchronized void write(Path file, String title) {
        StringBuilder text = new StringBuilder("## ").append(title).append("\n\n")
            .append("| JDK | route | server configuration | SNI | TLS | expected | observed |\n|---|---|---|---|---|---|---|\n");
        for (Row row : rows) {
            text.append("| ").append(row.jdk()).append(" | ").append(row.route()).append(" | ").append(row.configuration())
                .append(" | ").append(row.sni()).append(" | ").append(row.protocol()).append(" | ").append(row.expected())
                .append(" | ").append(row.observed().replace("|", "\\|")).append(" |\n");
        }
        Work.write(file, text);
    }
}
