package dev.ekubridge.agent.support;

import dev.ekubridge.agent.apps.AttachTargetApp;
import dev.ekubridge.testsupport.process.Jdk;
import dev.ekubridge.testsupport.process.Jvm;
import dev.ekubridge.testsupport.process.ManagedProcess;
import dev.ekubridge.testsupport.process.Outcome;
import dev.ekubridge.testsupport.tls.Loopback;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;

/**
 * The agent's forked test applications: on which JDKs, with which class path, and how they are run (with
 * test-support's {@link ManagedProcess}, which never leaves a process behind).
 */
public final class Forked {
    private Forked() {
    }

    /** The two JDKs the agent supports here. */
    public static Stream<Jdk> jdks() {
        return Stream.of(Jdk.JDK_17, Jdk.JDK_25);
    }

    /** Skips the calling test, with the reason shown, when this JDK is not installed. */
    public static void assumeInstalled(Jdk jdk) {
        Assumptions.assumeTrue(jdk.isInstalled(), jdk + " is not installed (set -Dekubridge.it.jdk" + jdk.feature()
            + "=JAVA_HOME); its cases are skipped");
    }

    /**
     * The applications' class path: the agent's test classes, test-support (the loopback exchange) and Bouncy Castle
     * (for the BCJSSE application); no agent or provider classes.
     */
    public static String appClassPath() {
        return Jvm.classPathOf(AttachTargetApp.class, Loopback.class,
            org.bouncycastle.jce.provider.BouncyCastleProvider.class,
            org.bouncycastle.jsse.provider.BouncyCastleJsseProvider.class,
            org.bouncycastle.asn1.cms.ContentInfo.class);
    }

    /** The test classes, test-support and the jars in target/app-libs: the application's own Byte Buddy and SLF4J. */
    public static String bundledAppClassPath() {
        Path libs = Jvm.agentJar().getParent().resolve("app-libs");
        try (Stream<Path> jars = Files.list(libs)) {
            List<Path> found = jars.filter(jar -> jar.toString().endsWith(".jar")).sorted().collect(Collectors.toList());
            if (found.size() != 3) {
                throw new IllegalStateException("expected 3 jars in " + libs + " (maven-dependency-plugin, pre-integration-test), found " + found);
            }
            return Jvm.join(Stream.concat(Stream.of(Jvm.location(AttachTargetApp.class), Jvm.location(Loopback.class)), found.stream()));
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + libs + ": " + e, e);
        }
    }

    /** {@code java [small-JVM options] [jvmOptions] -cp classPath mainClass args} on {@code jdk}. */
    public static List<String> javaCommand(Jdk jdk, List<String> jvmOptions, String classPath, Class<?> mainClass, String... args) {
        return Jvm.javaCommand(jdk.java(), jvmOptions, classPath, mainClass, args);
    }

    /** Runs a command to its end (at most {@code timeout}), with no EKUBRIDGE_* variables but those given. */
    public static Outcome run(List<String> command, Map<String, String> environment, Duration timeout, Path workDir) {
        return ManagedProcess.run("app", command, workDir, environment, timeout);
    }

    public static Outcome run(List<String> command, Path workDir) {
        return run(command, Map.of(), Duration.ofSeconds(40), workDir);
    }

    /** A file the application wrote (e.g. the agent's log.file), "" while it does not exist. */
    public static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "<cannot read " + file + ": " + e + ">";
        }
    }
}
