package dev.ekubridge.testsupport.process;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Java command lines for forked JVMs: the launcher, small and quick JVM options, class paths, the agent jar. */
public final class Jvm {
    private Jvm() {
    }

    /** The {@code java} launcher of the JVM running the tests. */
    public static Path currentJava() {
        return Paths.get(System.getProperty("java.home"), "bin", "java");
    }

    /**
     * {@code java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 [jvmOptions] -cp classPath mainClass args}: small, quick
     * JVMs, as these run many times on a 2-core machine.
     */
    public static List<String> javaCommand(Path java, List<String> jvmOptions, String classPath, Class<?> mainClass,
            String... args) {
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.add("-XX:+UseSerialGC");
        command.add("-XX:TieredStopAtLevel=1");
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classPath);
        command.add(mainClass.getName());
        command.addAll(Arrays.asList(args));
        return command;
    }

    /**
     * The class path of the running tests as a list of entries (under failsafe the JVM's own class path is a
     * manifest-only jar; surefire and failsafe give the real one as {@code surefire.test.class.path}).
     */
    public static List<String> testClassPath() {
        String path = System.getProperty("surefire.test.class.path");
        if (path == null || path.isBlank()) {
            path = System.getProperty("java.class.path");
        }
        return List.of(path.split(File.pathSeparator));
    }

    /** {@link #testClassPath()} joined, for {@code -cp}. */
    public static String testClassPathString() {
        return String.join(File.pathSeparator, testClassPath());
    }

    /** The jars or directories holding these classes, in order, without repeats, joined for {@code -cp}. */
    public static String classPathOf(Class<?>... types) {
        return join(Stream.of(types).map(Jvm::location));
    }

    /** Paths joined for {@code -cp}, without repeats. */
    public static String join(Stream<Path> paths) {
        return paths.map(Path::toString).distinct().collect(Collectors.joining(File.pathSeparator));
    }

    /** The jar or directory a class was loaded from. */
    public static Path location(Class<?> type) {
        try {
            CodeSource source = type.getProtectionDomain().getCodeSource();
            return Paths.get(source.getLocation().toURI());
        } catch (Exception e) {
            throw new IllegalStateException("cannot locate the jar or directory of " + type.getName() + ": " + e, e);
        }
    }

    /**
     * The shaded agent jar under test: {@code -Dekubridge.agent.jar} (set by the agent's and the it module's
     * failsafe configuration), else {@code ../agent/target/ekubridge-agent.jar}.
     */
    public static Path agentJar() {
        String configured = System.getProperty("ekubridge.agent.jar");
        Path jar = configured != null ? Paths.get(configured) : Paths.get("..", "agent", "target", "ekubridge-agent.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("agent jar not found: " + jar.toAbsolutePath()
                + " (build it with mvn -pl agent -am package; the tests that use it run in mvn verify)");
        }
        return jar.toAbsolutePath().normalize();
    }

    /** {@code -javaagent:<jar>} or {@code -javaagent:<jar>=<arguments>}. */
    public static String javaagent(String arguments) {
        return "-javaagent:" + agentJar() + (arguments == null ? "" : "=" + arguments);
    }

    /** {@code -javaagent:<jar>=k1=v1,k2=v2} in the map's order; no arguments when the map is empty. */
    public static String javaagentWith(Map<String, String> arguments) {
        StringJoiner joined = new StringJoiner(",");
        arguments.forEach((key, value) -> joined.add(key + "=" + value));
        return javaagent(arguments.isEmpty() ? null : joined.toString());
    }
}
