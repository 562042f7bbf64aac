package dev.ekubridge.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ekubridge.fixtures.UsageConstraintTwinApp;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.Security;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
        List<String> command = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
            "-XX:TieredStopAtLevel=1", "-Djava.security.properties=" + security, "-cp", System.getProperty("java.class.path"),
            UsageConstraintTwinApp.class.getName(), CLIENT_DISABLED, SERVER_DISABLED));
        Path out = dir.resolve("out.txt");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        boolean finished = process.waitFor(120, TimeUnit.SECONDS);
        process.destroyForcibly();
        String output = Files.readString(out);

        assertThat(finished).as(output).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).as("the JVM took the constraint").contains(CLIENT_DISABLED + " usage TLSClient");
        // the constraint separates the directions of SunJSSE's managers (BCJSSE ignores "usage" entries)
        assertThat(output).as(output)
            .containsPattern("SEPARATES name=signed-" + CLIENT_DISABLED + " SUN PKIX client=\\S+Exception")
            .containsPattern("SEPARATES name=signed-" + SERVER_DISABLED + " SUN PKIX client=accepted")
            .doesNotContain("MISMATCH")
            .containsPattern("COMPARED \\d{2,}");
    }
}
