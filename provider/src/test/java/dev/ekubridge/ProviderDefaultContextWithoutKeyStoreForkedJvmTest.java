package dev.ekubridge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ekubridge.fixtures.GetDefaultContextApp;
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

    private static Outcome run(boolean withProvider, String name) {
        List<String> options = withProvider ? List.of("-Djava.security.properties=" + securityOverride) : List.of();
        return ManagedProcess.run(name, Jvm.javaCommand(Jvm.currentJava(), options, Jvm.testClassPathString(),
                GetDefaultContextApp.class), dir, Map.of(), Duration.ofSeconds(PROCESS_TIMEOUT_SECONDS));
    }

    @Test
    void theDefaultContextWorksWithTheProviderAndNoKeyStore() throws Exception {
        Outcome run = run(true, "provider-no-keystore");

        assertThat(run.value("KMF_ALGORITHM")).as("the override is in effect\n" + run.describe()).isEqualTo(EkuBridgeProvider.NAME);
        assertThat(run.value("TMF_ALGORITHM")).as(run.describe()).isEqualTo(EkuBridgeProvider.NAME);
        assertThat(run.value("RESULT")).as(run.describe()).isEqualTo("OK");
        assertThat(run.exit()).as(run.describe()).isZero();
        assertThat(run.value("CONTEXT_PROVIDER")).as(run.describe()).isEqualTo("SunJSSE");
    }

    @Test
    void controlTheDefaultContextWorksWithoutTheProvider() throws Exception {
        Outcome run = run(false, "plain-no-keystore");

        assertThat(run.value("KMF_ALGORITHM")).as(run.describe()).isEqualTo("SunX509");
        assertThat(run.value("RESULT")).as(run.describe()).isEqualTo("OK");
        assertThat(run.exit()).as(run.describe()).isZero();
    }
}
