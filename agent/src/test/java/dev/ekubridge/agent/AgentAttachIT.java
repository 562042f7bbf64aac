package dev.ekubridge.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.stream.Collectors;

import dev.ekubridge.agent.support.AgentIt;
import dev.ekubridge.agent.support.AttachTarget;
import dev.ekubridge.agent.support.Forked;
import dev.ekubridge.agent.support.Pki;
import dev.ekubridge.testsupport.process.Jdk;
import dev.ekubridge.testsupport.process.Jvm;
import dev.ekubridge.testsupport.process.Outcome;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code java -jar ekubridge-agent.jar attach PID ARGS} into a running application that has already
 * done TLS (so the JDK's context classes are loaded and must be retransformed), then the application
 * makes a new context; on JDK 21+ the target warns that an agent was loaded dynamically.
 */
class AgentAttachIT extends AgentIt {
    private static final String DYNAMIC_AGENT_WARNING = "WARNING: A Java agent has been loaded dynamically";

    private static boolean warnsAboutDynamicAgents(Jdk jdk) {
        return jdk != Jdk.JDK_17; // JDK 21 and later (JEP 451)
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void attachedWithLenientTheServerAuthOnlyClientIsAccepted(Jdk jdk) throws Exception {
        try (AttachTarget target = readyTarget(jdk, Map.of())) {
            assertThat(target.stdout()).as("before the agent, the JDK refuses" + target.describe())
                .contains("BEFORE_RESULT=FAIL ").doesNotContain("BEFORE_SERVER_SAW_CLIENT_SERIAL");

            Outcome attach = AttachTarget.attach(jdk, target.pid(), "inbound.eku=lenient", Map.of(), dir);
            target.assertLoaded(attach);

            Outcome outcome = target.sendLineAndAwaitAccepted(pki.app().serial());
            assertThat(outcome.value("CLIENT_SAW_SERVER_SERIAL")).as(outcome.describe()).isEqualTo(pki.app().serial());
            assertThat(outcome.stderrLines().stream().filter(line -> line.contains("installed:")))
                .as(outcome.describe()).singleElement().asString().contains("inbound.eku=lenient");

            String warning = outcome.stderrLines().stream().filter(line -> line.startsWith("WARNING:")).collect(Collectors.joining("\n"));
            System.out.println(jdk + " target's warning on attach:\n" + (warning.isEmpty() ? "(none)" : warning));
            if (warnsAboutDynamicAgents(jdk)) {
                assertThat(warning).as(outcome.describe())
                    .contains(DYNAMIC_AGENT_WARNING + " (" + Jvm.agentJar() + ")")
                    .contains("-XX:+EnableDynamicAgentLoading");
            } else {
                assertThat(warning).as(outcome.describe()).doesNotContain(DYNAMIC_AGENT_WARNING);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void attachingAnInvalidConfigurationFailsAndLeavesTheTargetUnchanged(Jdk jdk) throws Exception {
        try (AttachTarget target = readyTarget(jdk, Map.of())) {

            Outcome attach = AttachTarget.attach(jdk, target.pid(), "inbound.eku=loose", Map.of(), dir);
            System.out.println(jdk + " attach with an invalid configuration: " + attach.stderr().strip());
            assertThat(attach.exit()).as(attach.describe()).isEqualTo(2);
            assertThat(attach.stderrLines()).as(attach.describe()).singleElement().asString()
                .contains("inbound.eku (from agent argument inbound.eku)", "'loose'");
            assertThat(target.isAlive()).as("the target keeps running" + target.describe()).isTrue();

            Outcome outcome = target.sendLineAndAwaitEnd();
            assertThat(outcome.stdout()).as(outcome.describe()).contains("GOT_LINE=go");
            assertThat(outcome.exit()).as("the JDK still refuses, as before" + outcome.describe()).isEqualTo(1);
            assertThat(outcome.value("RESULT")).as(outcome.describe())
                .startsWith("FAIL").contains("Extended key usage does not permit use for TLS client authentication");
            assertThat(outcome.stderr()).as("no agent was loaded" + outcome.describe())
                .doesNotContain("EKU Bridge").doesNotContain("ekubridge.agent -").doesNotContain("dev.ekubridge.agent.shaded").doesNotContain(DYNAMIC_AGENT_WARNING);
        }
    }
}
