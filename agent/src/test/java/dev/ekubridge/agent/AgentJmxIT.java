package dev.ekubridge.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.tools.attach.VirtualMachine;
import dev.ekubridge.agent.apps.AttachTargetApp;
import dev.ekubridge.agent.support.AgentIt;
import dev.ekubridge.agent.support.Forked;
import dev.ekubridge.agent.support.Pki;
import dev.ekubridge.testsupport.process.Jdk;
import dev.ekubridge.testsupport.process.Jvm;
import dev.ekubridge.testsupport.process.ManagedProcess;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The agent's MBean, read over a real JMX connection from a forked JVM: an unmodified application under
 * {@code -javaagent:...=inbound.eku=lenient} does mutual TLS with itself, presenting its serverAuth-only
 * certificate; its JVM's management agent is started through the attach API and the test reads
 * {@code dev.ekubridge:type=EkuBridge} as any JMX console would.
 */
class AgentJmxIT extends AgentIt {
    private static final Duration WAIT = Duration.ofSeconds(40);

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void theMBeanCountsWhatTheTrustManagersDecidedAndCanBeReset(Jdk jdk) throws Exception {
        Forked.assumeInstalled(jdk);
        List<String> command = Forked.javaCommand(jdk, List.of(Jvm.javaagent("inbound.eku=lenient")), Forked.appClassPath(),
            AttachTargetApp.class, pki.app().p12().toString(), pki.trustStore().toString(), Pki.PASSWORD);
        try (ManagedProcess app = ManagedProcess.start("jmx-target", command, dir, dir.resolve("jmx-" + jdk.feature() + ".log"),
                Map.of(), true)) {
            assertThat(app.awaitOut(0, "READY"::equals, WAIT)).as(app.transcript()).isPresent();
            assertThat(app.outcome().stdout()).as("the exchange before READY succeeded").contains("BEFORE_RESULT=OK");

            VirtualMachine vm = VirtualMachine.attach(Long.toString(app.pid()));
            String address;
            try {
                address = vm.startLocalManagementAgent();
            } finally {
                vm.detach();
            }
            try (JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(address))) {
                MBeanServerConnection server = connector.getMBeanServerConnection();
                ObjectName name = new ObjectName("dev.ekubridge:type=EkuBridge");
                long deadline = System.nanoTime() + WAIT.toNanos();
                while (!server.isRegistered(name) && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                assertThat(server.isRegistered(name)).as("the agent registered its MBean\n" + app.transcript()).isTrue();
                assertThat(server.getAttribute(name, "InboundEku")).isEqualTo("inbound.eku=lenient");
                // the application's own serverAuth-only certificate, accepted as a client only because the mode is lenient
                assertThat(server.getAttribute(name, "InboundAcceptedOnlyBecauseRelaxed")).isEqualTo(1L);
                assertThat(server.getAttribute(name, "InboundAccepted")).isEqualTo(0L);
                assertThat(server.getAttribute(name, "InboundRefusedByEkuRule")).isEqualTo(0L);
                assertThat(server.getAttribute(name, "OutboundAccepted")).isEqualTo(1L);
                assertThat((String[]) server.getAttribute(name, "Identities")).as("the application's key manager serves both roles")
                    .isEmpty();
                server.invoke(name, "resetCounters", null, null);
                assertThat(server.getAttribute(name, "InboundAcceptedOnlyBecauseRelaxed")).isEqualTo(0L);
            }
        }
    }
}
