package dev.ekubridge.it.netty;

import dev.ekubridge.testsupport.process.Jdk;
import dev.ekubridge.testsupport.process.Jvm;
import dev.ekubridge.testsupport.process.ManagedProcess;
import dev.ekubridge.testsupport.process.Processes;
import dev.ekubridge.testsupport.tls.Loopback;
import dev.ekubridge.it.support.AgentLog;
import java.io.File;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One of this package's fixture applications running in its own JVM (JDK 17 or 25), with or without
 * {@code -javaagent:ekubridge-agent.jar=ARGS}; its class path holds what an ordinary Netty or gRPC application has
 * (the test classes, test-support for {@link Loopback}'s printing, Netty with netty-tcnative's BoringSSL, or
 * grpc-netty-shaded and its dependencies), never EKU Bridge's own jars.
 */
final class AppProcess {
    static final Duration START_TIMEOUT = Duration.ofSeconds(40);
    static final Duration RUN_TIMEOUT = Duration.ofSeconds(60);
    private static final List<String> LIBRARIES = List.of("netty-", "grpc-", "guava-", "failureaccess-", "perfmark-", "gson-");

    private final ManagedProcess process;

    private AppProcess(ManagedProcess process) {
        this.process = process;
    }

    /**
     * Starts {@code main} with {@code args}; {@code agent} null runs it alone, otherwise with the agent and these
     * arguments in order; {@code jvmOptions} come before them (without {@code -Xmx}, {@code -Xmx128m}).
     */
    static AppProcess start(Processes processes, Path dir, String name, Jdk jdk, Class<?> main, Map<String, String> agent,
            List<String> jvmOptions, String... args) {
        List<String> options = new ArrayList<>();
        if (jvmOptions.stream().noneMatch(o -> o.startsWith("-Xmx"))) {
            // a small JVM: the machine has two cores and runs several at once
            options.add("-Xmx128m");
        }
        options.addAll(jvmOptions);
        if (agent != null) {
            options.add(Jvm.javaagentWith(agent));
        }
        List<String> command = Jvm.javaCommand(jdk.java(), options, classPath(), main, args);
        return new AppProcess(processes.add(ManagedProcess.start(name, command, dir, dir.resolve(name + ".log"), Map.of(), true)));
    }

    static AppProcess start(Processes processes, Path dir, String name, Jdk jdk, Class<?> main, Map<String, String> agent,
            String... args) {
        return start(processes, dir, name, jdk, main, agent, List.of(), args);
    }

    private static String classPath() {
        List<String> entries = new ArrayList<>();
        Path testSupport = Jvm.location(Loopback.class);
        for (String entry : Jvm.testClassPath()) {
            Path path = Paths.get(entry);
            String file = path.getFileName().toString();
            if (file.equals("test-classes") || path.equals(testSupport) || LIBRARIES.stream().anyMatch(file::startsWith)) {
                entries.add(entry);
            }
        }
        if (entries.stream().noneMatch(e -> Paths.get(e).getFileName().toString().startsWith("netty-handler-"))) {
            throw new IllegalStateException("netty-handler not on the test class path: " + Jvm.testClassPath());
        }
        if (!entries.contains(testSupport.toString())) {
            entries.add(testSupport.toString());
        }
        return String.join(File.pathSeparator, entries);
    }

    ManagedProcess process() {
        return process;
    }

    /** The value of the first {@code KEY=value} line for {@code key}, waiting for it. */
    Optional<String> await(String key, Duration timeout) {
        return process.awaitOut(0, l -> l.startsWith(key + "="), timeout).map(l -> l.substring(key.length() + 1));
    }

    /** The value of {@code KEY=value} already printed, or null. */
    String value(String key) {
        for (String line : process.out()) {
            if (line.startsWith(key + "=")) {
                return line.substring(key.length() + 1);
            }
        }
        return null;
    }

    /** Runs to its end (a client) and returns its printed values; fails with its transcript when it does not end. */
    Map<String, String> finish() {
        if (!process.awaitExit(RUN_TIMEOUT)) {
            throw new AssertionError(process.name() + " did not finish\n" + process.transcript());
        }
        return values();
    }

    Map<String, String> values() {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : process.out()) {
            int eq = line.indexOf('=');
            if (eq > 0 && line.substring(0, eq).matches("[A-Z0-9_]+")) {
                values.putIfAbsent(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return values;
    }

    /** A server's port once it printed {@code READY=true}; fails with its transcript otherwise. */
    int awaitReady() {
        Optional<String> ready = process.awaitOut(0, l -> l.startsWith("READY=") || l.startsWith("RESULT=FAIL"), START_TIMEOUT);
        if (ready.isEmpty() || !ready.get().equals("READY=true")) {
            throw new AssertionError(process.name() + " did not start\n" + process.transcript());
        }
        return Integer.parseInt(value("PORT"));
    }

    /** The Nth connection's values (keys without their {@code CONN<N>_} prefix) once its {@code RESULT} is printed. */
    Map<String, String> connection(int number, Duration timeout) {
        String prefix = "CONN" + number + "_";
        if (await(prefix + "RESULT", timeout).isEmpty()) {
            throw new AssertionError(process.name() + " reported no connection " + number + "\n" + process.transcript());
        }
        Map<String, String> values = new LinkedHashMap<>();
        values().forEach((key, value) -> {
            if (key.startsWith(prefix)) {
                values.put(key.substring(prefix.length()), value);
            }
        });
        return values;
    }

    List<String> err() {
        return process.err();
    }

    /** The agent's {@code ekubridge.handshakes} lines so far. */
    List<String> handshakeLines() {
        return process.err().stream().filter(l -> l.contains("ekubridge.handshakes - ")).toList();
    }

    /** The agent's first {@code direction} decision about the peer certificate with this serial, waiting for it. */
    Optional<AgentLog.Decision> awaitDecision(String direction, String serial, Duration timeout) {
        return AgentLog.awaitDecision(process, direction, serial, timeout);
    }

    List<AgentLog.Decision> decisions() {
        return AgentLog.decisions(process.err());
    }

    List<AgentLog.Presented> presentations() {
        return AgentLog.presentations(process.err());
    }

    String transcript() {
        return process.transcript();
    }
}
