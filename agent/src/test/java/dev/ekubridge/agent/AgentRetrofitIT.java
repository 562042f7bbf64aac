package dev.ekubridge.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import dev.ekubridge.agent.apps.BcjsseApp;
import dev.ekubridge.agent.apps.BundledDepsApp;
import dev.ekubridge.agent.apps.ExplicitInitApp;
import dev.ekubridge.agent.apps.HttpsUrlConnectionApp;
import dev.ekubridge.agent.support.AgentIt;
import dev.ekubridge.agent.support.Forked;
import dev.ekubridge.agent.support.Pki;
import dev.ekubridge.testsupport.apps.DefaultContextApp;
import dev.ekubridge.testsupport.process.Jdk;
import dev.ekubridge.testsupport.process.Jvm;
import dev.ekubridge.testsupport.process.Outcome;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Unmodified applications in forked JVMs (JDK 17 and 25), with and without the agent. Each
 * application's own certificate is CA2, serverAuth only, and it does mutual TLS with itself: the JDK
 * refuses its client certificate, and so does the agent with {@code inbound.eku=strict}; with
 * {@code lenient} it is accepted; with {@code client.keystore} the client role presents the operator's
 * CA1 clientAuth identity while the server role keeps the application's certificate.
 */
class AgentRetrofitIT extends AgentIt {
    /** How each application gets its key and trust stores, and how the JDK alone refuses it. */
    enum App {
        EXPLICIT_INIT(ExplicitInitApp.class, false, "Extended key usage does not permit use for TLS client authentication"),
        DEFAULT_CONTEXT(DefaultContextApp.class, true, "Extended key usage does not permit use for TLS client authentication"),
        // the client only sees the connection fail; the server's reason is inside com.sun.net.httpserver
        HTTPS_URL_CONNECTION(HttpsUrlConnectionApp.class, true, null),
        // BCJSSE's key manager does not even offer a serverAuth-only certificate as a client certificate
        BCJSSE(BcjsseApp.class, false, "certificate_required");

        final Class<?> main;
        final boolean fromSystemProperties;
        final String refusalWithoutAgent;

        App(Class<?> main, boolean fromSystemProperties, String refusalWithoutAgent) {
            this.main = main;
            this.fromSystemProperties = fromSystemProperties;
            this.refusalWithoutAgent = refusalWithoutAgent;
        }

        /**
         * The agent arguments for an EKU policy case. For BCJSSE, whose own key manager will not present
         * a serverAuth-only certificate as a client, the operator makes the agent present it with
         * {@code client.identity=server} (the Expressway "use the server certificate as client certificate").
         */
        String policyArguments(String policy) {
            return this == BCJSSE
                ? "server.keystore=" + pki.app().p12() + ",server.password=" + Pki.PASSWORD + ",client.identity=server," + policy
                : policy;
        }
    }

    static Stream<Arguments> jdksAndApps() {
        return Forked.jdks().flatMap(jdk -> Stream.of(App.values()).map(app -> Arguments.of(jdk, app)));
    }

    /** Runs an application; {@code agent} is the full {@code -javaagent} option or {@code null} for none. */
    private static Outcome run(Jdk jdk, App app, String agent, List<String> jvmOptions, Map<String, String> environment) {
        Forked.assumeInstalled(jdk);
        List<String> options = new ArrayList<>();
        if (agent != null) {
            options.add(agent);
        }
        options.addAll(jvmOptions);
        String[] args = {};
        if (app.fromSystemProperties) {
            options.add("-Djavax.net.ssl.keyStore=" + pki.app().p12());
            options.add("-Djavax.net.ssl.keyStorePassword=" + Pki.PASSWORD);
            options.add("-Djavax.net.ssl.trustStore=" + pki.trustStore());
            options.add("-Djavax.net.ssl.trustStorePassword=" + Pki.PASSWORD);
        } else {
            args = new String[] {pki.app().p12().toString(), pki.trustStore().toString(), Pki.PASSWORD};
        }
        List<String> command = Forked.javaCommand(jdk, options, Forked.appClassPath(), app.main, args);
        return Forked.run(command, environment, Duration.ofSeconds(40), dir);
    }

