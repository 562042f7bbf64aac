package dev.ekubridge.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.ekubridge.agent.apps.ListDirectoryApp;
import dev.ekubridge.agent.apps.SpiHierarchyApp;
import dev.ekubridge.agent.support.AgentIt;
import dev.ekubridge.agent.support.AttachTarget;
import dev.ekubridge.agent.support.Forked;
import dev.ekubridge.agent.support.Pki;
import dev.ekubridge.testsupport.pki.Pem;
import dev.ekubridge.testsupport.process.Jdk;
import dev.ekubridge.testsupport.process.Jvm;
import dev.ekubridge.testsupport.process.Outcome;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Agent-side fixes from the code review, each in forked JVMs (JDK 17 and 25):
 * <ul>
 * <li>an {@code SSLContextSpi} subclass whose superclass is not loaded yet when its class file reaches the
 * agent (a provider hierarchy loaded from the most derived class) is still instrumented;</li>
 * <li>{@code diagnostics.dir} writes the PEM files at JVM start, before the application's {@code main};</li>
 * <li>{@code attach PID ...,server.password.env=VAR} reads VAR from the attach command's environment.</li>
 * </ul>
 */
class AgentReviewFixesIT extends AgentIt {
    /** Not EKUBRIDGE_*: those are configuration keys, and the attach check leaves them out. */
    private static final String PASSWORD_VARIABLE = "APP_TLS_STORE_PASSWORD";
    private static final String SHADED_POLICY_TRUST_MANAGER = "dev.ekubridge.agent.shaded.ekubridge.EkuPolicyTrustManager";

    // ------------------------------------------------------------------------------------------------
    // an SSLContextSpi hierarchy loaded from the leaf
    // ------------------------------------------------------------------------------------------------

    private static Outcome runSpiHierarchy(Jdk jdk, String agent) {
        Forked.assumeInstalled(jdk);
        List<String> options = agent == null ? List.of() : List.of(agent);
        return Forked.run(Forked.javaCommand(jdk, options, Forked.appClassPath(), SpiHierarchyApp.class), dir);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void controlWithoutTheAgentBaseReceivesTheJdkTrustManager(Jdk jdk) {
        Outcome outcome = runSpiHierarchy(jdk, null);

        assertThat(outcome.exit()).as(outcome.describe()).isZero();
        assertThat(outcome.value("BASE_TRUST_MANAGERS")).as(outcome.describe())
            .isNotNull().doesNotContain("EkuPolicyTrustManager").doesNotContain("ekubridge");
        assertThat(outcome.value("BASE_KEY_MANAGERS")).as(outcome.describe()).isEqualTo("null");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void aSuperclassLoadedAfterItsSubclassIsStillInstrumented(Jdk jdk) {
        Outcome outcome = runSpiHierarchy(jdk, Jvm.javaagent("inbound.eku=lenient"));

        assertThat(outcome.exit()).as(outcome.describe()).isZero();
        assertThat(outcome.value("RESULT")).as(outcome.describe()).isEqualTo("OK");
        assertThat(outcome.value("BASE_TRUST_MANAGERS")).as("Base.engineInit received the wrapped trust manager" + outcome.describe())
            .isEqualTo(SHADED_POLICY_TRUST_MANAGER);
        assertThat(outcome.stderr()).as(outcome.describe()).doesNotContain("cannot instrument").doesNotContain("is left unchanged");
    }

    // ------------------------------------------------------------------------------------------------
    // diagnostics.dir at JVM start
    // ------------------------------------------------------------------------------------------------

    private static List<X509Certificate> parse(Path file) {
        return Pem.certificates(file);
    }

    private static List<X509Certificate> trustAnchors() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(pki.trustStore())) {
            store.load(in, Pki.PASSWORD.toCharArray());
        }
        List<X509Certificate> anchors = new ArrayList<>();
        for (String alias : Collections.list(store.aliases())) {
            anchors.add((X509Certificate) store.getCertificate(alias));
        }
        return anchors;
    }

    private static Outcome runListing(Jdk jdk, Path diagnostics, boolean withTrustStore) {
        Forked.assumeInstalled(jdk);
        String arguments = "server.keystore=" + pki.app().p12() + ",server.password=" + Pki.PASSWORD
            + ",client.keystore=" + pki.clientIdentity().p12() + ",client.password=" + Pki.PASSWORD
            + (withTrustStore ? ",truststore=" + pki.trustStore() + ",truststore.password=" + Pki.PASSWORD : "")
            + ",diagnostics.dir=" + diagnostics;
        return Forked.run(Forked.javaCommand(jdk, List.of(Jvm.javaagent(arguments)), Forked.appClassPath(), ListDirectoryApp.class,
            diagnostics.toString()), dir);
    }

