package dev.ekubridge.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ekubridge.agent.apps.RotatingServiceApp;
import dev.ekubridge.agent.support.AgentIt;
import dev.ekubridge.agent.support.AttachTarget;
import dev.ekubridge.agent.support.Forked;
import dev.ekubridge.agent.support.Pki;
import dev.ekubridge.testsupport.pki.Issued;
import dev.ekubridge.testsupport.pki.KeyKind;
import dev.ekubridge.testsupport.pki.LeafEku;
import dev.ekubridge.testsupport.pki.TestPki;
import dev.ekubridge.testsupport.process.Jdk;
import dev.ekubridge.testsupport.process.Jvm;
import dev.ekubridge.testsupport.process.ManagedProcess;
import dev.ekubridge.testsupport.process.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Certificate rotation in a running service with the agent: {@code java -jar ekubridge-agent.jar attach PID reload}
 * makes the installed agent reload its files and prints one line saying what happened; the service's context, made
 * before, presents the new client identity from its next handshake on. A bad file is refused, the previous identity
 * stays, and the command says so (exit 1). With {@code reload.seconds} the agent notices by itself.
 */
class AgentReloadIT extends AgentIt {
    private static final Duration WAIT = Duration.ofSeconds(40);

    /** A new client identity (CA1's issuer is the one the service trusts): written over the configured client.keystore. */
    private static Issued newClientIdentity() {
        return pki.ca1().leaf("CN=client-rotated.example.test").eku(LeafEku.BOTH).keyPair(KeyKind.EC_P256.freshKeyPair()).issue();
    }

    private static ManagedProcess start(Jdk jdk, Path clientStore, String extraArguments, String name) {
        String arguments = "client.keystore=" + clientStore + ",client.password=" + Pki.PASSWORD + extraArguments;
        List<String> command = Forked.javaCommand(jdk, List.of(Jvm.javaagent(arguments)), Forked.appClassPath(), RotatingServiceApp.class,
            pki.app().p12().toString(), pki.trustStore().toString(), Pki.PASSWORD);
        ManagedProcess process = ManagedProcess.start(name, command, dir, dir.resolve(name + "-" + System.nanoTime() + ".log"), Map.of(), true);
        assertThat(process.awaitOut(0, "READY"::equals, WAIT)).as("READY" + process.outcome().describe()).isPresent();
        return process;
    }

    /** One exchange with the service's one context; the serial its client role presented. */
    private static String round(ManagedProcess process, int round) {
        int from = process.outSize();
        process.send("go");
        Optional<String> done = process.awaitOut(from, ("ROUND" + round + "_DONE")::equals, WAIT);
        assertThat(done).as("round " + round + process.outcome().describe()).isPresent();
        Map<String, String> values = process.outcome().values();
        assertThat(values.get("ROUND" + round + "_RESULT")).as(process.outcome().describe()).isEqualTo("OK");
        return values.get("ROUND" + round + "_SERVER_SAW_CLIENT_SERIAL");
    }

    private static Path copyOfClientStore(String name) throws Exception {
        return Files.copy(pki.clientIdentity().p12(), dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void attachReloadPutsTheNewIdentityInServiceAndRefusesABadFile(Jdk jdk) throws Exception {
        Forked.assumeInstalled(jdk);
        Path clientStore = copyOfClientStore("client-" + jdk + ".p12");
        try (ManagedProcess service = start(jdk, clientStore, "", "rotating-" + jdk)) {
            assertThat(round(service, 1)).as("before: the configured client identity").isEqualTo(pki.clientIdentity().serial());

            Issued rotated = newClientIdentity();
            TestPki.writePkcs12(clientStore, Pki.PASSWORD.toCharArray(), "identity", rotated.privateKey(), rotated.chainWithRoot());
            Outcome reloaded = AttachTarget.attach(jdk, service.pid(), "reload", Map.of(), dir);
            System.out.println(jdk + " attach reload: " + reloaded.stdout().strip());
            assertThat(reloaded.exit()).as(reloaded.describe()).isZero();
            assertThat(reloaded.stdout().strip().lines()).as(reloaded.describe()).singleElement().asString()
                .startsWith("JVM " + service.pid() + ": reloaded client.keystore " + clientStore)
                .contains(rotated.serialHex());
            assertThat(round(service, 2)).as("the same context, after the reload").isEqualTo(rotated.serialHex());

            Outcome unchanged = AttachTarget.attach(jdk, service.pid(), "reload", Map.of(), dir);
            assertThat(unchanged.exit()).as(unchanged.describe()).isZero();
            assertThat(unchanged.stdout()).as(unchanged.describe()).contains("no certificate file changed");

            Files.copy(pki.garbage(), clientStore, StandardCopyOption.REPLACE_EXISTING);
            Outcome refused = AttachTarget.attach(jdk, service.pid(), "reload", Map.of(), dir);
            System.out.println(jdk + " attach reload of garbage: " + refused.stdout().strip());
            assertThat(refused.exit()).as(refused.describe()).isEqualTo(1);
            assertThat(refused.stdout().strip().lines()).singleElement().asString()
                .contains("reload of client.keystore " + clientStore).contains("the certificates in service are kept")
                .doesNotContain(Pki.PASSWORD);
            assertThat(round(service, 3)).as("the previous identity stays in service").isEqualTo(rotated.serialHex());
            assertThat(service.outcome().stderr()).as("refusal logged once in the service").containsOnlyOnce("refused, the certificates in service are kept");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void withReloadSecondsTheAgentNoticesByItself(Jdk jdk) throws Exception {
        Forked.assumeInstalled(jdk);
        Path clientStore = copyOfClientStore("client-timer-" + jdk + ".p12");
        try (ManagedProcess service = start(jdk, clientStore, ",reload.seconds=1", "rotating-timer-" + jdk)) {
            assertThat(service.outcome().stderr()).contains("certificate files checked every 1 s");
            assertThat(round(service, 1)).isEqualTo(pki.clientIdentity().serial());

            Issued rotated = newClientIdentity();
            int from = service.errSize();
            TestPki.writePkcs12(clientStore, Pki.PASSWORD.toCharArray(), "identity", rotated.privateKey(), rotated.chainWithRoot());
            assertThat(service.awaitErr(from, line -> line.contains("reloaded client.keystore"), Duration.ofSeconds(10)))
                .as("the agent's log says it reloaded" + service.outcome().describe()).isPresent();
            assertThat(round(service, 2)).isEqualTo(rotated.serialHex());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void reloadWhereNoAgentIsInstalledSaysSo(Jdk jdk) throws Exception {
        try (AttachTarget target = readyTarget(jdk, Map.of())) {
            Outcome reload = AttachTarget.attach(jdk, target.pid(), "reload", Map.of(), dir);
            assertThat(reload.exit()).as(reload.describe()).isEqualTo(1);
            assertThat(reload.stdout()).as(reload.describe()).contains("not installed in this JVM: nothing to reload");
        }
    }
}
