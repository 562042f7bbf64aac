package dev.ekubridge.it.netty;

import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * What this package's ITs share: the class's {@link NettyPki}, made once under the test class's name, and how long
 * they wait for an application's report ({@link #WAIT}) and for the agent's log line ({@link #LOG_WAIT}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class NettyTest {
    static final Duration WAIT = Duration.ofSeconds(20);
    static final Duration LOG_WAIT = Duration.ofSeconds(10);

    NettyPki pki;

    @BeforeAll
    void pki() {
        pki = new NettyPki(getClass().getSimpleName());
    }
}