    private static String slug(Jdk jdk) {
        return jdk.name().replace(' ', '-');
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void diagnosticsDirHoldsEachRolesChainAndTheConfiguredAnchorsBeforeMainRuns(Jdk jdk) throws Exception {
        Path diagnostics = dir.resolve("diagnostics-with-truststore-" + slug(jdk));

        Outcome outcome = runListing(jdk, diagnostics, true);

        assertThat(outcome.exit()).as(outcome.describe()).isZero();
        List<String> seenByMain = outcome.stdout().lines().filter(line -> line.startsWith("FILE=")).map(line -> line.substring(5)).toList();
        assertThat(seenByMain).as("the files exist when main starts" + outcome.describe()).hasSize(4);
        assertThat(seenByMain.stream().filter(name -> name.startsWith("server-") && name.endsWith(".pem"))).hasSize(1);
        assertThat(seenByMain.stream().filter(name -> name.startsWith("client-") && name.endsWith(".pem"))).hasSize(1);
        assertThat(seenByMain.stream().filter(name -> name.startsWith("ca-") && name.endsWith(".pem"))).hasSize(2);

        Path server = diagnostics.resolve(seenByMain.stream().filter(name -> name.startsWith("server-")).findFirst().orElseThrow());
        Path client = diagnostics.resolve(seenByMain.stream().filter(name -> name.startsWith("client-")).findFirst().orElseThrow());
        List<X509Certificate> serverChain = parse(server);
        List<X509Certificate> clientChain = parse(client);
        assertThat(serverChain).hasSize(2);
        assertThat(serverChain.get(0)).isEqualTo(pki.app().certificate());
        assertThat(clientChain).hasSize(2);
        assertThat(clientChain.get(0)).isEqualTo(pki.clientIdentity().certificate());
        List<X509Certificate> anchors = new ArrayList<>();
        for (String name : seenByMain) {
            if (name.startsWith("ca-")) {
                anchors.addAll(parse(diagnostics.resolve(name)));
            }
        }
        assertThat(anchors).containsExactlyInAnyOrderElementsOf(trustAnchors());
        assertThat(serverChain.get(1)).as("the chain's CA is one of the anchors").isIn(anchors);
        for (String name : seenByMain) {
            assertThat(Files.readString(diagnostics.resolve(name), StandardCharsets.US_ASCII)).as(name).doesNotContain("PRIVATE KEY");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void diagnosticsDirHoldsNoAnchorsWhenTrustIsTheApplicationsOwn(Jdk jdk) {
        Path diagnostics = dir.resolve("diagnostics-without-truststore-" + slug(jdk));

        Outcome outcome = runListing(jdk, diagnostics, false);

        assertThat(outcome.exit()).as(outcome.describe()).isZero();
        List<String> seenByMain = outcome.stdout().lines().filter(line -> line.startsWith("FILE=")).map(line -> line.substring(5)).toList();
        assertThat(seenByMain).as(outcome.describe()).hasSize(2).noneMatch(name -> name.startsWith("ca-"));
    }

    // ------------------------------------------------------------------------------------------------
    // attach with a password from the attach command's environment
    // ------------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void attachReadsAPasswordVariableFromItsOwnEnvironment(Jdk jdk) throws Exception {
        String arguments = "server.keystore=" + pki.app().p12() + ",server.password.env=" + PASSWORD_VARIABLE + ",inbound.eku=lenient";
        try (AttachTarget target = readyTarget(jdk, Map.of(PASSWORD_VARIABLE, Pki.PASSWORD))) {

            // control: without the variable the check here refuses, naming it, and nothing is loaded
            Outcome unset = AttachTarget.attach(jdk, target.pid(), arguments, Map.of(), dir);
            assertThat(unset.exit()).as(unset.describe()).isEqualTo(2);
            assertThat(unset.stderr()).as(unset.describe()).contains(PASSWORD_VARIABLE + ", which is not set");

            Outcome attach = AttachTarget.attach(jdk, target.pid(), arguments, Map.of(PASSWORD_VARIABLE, Pki.PASSWORD), dir);
            assertThat(attach.stderr()).as(attach.describe()).doesNotContain("not set");
            target.assertLoaded(attach);

            Outcome outcome = target.sendLineAndAwaitAccepted(pki.app().serial());
            List<String> installed = outcome.stderrLines().stream().filter(line -> line.contains("installed:")).collect(Collectors.toList());
            assertThat(installed).as(outcome.describe()).singleElement().asString()
                .contains("serial " + pki.app().serial()).contains("inbound.eku=lenient");
            assertThat(outcome.stdout() + outcome.stderr() + attach.stdout() + attach.stderr()).as("the password is never printed")
                .doesNotContain(Pki.PASSWORD + ",").doesNotContain("=" + Pki.PASSWORD);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void onlyAClassThatDeclaresEngineInitIsReportedAsLeftUnchangedUnderANonDelegatingLoader(Jdk jdk) {
        Forked.assumeInstalled(jdk);
        Outcome outcome = Forked.run(Forked.javaCommand(jdk, List.of(Jvm.javaagent("inbound.eku=lenient")), Forked.appClassPath(),
            dev.ekubridge.agent.apps.NonDelegatingLoaderApp.class), dir);

        assertThat(outcome.exit()).as(outcome.describe()).isZero();
        assertThat(outcome.value("CALLS_INIT_RAN")).as(outcome.describe()).isEqualTo("true");
        assertThat(outcome.stderr()).as("the SPI that cannot see the bridge is named" + outcome.describe())
            .contains("NonDelegatingLoaderApp$OwnSpi is left unchanged");
        assertThat(outcome.stderr()).as("a class that only calls SSLContext.init needs no change and is not reported" + outcome.describe())
            .doesNotContain("NonDelegatingLoaderApp$CallsInit");
    }

}
