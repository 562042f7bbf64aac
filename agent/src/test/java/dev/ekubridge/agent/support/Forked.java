package dev.ekubridge.agent.support;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.CodeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;

/**
 * Forked JVMs for the integration tests: which JDKs, which jars, and a runner that never leaves a
 * process behind (every process is destroyed in {@code finally}, forcibly after a grace period).
 * Standard output and error go to files, so nothing blocks on a full pipe.
 */
public final class Forked {
    /** A JDK to fork: a name for test display and its {@code java} launcher. */
    public record Jdk(String name, Path java) {
        @Override
        public String toString() {
            return name;
        }

        /** Skips the calling test, with the reason shown, when this JDK is not installed. */
        public void assumeInstalled() {
            Assumptions.assumeTrue(Files.isExecutable(java), name + " is not installed at " + java + "; its cases are skipped");
        }
    }

    public static final Jdk JDK_17 = new Jdk("JDK 17", Paths.get(System.getProperty("java.home"), "bin", "java"));
    public static final Jdk JDK_25 = new Jdk("JDK 25", Paths.get("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java"));

    /** The two JDKs the agent supports here; the running one is taken as JDK 17. */
    public static Stream<Jdk> jdks() {
        return Stream.of(JDK_17, JDK_25);
    }

    /** What a finished process printed, and how it ended. */
    public record Outcome(List<String> command, int exit, String stdout, String stderr) {
        /** The value of the first {@code KEY=value} line on standard output, or {@code null}. */
        public String value(String key) {
            for (String line : stdout.split("\\R")) {
                if (line.startsWith(key + "=")) {
                    return line.substring(key.length() + 1);
                }
            }
            return null;
        }

        public List<String> stderrLines() {
            return stderr.lines().filter(line -> !line.isBlank()).collect(Collectors.toList());
        }

        /** For assertion messages: the command, the exit status and everything the process printed. */
        public String describe() {
            return "\n--- command: " + String.join(" ", command) + "\n--- exit status: " + exit
                + "\n--- stdout:\n" + stdout + "--- stderr:\n" + stderr + "---";
        }
    }

    private Forked() {
    }

    /** The shaded agent jar under test (set by failsafe). */
    public static Path agentJar() {
        String jar = System.getProperty("ekubridge.agent.jar");
        if (jar == null) {
            throw new IllegalStateException("system property ekubridge.agent.jar is not set; run through failsafe (mvn verify)");
        }
        Path path = Paths.get(jar);
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException("the agent jar " + path + " does not exist; build it with mvn package");
        }
        return path;
    }

    /** The applications' class path: the test classes and Bouncy Castle (for the BCJSSE application), no agent classes. */
    public static String appClassPath() {
        return joinPath(Stream.of(
            location(dev.ekubridge.agent.apps.Loopback.class),
            location(org.bouncycastle.jce.provider.BouncyCastleProvider.class),
            location(org.bouncycastle.jsse.provider.BouncyCastleJsseProvider.class),
            location(org.bouncycastle.asn1.cms.ContentInfo.class)));
    }

    /** The test classes and the jars in target/app-libs: the application's own Byte Buddy and SLF4J. */
    public static String bundledAppClassPath() {
        Path libs = agentJar().getParent().resolve("app-libs");
        try (Stream<Path> jars = Files.list(libs)) {
            List<Path> found = jars.filter(jar -> jar.toString().endsWith(".jar")).sorted().collect(Collectors.toList());
            if (found.size() != 3) {
                throw new IllegalStateException("expected 3 jars in " + libs + " (maven-dependency-plugin, pre-integration-test), found " + found);
            }
            return joinPath(Stream.concat(Stream.of(location(dev.ekubridge.agent.apps.Loopback.class)), found.stream()));
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + libs + ": " + e, e);
        }
    }

    private static String joinPath(Stream<Path> paths) {
        return paths.map(Path::toString).distinct().collect(Collectors.joining(File.pathSeparator));
    }

    private static Path location(Class<?> type) {
        try {
            CodeSource source = type.getProtectionDomain().getCodeSource();
            return Paths.get(source.getLocation().toURI());
        } catch (Exception e) {
            throw new IllegalStateException("cannot locate the jar or directory of " + type.getName() + ": " + e, e);
        }
    }

    /** {@code java [jvmOptions] -cp classPath mainClass args}. */
    public static List<String> javaCommand(Jdk jdk, List<String> jvmOptions, String classPath, Class<?> mainClass, String... args) {
        List<String> command = new ArrayList<>();
        command.add(jdk.java().toString());
        // small, quick JVMs: these run many times on a 2-core machine
        command.add("-XX:+UseSerialGC");
        command.add("-XX:TieredStopAtLevel=1");
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classPath);
        command.add(mainClass.getName());
        command.addAll(Arrays.asList(args));
        return command;
    }

    /** {@code -javaagent:<jar>} or {@code -javaagent:<jar>=<arguments>}. */
    public static String javaagent(String arguments) {
        return "-javaagent:" + agentJar() + (arguments == null ? "" : "=" + arguments);
    }

    /** Runs a command to its end (at most {@code timeout}), with no EKUBRIDGE_* variables but those given. */
    public static Outcome run(List<String> command, Map<String, String> environment, Duration timeout, Path workDir) {
        ProcessBuilder builder = prepare(command, environment, workDir);
        Path out = workDir.resolve("stdout-" + System.nanoTime() + ".txt");
        Path err = workDir.resolve("stderr-" + System.nanoTime() + ".txt");
        builder.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE);
        Process process = null;
        try {
            process = builder.start();
            process.getOutputStream().close();
            boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            int exit = finished ? process.exitValue() : -1;
            Outcome outcome = new Outcome(command, exit, read(out), read(err));
            if (!finished) {
                throw new AssertionError("process did not finish within " + timeout + outcome.describe());
            }
            return outcome;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        } finally {
            destroy(process);
        }
    }

    public static Outcome run(List<String> command, Path workDir) {
        return run(command, Map.of(), Duration.ofSeconds(40), workDir);
    }

    public static ProcessBuilder prepare(List<String> command, Map<String, String> environment, Path workDir) {
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("EKUBRIDGE_") || name.equals("JAVA_TOOL_OPTIONS") || name.equals("JDK_JAVA_OPTIONS"));
        env.putAll(environment);
        return builder;
    }

    /** Ends a process we started, gently then forcibly, and waits for it; {@code null} is ignored. */
    public static void destroy(Process process) {
        if (process == null) {
            return;
        }
        try {
            if (process.isAlive()) {
                process.destroy();
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(5, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    public static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "<cannot read " + file + ": " + e + ">";
        }
    }

    /** Parses {@code KEY=value} lines of standard output into a map (first occurrence wins). */
    public static Map<String, String> values(String stdout) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : stdout.split("\\R")) {
            int equals = line.indexOf('=');
            if (equals > 0) {
                values.putIfAbsent(line.substring(0, equals), line.substring(equals + 1));
            }
        }
        return values;
    }
}
