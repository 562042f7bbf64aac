package dev.ekubridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.Security;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.ekubridge.fixtures.DefaultContextApp;
import dev.ekubridge.testing.TestPki;
import dev.ekubridge.testing.TestPki.Ca;
import dev.ekubridge.testing.TestPki.Issued;
import dev.ekubridge.testing.TestPki.KeyKind;
import dev.ekubridge.testing.TestPki.LeafEku;

/**
 * The provider alone retrofits an UNMODIFIED application ({@link DefaultContextApp}, which only calls
 * {@code SSLContext.getDefault()}) through a {@code java.security.properties} override: a separate JVM is
 * started with the test class path, the standard {@code javax.net.ssl.*} properties and, or not, the
 * override that appends {@code EkuBridgeProvider} and makes it the default key and trust manager algorithm.
 */
class ProviderRetrofitForkedJvmTest {

    private static final String PASSWORD = "changeit";
    private static final long PROCESS_TIMEOUT_SECONDS = 30;
    private static final String CLIENT_EKU_REFUSAL = "Extended key usage does not permit use for TLS client authentication";

    private static final Ca CA1 = TestPki.root("Retrofit CA1 private", KeyKind.EC_P256);
    private static final Ca CA2_ROOT = TestPki.root("Retrofit CA2 public root", KeyKind.EC_P256);
    private static final Ca CA2 = CA2_ROOT.intermediate("Retrofit CA2 public issuing");
    /** The public certificate after the CA change: serverAuth only. */
    private static final Issued SERVER = CA2.leaf("sip.example.test").eku(LeafEku.SERVER_AUTH)
            .dnsNames("sip.example.test").keyPair(KeyKind.EC_P256.freshKeyPair()).issue();
    /** The private clientAuth certificate the operator added to the same store. */
    private static final Issued CLIENT = CA1.leaf("sip-client.example.test").eku(LeafEku.CLIENT_AUTH)
            .keyPair(KeyKind.EC_P256.freshKeyPair()).issue();

    @TempDir
    static Path dir;

    private static Path bothStore;
    private static Path serverOnlyStore;
    private static Path trustStore;
    private static Path securityOverride;
    private static int providerNumber;

    @BeforeAll
    static void writeFiles() throws IOException {
        char[] pw = PASSWORD.toCharArray();
        // "server" and "client": SunX509 (a HashMap of aliases) meets "server" first, alphabetical order "client"
        Map<String, Issued> both = new LinkedHashMap<>();
        both.put("server", SERVER);
        both.put("client", CLIENT);
        bothStore = TestPki.writePkcs12(dir.resolve("both.p12"), pw, both);
        serverOnlyStore = TestPki.writePkcs12(dir.resolve("server-only.p12"), pw, Collections.singletonMap("server", SERVER));
        trustStore = TestPki.writeTrustStore(dir.resolve("trust.p12"), "PKCS12", pw, CA1.certificate(), CA2_ROOT.certificate());

        // Append after the JDK's own list. The numbering must have no gap (the JDK stops at the first missing N),
        // so count the configured security.provider.N entries; Security.getProviders() is the same list unless a
        // test in this JVM added a provider at run time.
        int configured = 0;
        while (Security.getProperty("security.provider." + (configured + 1)) != null) {
            configured++;
        }
        assertThat(configured).as("the JDK's provider list").isPositive().isLessThanOrEqualTo(Security.getProviders().length);
        providerNumber = configured + 1;
        securityOverride = Files.write(dir.resolve("ekubridge.java.security"), List.of(
                "security.provider." + providerNumber + "=" + EkuBridgeProvider.class.getName(),
                "ssl.KeyManagerFactory.algorithm=" + EkuBridgeProvider.NAME,
                "ssl.TrustManagerFactory.algorithm=" + EkuBridgeProvider.NAME), StandardCharsets.ISO_8859_1);
    }

    // ------------------------------------------------------------------------------------------------
    // running the application in its own JVM
    // ------------------------------------------------------------------------------------------------

    /** What one run of the application printed and returned. */
    private static final class Run {
        final int exitCode;
        final String stdout;
        final String stderr;
        final Map<String, String> values = new LinkedHashMap<>();

