package dev.ekubridge.it;

import dev.ekubridge.it.support.Pki.Leaf;
import dev.ekubridge.it.support.Work;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * What the ITs in which unmodified JAIN-SIP nodes meet one kind of external peer ({@link KamailioIT},
 * {@link OpenSslIT}) share: how long they wait, the class's {@link SipNodePki} (made once, before the subclass's own
 * {@code @BeforeAll} adds the peer's certificates) and the table of the links tried, written when the class ends
 * ({@code target/it-work/<Class>-table.md}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SipPeerTest {
    static final Duration UP_WAIT = Duration.ofSeconds(10);
    static final Duration DOWN_WAIT = Duration.ofSeconds(3);
    static final Duration LOG_WAIT = Duration.ofSeconds(10);

    final ScenarioTable table = new ScenarioTable();
    private final String title;
    SipNodePki pki;
    Leaf nodeServer;
    Leaf nodeClient;

    SipPeerTest(String title) {
        this.title = title;
    }

    @BeforeAll
    void nodePki() {
        pki = new SipNodePki(getClass().getSimpleName());
        nodeServer = pki.nodeServer;
        nodeClient = pki.nodeClient;
    }

    @AfterAll
    void writeTable() {
        String testClass = getClass().getSimpleName();
        table.write(Work.root().resolve(testClass + "-table.md"), testClass + ": " + title);
    }
}
