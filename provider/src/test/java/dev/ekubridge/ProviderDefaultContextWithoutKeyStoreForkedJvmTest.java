package dev.ekubridge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ekubridge.fixtures.GetDefaultContextApp;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.Security;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The provider installed by a {@code java.security.properties} override as the default key and trust manager
 * algorithm, in a JVM that sets NO {@code javax.net.ssl.keyStore} (a pure client, for instance): the JDK then
 * hands {@code KeyManagerFactory.EkuBridge} an empty store, and {@code SSLContext.getDefault()} must still work,
 * as it does without the provider.
 */
class ProviderDefaultContextWithoutKeyStoreForkedJvmTest {

    private static final long PROCESS_TIMEOUT_SECONDS = 30;

    @TempDir
    static Path dir;
    private static Path securityOverride;

    @BeforeAll
    static void writeOverride() throws Exception {
        int configured = 0;
        while (Security.getProperty("security.provider." + (configured + 1)) != null) {
            configured++;
        }
        assertThat(configured).isPositive();
        securityOverride = Files.write(dir.resolve("ekubridge.java.security"), List.of(
                "security.provider." + (configured + 1) + "=" + EkuBridgeProvider.class.getName(),
                "ssl.KeyManagerFactory.algorithm=" + EkuBridgeProvider.NAME,
                "ssl.TrustManagerFactory.algorithm=" + EkuBridgeProvider.NAME), StandardCharsets.ISO_8859_1);
    }

    private record Run(int exit, String stdout, String stderr) {
        String value(String key) {
            for (String line : stdout.split("\\R")) {
                if (line.startsWith(key + "=")) {
                    return line.substring(key.length() + 1);
                }
            }
            return null;
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout ---\n" + stdout + "--- stderr ---\n" + stderr;
        }
    }

    private static Run run(boolean withProvider, String name) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        if (withProvider) {
            command.add("-Djava.security.properties=" + securityOverride);
        }
        command.add(GetDefaultContextApp.class.getName());
        Path out = dir.resolve(name + ".out");
        Path err = dir.resolve(name + ".err");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().keySet().removeIf(key -> key.startsWith("EKUBRIDGE_") || key.equals("JAVA_TOOL_OPTIONS")
                || key.equals("JDK_JAVA_OPTIONS"));
        Process process = builder.start();
        try {
            boolean finished = process.waitFor(PROCESS_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertThat(finished).as("did not finish: " + command).isTrue();
            return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void theDefaultContextWorksWithTheProviderAndNoKeyStore() throws Exception {
        Run run = run(true, "provider-no-keystore");

        assertThat(run.value("KMF_ALGORITHM")).as("the override is in effect\n" + run).isEqualTo(EkuBridgeProvider.NAME);
        assertThat(run.value("TMF_ALGORITHM")).as(run.toString()).isEqualTo(EkuBridgeProvider.NAME);
        assertThat(run.value("RESULT")).as(run.toString()).isEqualTo("OK");
        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.value("CONTEXT_PROVIDER")).as(run.toString()).isEqualTo("SunJSSE");
    }

    @Test
    void controlTheDefaultContextWorksWithoutTheProvider() throws Exception {
        Run run = run(false, "plain-no-keystore");

        assertThat(run.value("KMF_ALGORITHM")).as(run.toString()).isEqualTo("SunX509");
        assertThat(run.value("RESULT")).as(run.toString()).isEqualTo("OK");
        assertThat(run.exit()).as(run.toString()).isZero();
    }
}