        Run(int exitCode, String stdout, String stderr) {
            this.exitCode = exitCode;
            this.stdout = stdout;
            this.stderr = stderr;
            for (String line : stdout.split("\\R")) {
                int eq = line.indexOf('=');
                if (eq > 0 && line.substring(0, eq).matches("[A-Z_]+")) {
                    values.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
        }

        String get(String key) {
            return values.get(key);
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout ---\n" + stdout + "--- stderr ---\n" + stderr;
        }
    }

    private static String hex(Issued issued) {
        return issued.serial().toString(16);
    }

    private static Run runApp(boolean withProvider, Path keyStore, String inboundEku) throws Exception {
        String classPath = System.getProperty("java.class.path");
        assertThat(classPath).as("the surefire class path holds the test classes and the provider")
                .contains("test-classes").contains("classes");
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-cp");
        command.add(classPath);
        if (withProvider) {
            command.add("-Djava.security.properties=" + securityOverride);
        }
        command.add("-Djavax.net.ssl.keyStore=" + keyStore);
        command.add("-Djavax.net.ssl.keyStorePassword=" + PASSWORD);
        command.add("-Djavax.net.ssl.keyStoreType=PKCS12");
        command.add("-Djavax.net.ssl.trustStore=" + trustStore);
        command.add("-Djavax.net.ssl.trustStorePassword=" + PASSWORD);
        command.add("-Djavax.net.ssl.trustStoreType=PKCS12");
        if (inboundEku != null) {
            command.add("-Dekubridge.inbound.eku=" + inboundEku);
        }
        command.add(DefaultContextApp.class.getName());

        String name = (withProvider ? "provider-" : "plain-") + keyStore.getFileName() + "-" + inboundEku;
        Path out = dir.resolve(name + ".out");
        Path err = dir.resolve(name + ".err");
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        builder.environment().keySet().removeIf(key -> key.startsWith("EKUBRIDGE_") || key.equals("JAVA_TOOL_OPTIONS")
                || key.equals("JDK_JAVA_OPTIONS"));
        Process process = builder.start();
        try {
            boolean finished = process.waitFor(PROCESS_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            String stdout = Files.readString(out);
            String stderr = Files.readString(err);
            assertThat(finished).as("the application did not finish within %d s: %s\n%s\n%s",
                    PROCESS_TIMEOUT_SECONDS, command, stdout, stderr).isTrue();
            return new Run(process.exitValue(), stdout, stderr);
        } finally {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }

    // ------------------------------------------------------------------------------------------------
    // tests
    // ------------------------------------------------------------------------------------------------

    /** Plain JDK: SunX509 presents the same entry in both roles (here the serverAuth-only one) and the strict server refuses it. */
    @Test
    void withoutTheProviderTheClientPresentsTheServerAuthOnlyEntryAndIsRefused() throws Exception {
        Run run = runApp(false, bothStore, null);

        assertThat(run.exitCode).as(run.toString()).isEqualTo(1);
        assertThat(run.get("RESULT")).as(run.toString()).isEqualTo("FAILED");
        assertThat(run.get("PROTOCOL")).as("TLS 1.3: the client knows what it sent\n" + run).isEqualTo("TLSv1.3");
        assertThat(run.get("CLIENT_PRESENTED")).as("SunX509 picks the serverAuth-only entry for the client role\n" + run)
                .isEqualTo(hex(SERVER));
        assertThat(run.get("CLIENT_SAW")).as(run.toString()).isEqualTo(hex(SERVER));
        assertThat(run.get("SERVER_SAW")).as(run.toString()).isNull();
        assertThat(run.get("SERVER_FAILURE")).as(run.toString()).contains(CLIENT_EKU_REFUSAL);
        assertThat(run.get("CLIENT_FAILURE")).as(run.toString()).isNotNull();
    }

    /** With the override: the client role presents the clientAuth entry, the server role the serverAuth entry. */
    @Test
    void theProviderAloneMakesEachRolePresentItsOwnEntry() throws Exception {
        Run run = runApp(true, bothStore, "strict");

        assertThat(run.exitCode).as(run.toString()).isZero();
        assertThat(run.get("RESULT")).as(run.toString()).isEqualTo("OK");
        assertThat(run.get("REPLY")).as(run.toString()).isEqualTo("echo hello");
        assertThat(run.get("SERVER_SAW")).as("server saw the clientAuth entry\n" + run).isEqualTo(hex(CLIENT));
        assertThat(run.get("CLIENT_PRESENTED")).as(run.toString()).isEqualTo(hex(CLIENT));
        assertThat(run.get("CLIENT_SAW")).as("client saw the serverAuth entry\n" + run).isEqualTo(hex(SERVER));
        assertThat(run.get("SERVER_PRESENTED")).as(run.toString()).isEqualTo(hex(SERVER));
    }

    /** Only the serverAuth-only entry: the client role has to present it; strict refuses it, naming the mode. */
    @Test
    void serverAuthOnlyStoreIsRefusedByStrict() throws Exception {
        Run run = runApp(true, serverOnlyStore, "strict");

        assertThat(run.exitCode).as(run.toString()).isEqualTo(1);
        assertThat(run.get("RESULT")).as(run.toString()).isEqualTo("FAILED");
        assertThat(run.get("CLIENT_PRESENTED")).as(run.toString()).isEqualTo(hex(SERVER));
        assertThat(run.get("SERVER_SAW")).as(run.toString()).isNull();
        assertThat(run.get("SERVER_FAILURE")).as(run.toString())
                .contains(CLIENT_EKU_REFUSAL).contains("(inbound.eku=strict)")
                .contains("serial " + hex(SERVER).toUpperCase(java.util.Locale.ROOT));
        assertThat(run.stderr).as("single-store mode warns that no entry permits clientAuth\n" + run)
                .contains("No entry of the key store permits clientAuth");
    }

    /** The same store with inbound.eku=lenient: the serverAuth-only client certificate is accepted. */
    @Test
    void serverAuthOnlyStoreIsAcceptedByLenient() throws Exception {
        Run run = runApp(true, serverOnlyStore, "lenient");

        assertThat(run.exitCode).as(run.toString()).isZero();
        assertThat(run.get("RESULT")).as(run.toString()).isEqualTo("OK");
        assertThat(run.get("SERVER_SAW")).as(run.toString()).isEqualTo(hex(SERVER));
        assertThat(run.get("CLIENT_SAW")).as(run.toString()).isEqualTo(hex(SERVER));
    }
}
