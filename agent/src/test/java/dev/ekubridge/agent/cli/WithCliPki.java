package dev.ekubridge.agent.cli;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** A test class that needs the scenarios' PKI ({@link CliPki}): generated once per class into its temporary directory. */
abstract class WithCliPki {
    @TempDir
    static Path dir;
    static CliPki pki;

    @BeforeAll
    static void pki() {
        pki = new CliPki(dir.resolve("pki"));
    }
}
