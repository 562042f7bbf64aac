package dev.ekubridge.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import dev.ekubridge.agent.apps.ExplicitInitApp;
import dev.ekubridge.agent.support.AgentIt;
import dev.ekubridge.agent.support.Forked;
import dev.ekubridge.agent.support.Pki;
import dev.ekubridge.testsupport.process.Jdk;
import dev.ekubridge.testsupport.process.Jvm;
import dev.ekubridge.testsupport.process.Outcome;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each kind of invalid configuration stops the JVM at start, before the application's main runs,
 * with exit status 2 and one line on standard error naming the key, its source and the file; a valid
 * configuration prints one line saying what was installed.
 */
class AgentInvalidConfigIT extends AgentIt {
    private static final String PREFIX = "EKU Bridge agent: invalid configuration: ";
    /** A password that must never appear in any output. */
    private static final String WRONG_PASSWORD = "Wr0ng-Secret-4711";

    static Path badConfigFile;

    /** After {@link AgentIt}'s PKI. */
    @BeforeAll
    static void badConfigFile() throws Exception {
        badConfigFile = Files.writeString(dir.resolve("bad.properties"), "inbound.eku=loose\n");
    }

    /** An invalid configuration: how it is given, and what the one line must say. */
    record Invalid(String name, String agentArguments, List<String> jvmOptions, Map<String, String> environment,
            Function<Pki, List<String>> expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Invalid agentArguments(String name, String arguments, Function<Pki, List<String>> expected) {
        return new Invalid(name, arguments, List.of(), Map.of(), expected);
    }

    static Stream<Invalid> invalid() {
        return Stream.of(
            agentArguments("unknown key", "inbound.ekuu=lenient",
                p -> List.of("unknown key 'inbound.ekuu'", "(from agent argument inbound.ekuu)")),
            new Invalid("unknown key in a system property", null, List.of("-Dekubridge.inbound.ekuu=lenient"), Map.of(),
                p -> List.of("unknown key 'inbound.ekuu'", "(from system property -Dekubridge.inbound.ekuu)")),
            agentArguments("bad value", "inbound.eku=loose",
                p -> List.of("inbound.eku (from agent argument inbound.eku)", "'loose'")),
            agentArguments("bad log level", "log.level=verbose",
                p -> List.of("log.level (from agent argument log.level)", "'verbose'", "error, warn, info or debug")),
            new Invalid("bad value in an environment variable", null, List.of(), Map.of("EKUBRIDGE_INBOUND_EKU", "loose"),
                p -> List.of("inbound.eku (from environment variable EKUBRIDGE_INBOUND_EKU)", "'loose'")),
            new Invalid("bad value in the config file", null, List.of("-Dekubridge.config=" + badConfigFile), Map.of(),
                p -> List.of("inbound.eku", "config file " + badConfigFile, "'loose'")),
            agentArguments("missing config file", "config=/nonexistent/ekubridge.properties",
                p -> List.of("config (from agent argument config)", "/nonexistent/ekubridge.properties")),
            agentArguments("missing key store", "server.keystore=/nonexistent/server.p12,server.password=" + Pki.PASSWORD,
                p -> List.of("server.keystore /nonexistent/server.p12 (from agent argument server.keystore)", "no such file")),
            agentArguments("unusable key store", "server.keystore=" + dir.resolve("garbage.p12") + ",server.password=" + Pki.PASSWORD,
                p -> List.of("server.keystore " + p.garbage() + " (from agent argument server.keystore)", "not a PKCS#12 or JKS key store")),
            agentArguments("wrong password", "server.keystore=" + dir.resolve("app-ca2-serverauth.p12") + ",server.password=" + WRONG_PASSWORD,
                p -> List.of("server.keystore " + p.app().p12() + " (from agent argument server.keystore)", "wrong password")),
            agentArguments("certificate refused by an admission check",
                "client.keystore=" + dir.resolve("app-ca2-serverauth.p12") + ",client.password=" + Pki.PASSWORD,
                p -> List.of("client.keystore " + p.app().p12() + " (from agent argument client.keystore)", "client usage attribute",
                    "serial " + p.app().serial())));
    }

    static Stream<Arguments> jdksAndInvalid() {
        return Forked.jdks().flatMap(jdk -> invalid().map(invalid -> Arguments.of(jdk, invalid)));
    }

    private static Outcome run(Jdk jdk, String agentArguments, List<String> jvmOptions, Map<String, String> environment) {
        Forked.assumeInstalled(jdk);
        List<String> options = new ArrayList<>();
        options.add(Jvm.javaagent(agentArguments));
        options.addAll(jvmOptions);
        List<String> command = Forked.javaCommand(jdk, options, Forked.appClassPath(), ExplicitInitApp.class,
            pki.app().p12().toString(), pki.trustStore().toString(), Pki.PASSWORD);
        return Forked.run(command, environment, Duration.ofSeconds(40), dir);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("jdksAndInvalid")
    void anInvalidConfigurationStopsTheJvmWithOneClearLine(Jdk jdk, Invalid invalid) {
        Outcome outcome = run(jdk, invalid.agentArguments(), invalid.jvmOptions(), invalid.environment());
        System.out.println(jdk + " / " + invalid + ": " + outcome.stderr().strip());

        assertThat(outcome.exit()).as(outcome.describe()).isEqualTo(2);
        assertThat(outcome.stdout()).as("the application's main must not have run" + outcome.describe())
            .doesNotContain("APP_MAIN_RAN").isEmpty();
        assertThat(outcome.stderrLines()).as(outcome.describe()).hasSize(1);
        String line = outcome.stderrLines().get(0);
        assertThat(line).as(outcome.describe()).startsWith(PREFIX).contains(invalid.expected().apply(pki));
        assertThat(line).as("passwords are never printed").doesNotContain(WRONG_PASSWORD);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void aValidConfigurationPrintsOneLineSayingWhatWasInstalled(Jdk jdk) {
        Outcome outcome = run(jdk, "client.keystore=" + pki.clientIdentity().p12() + ",client.password=" + Pki.PASSWORD
            + ",inbound.eku=lenient", List.of(), Map.of());
        System.out.println(jdk + " / valid: " + outcome.stderr().strip());

        assertThat(outcome.exit()).as(outcome.describe()).isZero();
        assertThat(outcome.value("RESULT")).as(outcome.describe()).isEqualTo("OK");
        List<String> agentLines = outcome.stderrLines().stream().filter(line -> line.contains("ekubridge") || line.contains("EKU Bridge")).toList();
        assertThat(agentLines).as(outcome.describe()).hasSize(1);
        assertThat(agentLines.get(0)).as(outcome.describe())
            .contains("installed:", "server role application's key manager",
                "client role 'identity' (subject \"CN=client.example.test\" serial " + pki.clientIdentity().serial(),
                "inbound.eku=lenient")
            .doesNotContain(PREFIX).doesNotContain(Pki.PASSWORD);
    }
}
