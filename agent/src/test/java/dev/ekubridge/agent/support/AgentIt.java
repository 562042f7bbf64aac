package dev.ekubridge.agent.support;

import dev.ekubridge.testsupport.process.Jdk;
import java.nio.file.Path;
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
}
