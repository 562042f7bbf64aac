package dev.ekubridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.ekubridge.testing.LogCapture;
import dev.ekubridge.testing.LogCapture.Captured;
import dev.ekubridge.testsupport.corpus.MalformedCorpus;
import dev.ekubridge.testsupport.corpus.MalformedCorpus.Case;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every case of the malformed-input corpus ({@code src/test/resources/malformed/}) through the library, as
 * an application that reads its configuration would: {@link EkuBridgeConfig#load}, {@link EkuBridgeConfig#logFile()}
 * and {@link EkuBridge#fromConfig}. Each must throw an {@link EkuBridgeException} (nothing else) whose message
 * is one line, names the key and the file, and holds no secret; neither may any message of its causes nor
 * anything logged meanwhile; and it must finish in bounded time (a FIFO used to block forever).
 */
class MalformedInputCorpusTest {
    private static final Duration BOUND = Duration.ofSeconds(20);

    @TempDir
    static Path dir;

    static Stream<Case> corpus() {
        return MalformedCorpus.prepare(dir.resolve("corpus")).stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void eachBadInputIsOneEkuBridgeExceptionNamingKeyAndFileWithoutASecret(Case c) {
        Assumptions.assumeTrue(c.available(), c.unavailable());
        Map<String, String> environment = Collections.emptyMap(); // the forked JVM's locale does not apply in process

        Captured<Throwable> run = assertTimeoutPreemptively(BOUND, () -> LogCapture.capture(() -> {
            try {
                EkuBridgeConfig config = EkuBridgeConfig.load(c.arguments(), Collections.emptyMap(), environment);
                config.logFile();
                EkuBridge.fromConfig(config);
                return null;
            } catch (Throwable t) {
                return t;
            }
        }), c + " must finish within " + BOUND);

        Throwable thrown = run.result();
        assertThat(thrown).as("%s (%s): the library refuses it", c, c.finding()).isNotNull();
        assertThat(thrown).as("%s: only EkuBridgeException leaves the library, got %s", c, thrown).isInstanceOf(EkuBridgeException.class);
        String message = thrown.getMessage();
        System.out.println(c + ": " + message);
        assertThat(MalformedCorpus.rawControlIn(message)).as("%s: the message is one printable line: %s", c, message).isNull();
        assertThat(message).as(c.toString()).contains(c.expected());
        for (String text : texts(thrown)) {
            assertThat(MalformedCorpus.secretIn(text)).as("%s: a secret in %s", c, text).isNull();
        }
        assertThat(MalformedCorpus.secretIn(run.text())).as("%s: a secret in the log: %s", c, run.text()).isNull();
    }

    /** The message and string form of the exception and of every cause and suppressed exception. */
    private static List<String> texts(Throwable thrown) {
        List<String> texts = new ArrayList<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Throwable> pending = new ArrayList<>(List.of(thrown));
        while (!pending.isEmpty()) {
            Throwable t = pending.remove(pending.size() - 1);
            if (t == null || !seen.add(t)) {
                continue;
            }
            texts.add(String.valueOf(t.getMessage()));
            texts.add(t.toString());
            pending.add(t.getCause());
            pending.addAll(List.of(t.getSuppressed()));
        }
        return texts;
    }
}
