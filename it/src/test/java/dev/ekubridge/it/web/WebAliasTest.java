package dev.ekubridge.it.web;

import dev.ekubridge.it.support.Work;
import dev.ekubridge.testsupport.process.Jdk;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * What the web server alias tests ({@link JettyAliasIT}, {@link TomcatAliasIT}) share: the class's PKI, made once,
 * the checks its requests go through, and the table of those requests, written when the class ends
 * ({@code target/it-work/<Class>-table.md}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class WebAliasTest {
    private final String testClass;
    private final String title;
    private final WebTable table = new WebTable();
    WebPki pki;
    WebChecks checks;

    WebAliasTest(String testClass, String title) {
        this.testClass = testClass;
        this.title = title;
    }

    @BeforeAll
    void pki() {
        pki = new WebPki(Work.dir(testClass, "pki"));
        checks = new WebChecks(pki, table);
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
