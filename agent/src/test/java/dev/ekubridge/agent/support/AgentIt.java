package dev.ekubridge.agent.support;

import dev.ekubridge.testsupport.process.Jdk;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every agent integration test starts from: a temporary directory holding the source document's
 * {@link Pki}, and the JDKs to run the applications on ({@code @MethodSource("jdks")}).
 */
public abstract class AgentIt {
    @TempDir
    protected static Path dir;
    protected static Pki pki;

    @BeforeAll
    static void createPki() throws Exception {
        pki = Pki.create(dir);
    }

    protected static Stream<Jdk> jdks() {
        return Forked.jdks();
    }

    /**
     * An {@link AttachTarget} on {@code jdk} with {@code environment}, started and waiting for an attach (the test
     * is skipped where that JDK is not installed); closed here if it never gets ready.
     */
    protected static AttachTarget readyTarget(Jdk jdk, Map<String, String> environment) {
        Forked.assumeInstalled(jdk);
        AttachTarget target = new AttachTarget(jdk, pki, dir, environment);
        try {
            target.awaitReady();
        } catch (RuntimeException | Error e) {
            target.close();
            throw e;
        }
        return target;
    }
}
