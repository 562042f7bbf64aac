package dev.ekubridge.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Where the tests write certificates, configurations and every process's log: {@code target/it-work/...}. */
public final class Work {
    private Work() {
    }

    public static Path root() {
        String configured = System.getProperty("ekubridge.it.work");
        Path root = configured != null ? Paths.get(configured) : Paths.get("target", "it-work");
        return root.toAbsolutePath().normalize();
    }

    /** Writes {@code text} to {@code file}, creating its directory first; returns {@code file}. */
    public static Path write(Path file, CharSequence text) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            return Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fresh directory for one test invocation. */
    public static Path dir(String... names) {
        Path resolved = root();
        for (String name : names) {
            resolved = resolved.resolve(name.replaceAll("[^A-Za-z0-9._-]+", "_"));
        }
        Path dir = resolved;
        try {
            if (Files.isDirectory(dir)) {
                try (var files = Files.walk(dir)) {
                    files.sorted(java.util.Comparator.reverseOrder()).filter(p -> !p.equals(dir)).forEach(p -> p.toFile().delete());
                }
            }
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }
}