    private static Outcome run(Jdk jdk, App app, String agent) {
        return run(jdk, app, agent, List.of(), Map.of());
    }

    private static void assertRefused(Outcome outcome) {
        assertThat(outcome.exit()).as(outcome.describe()).isEqualTo(1);
        assertThat(outcome.stdout()).as(outcome.describe()).contains("APP_MAIN_RAN=").containsPattern("(?m)^RESULT=FAIL ");
        assertThat(outcome.value("SERVER_SAW_CLIENT_SERIAL")).as(outcome.describe()).isNull();
    }

    private static void assertAccepted(Outcome outcome, String serverSawClient, String clientSawServer) {
        assertThat(outcome.exit()).as(outcome.describe()).isZero();
        assertThat(outcome.value("RESULT")).as(outcome.describe()).isEqualTo("OK");
        assertThat(outcome.value("SERVER_SAW_CLIENT_SERIAL")).as(outcome.describe()).isEqualTo(serverSawClient);
        assertThat(outcome.value("CLIENT_SAW_SERVER_SERIAL")).as(outcome.describe()).isEqualTo(clientSawServer);
    }

    private static void assertInstalled(Outcome outcome, String... fragments) {
        List<String> installed = outcome.stderrLines().stream().filter(line -> line.contains("installed:")).toList();
        assertThat(installed).as(outcome.describe()).hasSize(1);
        assertThat(installed.get(0)).as(outcome.describe()).contains(fragments);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("jdksAndApps")
    void withoutTheAgentTheServerAuthOnlyClientIsRefused(Jdk jdk, App app) {
        Outcome outcome = run(jdk, app, null);
        assertRefused(outcome);
        assertThat(outcome.stderr()).as(outcome.describe()).doesNotContain("EKU Bridge").doesNotContain("ekubridge.agent -").doesNotContain("dev.ekubridge.agent.shaded");
        if (app.refusalWithoutAgent != null) {
            assertThat(outcome.value("SERVER_FAILURE")).as(outcome.describe()).contains(app.refusalWithoutAgent);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("jdksAndApps")
    void withStrictTheAgentRefusesTheServerAuthOnlyClient(Jdk jdk, App app) {
        Outcome outcome = run(jdk, app, Jvm.javaagent(app.policyArguments("inbound.eku=strict,log.handshakes=true")));
        assertRefused(outcome);
        assertInstalled(outcome, "inbound.eku=strict");
        // the refusal is the agent's policy (in the server's exception, or in the handshake log for HttpsServer)
        assertThat(outcome.stdout() + outcome.stderr()).as(outcome.describe())
            .contains("Extended key usage does not permit use for TLS client authentication (clientAuth): peer subject \"CN=app.example.test\" serial "
                + pki.app().serial() + " has serverAuth (inbound.eku=strict)");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("jdksAndApps")
    void withLenientTheServerAuthOnlyClientIsAccepted(Jdk jdk, App app) {
        Outcome outcome = run(jdk, app, Jvm.javaagent(app.policyArguments("inbound.eku=lenient")));
        assertAccepted(outcome, pki.app().serial(), pki.app().serial());
        assertInstalled(outcome, "inbound.eku=lenient");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("jdksAndApps")
    void clientKeystoreServesTheClientRoleWhileTheServerRoleKeepsTheApplicationsCertificate(Jdk jdk, App app) {
        Outcome outcome = run(jdk, app, Jvm.javaagent("client.keystore=" + pki.clientIdentity().p12() + ",client.password=" + Pki.PASSWORD));
        assertAccepted(outcome, pki.clientIdentity().serial(), pki.app().serial());
        assertInstalled(outcome, "server role application's key manager", "client role", "serial " + pki.clientIdentity().serial(),
            "inbound.eku=strict");
        assertThat(outcome.stdout() + outcome.stderr()).as("passwords are never printed").doesNotContain(Pki.PASSWORD);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void anApplicationBundlingItsOwnByteBuddyAndSlf4jStillWorks(Jdk jdk) {
        Forked.assumeInstalled(jdk);
        String[] args = {pki.app().p12().toString(), pki.trustStore().toString(), Pki.PASSWORD};
        String classPath = Forked.bundledAppClassPath();

        Outcome without = Forked.run(Forked.javaCommand(jdk, List.of(), classPath, BundledDepsApp.class, args), dir);
        assertRefused(without);

        Outcome with = Forked.run(Forked.javaCommand(jdk, List.of(Jvm.javaagent("inbound.eku=lenient")), classPath,
            BundledDepsApp.class, args), dir);
        assertAccepted(with, pki.app().serial(), pki.app().serial());
        assertInstalled(with, "inbound.eku=lenient");
        assertThat(with.value("BYTEBUDDY_JAR")).as(with.describe()).endsWith("/app-libs/byte-buddy-1.17.8.jar");
        assertThat(with.value("BYTEBUDDY_MADE")).as(with.describe()).isEqualTo("dev.ekubridge.agent.apps.Generated");
        assertThat(with.value("SLF4J_JAR")).as(with.describe()).endsWith("/app-libs/slf4j-api-2.0.17.jar");
        // the application's slf4j-simple keeps its own default format: the agent's logging settings did not leak into it
        assertThat(with.stderrLines()).as(with.describe()).contains("[main] INFO bundled-app - hello from the application's own SLF4J");
        assertThat(without.stderrLines()).as(without.describe()).contains("[main] INFO bundled-app - hello from the application's own SLF4J");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void aConfigFileNamedByTheAgentArgumentIsRead(Jdk jdk) throws Exception {
        Path config = Files.writeString(dir.resolve("ekubridge-" + jdk.name().replace(' ', '-') + ".properties"),
            "# operator's file\n"
                + "client.keystore=" + pki.clientIdentity().p12() + "\n"
                + "client.password=" + Pki.PASSWORD + "\n"
                + "inbound.eku=lenient\n");
        Outcome outcome = run(jdk, App.EXPLICIT_INIT, Jvm.javaagent("config=" + config));
        assertAccepted(outcome, pki.clientIdentity().serial(), pki.app().serial());
        assertInstalled(outcome, "serial " + pki.clientIdentity().serial(), "config file " + config, "inbound.eku=lenient");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void aSystemPropertyConfiguresTheAgentWithoutAgentArguments(Jdk jdk) {
        Outcome outcome = run(jdk, App.DEFAULT_CONTEXT, Jvm.javaagent(null), List.of("-Dekubridge.inbound.eku=lenient"), Map.of());
        assertAccepted(outcome, pki.app().serial(), pki.app().serial());
        assertInstalled(outcome, "inbound.eku=lenient");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void anEnvironmentVariableConfiguresTheAgentWithoutAgentArguments(Jdk jdk) {
        Outcome outcome = run(jdk, App.EXPLICIT_INIT, Jvm.javaagent(null), List.of(), Map.of("EKUBRIDGE_INBOUND_EKU", "lenient"));
        assertAccepted(outcome, pki.app().serial(), pki.app().serial());
        assertInstalled(outcome, "inbound.eku=lenient");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void agentArgumentsOverrideSystemProperties(Jdk jdk) {
        Outcome outcome = run(jdk, App.EXPLICIT_INIT, Jvm.javaagent("inbound.eku=strict"), List.of("-Dekubridge.inbound.eku=lenient"), Map.of());
        assertRefused(outcome);
        assertInstalled(outcome, "inbound.eku=strict");
    }
}
