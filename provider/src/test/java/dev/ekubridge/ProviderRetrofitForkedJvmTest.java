package dev.ekubridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Security;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.ekubridge.testing.CaChange;
import dev.ekubridge.testsupport.apps.DefaultContextApp;
import dev.ekubridge.testsupport.pki.Issued;
import dev.ekubridge.testsupport.pki.TestPki;
import dev.ekubridge.testsupport.process.Jvm;
import dev.ekubridge.testsupport.process.ManagedProcess;
import dev.ekubridge.testsupport.process.Outcome;

/**
 * The provider alone retrofits an UNMODIFIED application ({@link DefaultContextApp}, which only calls
 * {@code SSLContext.getDefault()}) through a {@code java.security.properties} override: a separate JVM is
 * started with the test class path, the standard {@code javax.net.ssl.*} properties and, or not, the
 * override that appends {@code EkuBridgeProvider} and makes it the default key and trust manager algorithm.
 */
class ProviderRetrofitForkedJvmTest {

    private static final String PASSWORD = "changeit";
    private static final Duration PROCESS_TIMEOUT = Duration.ofSeconds(30);
    private static final String CLIENT_EKU_REFUSAL = "Extended key usage does not permit use for TLS client authentication";

    private static final CaChange PKI = CaChange.named("Retrofit");
    /** The public certificate after the CA change: serverAuth only. */
    private static final Issued SERVER = PKI.server();
    /** The private clientAuth certificate the operator added to the same store. */
    private static final Issued CLIENT = PKI.client();

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
        trustStore = TestPki.writeTrustStore(dir.resolve("trust.p12"), "PKCS12", pw, PKI.privateCa().certificate(), PKI.publicRoot().certificate());

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

    private static String hex(Issued issued) {
        return issued.serialHex();
    }

    private static Outcome runApp(boolean withProvider, Path keyStore, String inboundEku) {
        List<String> options = new ArrayList<>();
        if (withProvider) {
            options.add("-Djava.security.properties=" + securityOverride);
        }
        options.add("-Djavax.net.ssl.keyStore=" + keyStore);
        options.add("-Djavax.net.ssl.keyStorePassword=" + PASSWORD);
        options.add("-Djavax.net.ssl.keyStoreType=PKCS12");
        options.add("-Djavax.net.ssl.trustStore=" + trustStore);
        options.add("-Djavax.net.ssl.trustStorePassword=" + PASSWORD);
        options.add("-Djavax.net.ssl.trustStoreType=PKCS12");
        if (inboundEku != null) {
            options.add("-Dekubridge.inbound.eku=" + inboundEku);
        }
        String classPath = Jvm.testClassPathString();
        assertThat(classPath).as("the surefire class path holds the test classes and the provider")
                .contains("test-classes").contains("classes");
        String name = (withProvider ? "provider-" : "plain-") + keyStore.getFileName() + "-" + inboundEku;
        return ManagedProcess.run(name, Jvm.javaCommand(Jvm.currentJava(), options, classPath, DefaultContextApp.class),
                dir, Map.of(), PROCESS_TIMEOUT);
    }

    // ------------------------------------------------------------------------------------------------
    // tests
    // ------------------------------------------------------------------------------------------------

    /** Plain JDK: SunX509 presents the same entry in both roles (here the serverAuth-only one) and the strict server refuses it. */
    @Test
    void withoutTheProviderTheClientPresentsTheServerAuthOnlyEntryAndIsRefused() throws Exception {
        Outcome run = runApp(false, bothStore, null);

        assertThat(run.exit()).as(run.describe()).isEqualTo(1);
        assertThat(run.value("RESULT")).as(run.describe()).startsWith("FAIL ");
        assertThat(run.value("PROTOCOL")).as("TLS 1.3: the client knows what it sent\n" + run.describe()).isEqualTo("TLSv1.3");
        assertThat(run.value("CLIENT_PRESENTED")).as("SunX509 picks the serverAuth-only entry for the client role\n" + run.describe())
                .isEqualTo(hex(SERVER));
        assertThat(run.value("CLIENT_SAW_SERVER_SERIAL")).as(run.describe()).isEqualTo(hex(SERVER));
        assertThat(run.value("SERVER_SAW_CLIENT_SERIAL")).as(run.describe()).isNull();
        assertThat(run.value("SERVER_FAILURE")).as(run.describe()).contains(CLIENT_EKU_REFUSAL);
        assertThat(run.value("CLIENT_FAILURE")).as(run.describe()).isNotNull();
    }

    /** With the override: the client role presents the clientAuth entry, the server role the serverAuth entry. */
    @Test
    void theProviderAloneMakesEachRolePresentItsOwnEntry() throws Exception {
        Outcome run = runApp(true, bothStore, "strict");

        assertThat(run.exit()).as(run.describe()).isZero();
        assertThat(run.value("RESULT")).as(run.describe()).isEqualTo("OK");
        assertThat(run.value("REPLY")).as(run.describe()).isEqualTo("echo hello");
        assertThat(run.value("SERVER_SAW_CLIENT_SERIAL")).as("server saw the clientAuth entry\n" + run.describe()).isEqualTo(hex(CLIENT));
        assertThat(run.value("CLIENT_PRESENTED")).as(run.describe()).isEqualTo(hex(CLIENT));
        assertThat(run.value("CLIENT_SAW_SERVER_SERIAL")).as("client saw the serverAuth entry\n" + run.describe()).isEqualTo(hex(SERVER));
        assertThat(run.value("SERVER_PRESENTED")).as(run.describe()).isEqualTo(hex(SERVER));
    }

    /** Only the serverAuth-only entry: the client role has to present it; strict refuses it, naming the mode. */
    @Test
    void serverAuthOnlyStoreIsRefusedByStrict() throws Exception {
        Outcome run = runApp(true, serverOnlyStore, "strict");

        assertThat(run.exit()).as(run.describe()).isEqualTo(1);
        assertThat(run.value("RESULT")).as(run.describe()).startsWith("FAIL ");
        assertThat(run.value("CLIENT_PRESENTED")).as(run.describe()).isEqualTo(hex(SERVER));
        assertThat(run.value("SERVER_SAW_CLIENT_SERIAL")).as(run.describe()).isNull();
        assertThat(run.value("SERVER_FAILURE")).as(run.describe())
                .contains(CLIENT_EKU_REFUSAL).contains("(inbound.eku=strict)")
                .contains("serial " + hex(SERVER));
        assertThat(run.stderr()).as("single-store mode warns that no entry permits clientAuth\n" + run.describe())
                .contains("No entry of the key store permits clientAuth");
    }

    /** The same store with inbound.eku=lenient: the serverAuth-only client certificate is accepted. */
    @Test
    void serverAuthOnlyStoreIsAcceptedByLenient() throws Exception {
        Outcome run = runApp(true, serverOnlyStore, "lenient");

        assertThat(run.exit()).as(run.describe()).isZero();
        assertThat(run.value("RESULT")).as(run.describe()).isEqualTo("OK");
        assertThat(run.value("SERVER_SAW_CLIENT_SERIAL")).as(run.describe()).isEqualTo(hex(SERVER));
        assertThat(run.value("CLIENT_SAW_SERVER_SERIAL")).as(run.describe()).isEqualTo(hex(SERVER));
    }
}
