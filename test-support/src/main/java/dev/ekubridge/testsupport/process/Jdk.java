package dev.ekubridge.testsupport.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The JDKs the application JVMs run on. JDK 17 is the one running the tests unless
 * {@code -Dekubridge.it.jdk17=HOME} says otherwise; JDK 25 is {@code -Dekubridge.it.jdk25=HOME}, else
 * {@code /usr/lib/jvm/temurin-25-jdk-amd64}, else any {@code /usr/lib/jvm/*25*} with a {@code bin/java}.
 * {@link #java()} fails when the JDK is missing, naming the property to set; {@link #isInstalled()} lets a test skip
 * instead.
 */
public enum Jdk {
    JDK_17(17, "ekubridge.it.jdk17"),
    JDK_25(25, "ekubridge.it.jdk25");

    private final int feature;
    private final String property;
    private Path home;

    Jdk(int feature, String property) {
        this.feature = feature;
        this.property = property;
    }

    public int feature() {
        return feature;
    }

    public synchronized Path home() {
        if (home == null) {
            home = locate();
        }
        return home;
    }

    public Path java() {
        return home().resolve("bin").resolve("java");
    }

    /** Whether this JDK was found. */
    public boolean isInstalled() {
        try {
            return Files.isExecutable(java());
        } catch (IllegalStateException notFound) {
            return false;
        }
    }

    private Path locate() {
        List<Path> candidates = new ArrayList<>();
        String configured = System.getProperty(property);
        if (configured != null && !configured.isBlank()) {
            candidates.add(Paths.get(configured));
        } else {
            if (Runtime.version().feature() == feature) {
                candidates.add(Paths.get(System.getProperty("java.home")));
            }
            candidates.add(Paths.get(feature == 25 ? "/usr/lib/jvm/temurin-25-jdk-amd64" : "/usr/lib/jvm/java-17-openjdk-amd64"));
            Path jvms = Paths.get("/usr/lib/jvm");
            if (Files.isDirectory(jvms)) {
                try (Stream<Path> all = Files.list(jvms)) {
                    all.filter(p -> p.getFileName().toString().contains("-" + feature)).sorted().forEach(candidates::add);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        for (Path candidate : candidates) {
            if (Files.isExecutable(candidate.resolve("bin").resolve("java"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("JDK " + feature + " not found (looked at " + candidates + "); set -D" + property
            + "=JAVA_HOME");
    }

    /** The provider list of this JDK's {@code conf/security/java.security}, in order. */
    public List<String> securityProviders() {
        Path file = home().resolve("conf").resolve("security").resolve("java.security");
        List<String> providers = new ArrayList<>();
        try {
            for (int i = 1; ; i++) {
                String prefix = "security.provider." + i + "=";
                String value = null;
                for (String line : Files.readAllLines(file)) {
                    if (line.startsWith(prefix)) {
                        value = line.substring(prefix.length()).trim();
                    }
                }
                if (value == null) {
                    break;
                }
                providers.add(value);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        if (providers.isEmpty()) {
            throw new IllegalStateException("no security.provider.N entries in " + file);
        }
        return providers;
    }

    @Override
    public String toString() {
        return "JDK " + feature;
    }
}
