package dev.ekubridge.it.netty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ekubridge.it.support.AgentLog;
import dev.ekubridge.it.support.Work;
import dev.ekubridge.testsupport.process.Jdk;
import dev.ekubridge.testsupport.process.Processes;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The factory retrofit on its own (issue 9; no Netty needed, but it is the path Netty's OpenSSL engine takes): under
 * the agent every {@code KeyManagerFactory.getKeyManagers()} and {@code TrustManagerFactory.getTrustManagers()} hands
 * out EKU Bridge's managers; asking 200,000 times keeps nothing alive; and a context initialised with what the
 * factories handed out is retrofitted once, not twice: one key choice per role and one trust decision per
 * direction for its one handshake.
 */
class NettyFactoryRetrofitIT extends NettyTest {
    static final int ITERATIONS = 200_000;
    static final long MAX_GROWTH = 2L * 1024 * 1024;
    static final String SHADED = "dev.ekubridge.agent.shaded.";

    @ParameterizedTest(name = "JDK {0}: 200,000 factory calls under the agent, then SSLContext.init with their managers")
    @EnumSource(Jdk.class)
    void factoryManagersAreEkuBridgesKeepNothingAliveAndAreWrappedOnce(Jdk jdk) {
        Path dir = Work.dir("NettyFactoryRetrofitIT", jdk.name());
        try (Processes processes = new Processes()) {
            AppProcess app = AppProcess.start(processes, dir, "factory-app", jdk, FactoryApp.class, pki.agentWithClientIdentity(),
                List.of("-Xmx64m"), NettyPki.concat(pki.appTls(), new String[] {"--iterations", String.valueOf(ITERATIONS)}));
            Map<String, String> printed = app.finish();
            String transcript = app.transcript();

            assertThat(printed.get("KEY_MANAGER_CLASS")).as(transcript).isEqualTo(SHADED + "ekubridge.RoleAwareKeyManager");
            assertThat(printed.get("TRUST_MANAGER_CLASS")).as(transcript).isEqualTo(SHADED + "ekubridge.EkuPolicyTrustManager");
            assertThat(printed.get("DIFFERENT_CLASSES")).isEqualTo("0");
            assertThat(printed.get("ITERATIONS")).isEqualTo(String.valueOf(ITERATIONS));
            assertThat(Long.parseLong(printed.get("HEAP_GROWTH"))).as("heap in use after GC grew by\n%s", transcript)
                .isLessThan(MAX_GROWTH);

            // the context made from the factories' managers: the agent's client identity, the application's server certificate
            assertThat(printed.get("RESULT")).as(transcript).isEqualTo("OK");
            assertThat(printed.get("CLIENT_PRESENTED")).isEqualTo(pki.agentClient.serialHex());
            assertThat(printed.get("SERVER_SAW_CLIENT_SERIAL")).isEqualTo(pki.agentClient.serialHex());
            assertThat(printed.get("SERVER_PRESENTED")).isEqualTo(pki.appServer.serialHex());
            assertThat(printed.get("CLIENT_SAW_SERVER_SERIAL")).isEqualTo(pki.appServer.serialHex());
            // ... through one RoleAwareKeyManager and one policy (two would log twice)
            List<String> choices = app.handshakeLines().stream().filter(l -> l.contains(" role: presenting")).toList();
            assertThat(choices).as("one key choice per role\n%s", transcript).hasSize(2);
            assertThat(choices).filteredOn(l -> l.contains("client role: presenting 'agent-client'")).hasSize(1);
            assertThat(choices).filteredOn(l -> l.contains("server role: presenting the application's 'app-server'")).hasSize(1);
            assertThat(app.decisions()).as("one trust decision per direction\n%s", transcript)
                .extracting(AgentLog.Decision::direction).containsExactlyInAnyOrder("inbound", "outbound");
        }
    }
}
