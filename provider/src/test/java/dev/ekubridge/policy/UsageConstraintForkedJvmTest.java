package dev.ekubridge.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ekubridge.fixtures.UsageConstraintTwinApp;
import dev.ekubridge.testsupport.process.Jvm;
import dev.ekubridge.testsupport.process.ManagedProcess;
import dev.ekubridge.testsupport.process.Outcome;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Security;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Algorithm constraints scoped to one direction ({@code usage TLSClient} / {@code usage TLSServer} in
 * {@code jdk.certpath.disabledAlgorithms}) are the wrapped manager's, applied as to a client: a relaxed mode
 * refuses a leaf the JDK refuses as a client, and accepts one it refuses only as a server. The security property
 * is read once per JVM, so {@link UsageConstraintTwinApp} runs the twin comparison in a JVM started with it.
 */
class UsageConstraintForkedJvmTest {
    private static final String CLIENT_DISABLED = "SHA384withECDSA";
    private static final String SERVER_DISABLED = "SHA512withECDSA";

    @TempDir
    Path dir;

    @Test
    void relaxedModesApplyTheClientDirectionsAlgorithmConstraints() throws Exception {
        Path security = Files.writeString(dir.resolve("usage.security"), "jdk.certpath.disabledAlgorithms="
            + Security.getProperty("jdk.certpath.disabledAlgorithms") + ", " + CLIENT_DISABLED + " usage TLSClient, "
            + SERVER_DISABLED + " usage TLSServer\n", StandardCharsets.ISO_8859_1);
        List<String> options = List.of("-Djava.security.properties=" + security);
        Outcome run = ManagedProcess.run("usage-constraint", Jvm.javaCommand(Jvm.currentJava(), options,
            Jvm.testClassPathString(), UsageConstraintTwinApp.class, CLIENT_DISABLED, SERVER_DISABLED), dir, Map.of(),
            Duration.ofSeconds(120));
        String output = run.stdout() + run.stderr();

        assertThat(run.exit()).as(output).isZero();
        assertThat(output).as("the JVM took the constraint").contains(CLIENT_DISABLED + " usage TLSClient");
        // the constraint separates the directions of SunJSSE's managers (BCJSSE ignores "usage" entries)
        assertThat(output).as(output)
            .containsPattern("SEPARATES name=signed-" + CLIENT_DISABLED + " SUN PKIX client=\\S+Exception")
            .containsPattern("SEPARATES name=signed-" + SERVER_DISABLED + " SUN PKIX client=accepted")
            .doesNotContain("MISMATCH")
            .containsPattern("COMPARED \\d{2,}");
    }
}
