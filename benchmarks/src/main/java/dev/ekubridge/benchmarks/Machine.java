package dev.ekubridge.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Where the report was written: the date, the processors and the load average at the end. */
record Machine(String date, int cpus, String model, String loadEnd) {
    static Machine current(String loadEnd) {
        String model = System.getProperty("os.arch");
        try {
            model = Files.readAllLines(Paths.get("/proc/cpuinfo"), StandardCharsets.UTF_8).stream()
                .filter(line -> line.startsWith("model name")).map(line -> line.substring(line.indexOf(':') + 1).trim())
                .findFirst().orElse(model);
        } catch (IOException e) {
            // not Linux: the architecture will do
        }
        if (loadEnd == null) {
            try {
                loadEnd = Files.readString(Paths.get("/proc/loadavg"), StandardCharsets.UTF_8).trim();
            } catch (IOException e) {
                loadEnd = "unknown";
            }
        }
        String date = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT));
        return new Machine(date, Runtime.getRuntime().availableProcessors(), model, loadEnd);
    }
}
