package dev.ekubridge.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The agent's start-up cost: the wall time from starting a trivial application (a compiled Hello
 * class, {@code java -cp DIR Hello}) to its exit, without the agent and with
 * {@code -javaagent:ekubridge-agent.jar=inbound.eku=lenient}. Each iteration is one process; the
 * difference of the medians is what the agent adds (target: under 300 ms).
 *
 * <p>The agent jar comes from the system property {@value #AGENT_JAR_PROPERTY} (run.sh passes it),
 * else {@code ../agent/target/ekubridge-agent.jar} relative to the working directory (the
 * {@code benchmarks} module's, as in the Maven build), else {@code agent/target/ekubridge-agent.jar}
 * (the project root's). The child runs on the same {@code java} as the benchmark.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5)
@Measurement(iterations = 40)
@Fork(1)
public class AgentStartupBenchmark {
    static final String AGENT_JAR_PROPERTY = "ekubridge.agent.jar";
    static final String AGENT_ARGUMENTS = "inbound.eku=lenient";
    /** What the agent prints to standard error once it has installed (AgentInstaller). */
    private static final String INSTALLED = "installed:";
    private static final String HELLO = "public class Hello {\n"
        + "    public static void main(String[] args) {\n"
        + "        System.out.println(\"Hello\");\n"
        + "    }\n"
        + "}\n";

    /**
     * {@code none}: the application alone; {@code agent}: with the EKU Bridge agent and no identity; the others: with the
     * agent and one server identity of that format ({@link Launch}), or 1,000 identities in one JKS store.
     */
    @Param({"none", "agent", "pkcs12", "jks", "pem-pkcs8", "pem-sec1", "pem-pkcs8-encrypted", "pem-pkcs8-scrypt",
        "pem-pkcs8-aes192", "pem-pkcs8-2des", "pem-pkcs8-rsa", "pem-pkcs1", "pem-legacy-encrypted", "jks-1000"})
    public String launch;

    private Path work;
    private ProcessBuilder process;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        work = Files.createTempDirectory("ekubridge-startup");
        compileHello(work);
        List<String> command = Launch.named(launch).command(work, agentJar());
        check(command, !"none".equals(launch));
        System.out.println("[setup] " + launch + ": " + String.join(" ", command));

        process = new ProcessBuilder(command)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.DISCARD);
    }

    /** Writes and compiles the Hello program in {@code work}. */
    static void compileHello(Path work) throws IOException {
        Path source = work.resolve("Hello.java");
        Files.write(source, HELLO.getBytes(StandardCharsets.UTF_8));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new IllegalStateException("no Java compiler in " + System.getProperty("java.home")
                + ": AgentStartupBenchmark needs a JDK, not a JRE");
        }
        if (javac.run(null, null, null, "-d", work.toString(), source.toString()) != 0) {
            throw new IllegalStateException("javac could not compile " + source);
        }
    }

    /** Before measuring (and warming the file cache): the program runs, and with the agent the agent installs. */
    static void check(List<String> command, boolean agent) throws IOException, InterruptedException {
        Process check = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int status = check.waitFor();
        if (status != 0 || !output.contains("Hello")) {
            throw new IllegalStateException(String.join(" ", command) + " exited with " + status + ": " + output);
        }
        if (agent && !output.contains(INSTALLED)) {
            throw new IllegalStateException("the agent did not report '" + INSTALLED + "' with " + String.join(" ", command)
                + ": " + output);
        }
    }

    /** Starts the program and waits for it to exit; fails the run if it does not exit with 0. */
    @Benchmark
    public int start() throws IOException, InterruptedException {
        int status = process.start().waitFor();
        if (status != 0) {
            throw new IllegalStateException(String.join(" ", process.command()) + " exited with " + status);
        }
        return status;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        if (work != null) {
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> {
                    try {
                        Files.delete(path);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            }
        }
    }

    /** The agent jar: the system property, else the Maven build's output seen from the benchmarks module or the project root. */
    static Path agentJar() {
        String property = System.getProperty(AGENT_JAR_PROPERTY);
        if (property != null && !property.isEmpty()) {
            Path jar = Paths.get(property).toAbsolutePath().normalize();
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException("-D" + AGENT_JAR_PROPERTY + "=" + property + ": no such file (" + jar + ")");
            }
            return jar;
        }
        Path module = Paths.get("..", "agent", "target", "ekubridge-agent.jar").toAbsolutePath().normalize();
        Path root = Paths.get("agent", "target", "ekubridge-agent.jar").toAbsolutePath().normalize();
        for (Path jar : new Path[] {module, root}) {
            if (Files.isRegularFile(jar)) {
                return jar;
            }
        }
        throw new IllegalStateException("no EKU Bridge agent jar at " + module + " or " + root + ": build it first (mvn -B -q -pl "
            + "provider,agent -am package -DskipTests) or name it with -D" + AGENT_JAR_PROPERTY + "=PATH");
    }
}
