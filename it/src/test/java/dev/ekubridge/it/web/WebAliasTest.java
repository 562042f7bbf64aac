package dev.ekubridge.it.web;

import dev.ekubridge.it.support.Work;
import dev.ekubridge.testsupport.process.Jdk;
import dev.ekubridge.testsupport.process.Processes;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What the web server alias tests ({@link JettyAliasIT}, {@link TomcatAliasIT}) share: the class's PKI, made once,
 * the checks its requests go through, the table of those requests, written when the class ends
 * ({@code target/it-work/<Class>-table.md}), and each test's {@link #processes}, stopped when the test ends.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class WebAliasTest {
    private final String testClass;
    private final String title;
    private final WebTable table = new WebTable();
    WebPki pki;
    WebChecks checks;
    /** The server processes of the test running now; all stopped when it ends, also when it fails. */
    Processes processes;

    /** A test run once on each {@link Jdk}, named by it. */
    @Target(ElementType.METHOD)
    @Retention(RetentionPolicy.RUNTIME)
    @ParameterizedTest(name = "{0}")
    @EnumSource(Jdk.class)
    @interface OnEachJdk {
    }

    WebAliasTest(String testClass, String title) {
        this.testClass = testClass;
        this.title = title;
    }

    @BeforeAll
    void pki() {
        pki = new WebPki(Work.dir(testClass, "pki"));
        checks = new WebChecks(pki, table);
    }

    @BeforeEach
    void newProcesses() {
        processes = new Processes();
    }

    @AfterEach
    void stopProcesses() {
        processes.close();
    }

    @AfterAll
    void writeTable() {
        table.write(Work.root().resolve(testClass + "-table.md"), testClass + ": " + title);
    }

    /** A fresh directory for one test on one JDK. */
    Path dir(String test, Jdk jdk) {
        return Work.dir(testClass, test, jdk.name());
    }
}
