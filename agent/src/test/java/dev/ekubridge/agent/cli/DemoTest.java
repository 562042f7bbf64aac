package dev.ekubridge.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Plays the demo once (real TLS over 127.0.0.1) and checks the table against the scenario
 * table of docs/scenarios.md: the outcomes it gives, and the serials that show which identity each
 * node presented in which role.
 */
class DemoTest {
    private static final Pattern COLUMNS = Pattern.compile("\\s{2,}");
    private static String output;
    private static int status;
    private static List<Row> rows;

    /** One row of the table. */
    record Row(String scenario, String mode, String link, String clientSerial, String serverSerial, String verdict,
            String expected, String match, String reason) {
    }

    @BeforeAll
    static void playOnce() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            status = Demo.run(out);
        }
        output = bytes.toString(StandardCharsets.UTF_8);
        rows = parse(output);
    }

    private static List<Row> parse(String text) {
        List<Row> parsed = new ArrayList<>();
        for (String line : text.split("\n")) {
            String[] c = COLUMNS.split(line.strip());
            if (c.length >= 8 && c[1].matches("(strict|lenient)\\*?") && c[5].matches("UP|DOWN")) {
                parsed.add(new Row(c[0], c[1].replace("*", ""), c[2], c[3], c[4], c[5], c[6], c[7], c.length > 8 ? c[8] : ""));
            }
        }
        return parsed;
    }

    private static Row row(String scenario, String mode, String link) {
        Optional<Row> found = rows.stream()
            .filter(r -> r.scenario().equals(scenario) && r.mode().equals(mode) && r.link().equals(link))
            .findFirst();
        assertThat(found).as("row %s / %s / %s in%n%s", scenario, mode, link, output).isPresent();
        return found.get();
    }

    @Test
    void everyLinkMatchesTheSpecAndTheExitStatusSaysSo() {
        assertThat(status).as(output).isZero();
        assertThat(rows).as(output).hasSize(36);
        assertThat(rows).allSatisfy(r -> {
            assertThat(r.verdict()).as(r.toString()).isEqualTo(r.expected());
            assertThat(r.match()).as(r.toString()).isEqualTo("ok");
        });
        assertThat(output).contains("36 of 36 links as expected");
    }

    @Test
    void everyScenarioIsPlayedInBothModes() {
        for (String scenario : new String[] {"1 upgrade", "2/test 1", "2/test 2", "2.1 success", "3 private", "4 edge public"}) {
            for (String mode : new String[] {"strict", "lenient"}) {
                assertThat(rows).as("%s %s in%n%s", scenario, mode, output)
                    .anyMatch(r -> r.scenario().equals(scenario) && r.mode().equals(mode));
            }
        }
    }

    @Test
    void test1StrictTraversalFailsBecauseTheEdgeRefusesCoresServerAuthOnlyClientCertificate() {
        Row sip = row("2/test 1", "strict", "Core->Edge SIP/TLS");
        assertThat(sip.verdict()).isEqualTo("DOWN");
        assertThat(sip.reason()).isEqualTo("Edge refused Core's client cert: no clientAuth (inbound.eku=strict)");
        // Core presented its server certificate as client certificate (client.identity=server), and the
        // refusal was seen by the Edge: the serial is what the server was shown.
        assertThat(sip.clientSerial()).isEqualTo("201");
        assertThat(sip.serverSerial()).isEqualTo("202");
    }

    @Test
    void test2LenientTraversalIsUpButTheSshTunnelStillFails() {
        Row sip = row("2/test 2", "lenient", "Core->Edge SIP/TLS");
        assertThat(sip.verdict()).isEqualTo("UP");
        Row ssh = row("2/test 2", "lenient", "Core->Edge:2222 SSH tunnel");
        assertThat(ssh.verdict()).isEqualTo("DOWN");
        assertThat(ssh.reason()).contains("Edge:2222 refused Core's client cert: no clientAuth");
        // The document's own mode for test 2 is Off, marked with an asterisk.
        assertThat(output).containsPattern("2/test 2\\s+lenient\\*\\s+Core->Edge SIP/TLS");
    }

    @Test
    void successCaseIsUpInBothModesAndCorePresentsItsClientIdentityAsClient() {
        for (String mode : new String[] {"strict", "lenient"}) {
            for (String link : new String[] {"Core->Edge SIP/TLS", "Core->Edge:2222 SSH tunnel"}) {
                Row r = row("2.1 success", mode, link);
                assertThat(r.verdict()).as(r.toString()).isEqualTo("UP");
                // 211 is Core's CA1 client certificate, 212 its CA2 server certificate: the role decides.
                assertThat(r.clientSerial()).as(r.toString()).isEqualTo("211");
                assertThat(r.serverSerial()).as(r.toString()).isEqualTo("213");
            }
        }
        assertThat(rows).noneMatch(r -> r.scenario().equals("2.1 success") && r.clientSerial().equals("212"));
    }

    @Test
    void edgePublicReachesOnlyThePeerThatDoesNotRequireClientAuth() {
        for (String mode : new String[] {"strict", "lenient"}) {
            Row mtls = row("4 edge public", mode, "Edge->ext (mTLS, strict)");
            assertThat(mtls.verdict()).isEqualTo("DOWN");
            assertThat(mtls.reason()).isEqualTo("ext refused Edge's client cert: no clientAuth (JDK check)");
            assertThat(mtls.clientSerial()).as("the Edge's server certificate, copied to its client role").isEqualTo("403");
            Row plain = row("4 edge public", mode, "Edge->ext (no client auth)");
            assertThat(plain.verdict()).isEqualTo("UP");
            assertThat(plain.clientSerial()).isEqualTo("none");
            assertThat(row("4 edge public", mode, "Core->Edge SIP/TLS").verdict()).isEqualTo("UP");
        }
    }

    @Test
    void privateCaIsUpOnlyWhereThePeerTrustsCa1() {
        assertThat(row("3 private", "strict", "Edge->ext (trusts CA1)").verdict()).isEqualTo("UP");
        assertThat(row("3 private", "strict", "Edge->ext (public roots)").verdict()).isEqualTo("DOWN");
        Row mra = row("3 private", "strict", "MRA->Edge (public roots)");
        assertThat(mra.verdict()).isEqualTo("DOWN");
        assertThat(mra.reason()).contains("MRA refused Edge's server cert").contains("CA1");
    }

    @Test
    void upgradeKeepsEveryLinkUpAndSaysTheClientRoleIsTheUpgradeDefault() {
        assertThat(rows.stream().filter(r -> r.scenario().equals("1 upgrade")))
            .isNotEmpty()
            .allSatisfy(r -> {
                assertThat(r.verdict()).isEqualTo("UP");
                assertThat(r.reason()).contains("upgrade default");
            });
        // Core's one certificate is presented in both roles.
        Row sip = row("1 upgrade", "strict", "Core->Edge SIP/TLS");
        assertThat(sip.clientSerial()).isEqualTo("101");
    }

    @Test
    void theTableIsAsciiWithFixedColumns() {
        assertThat(output.chars().allMatch(c -> c == '\n' || c == '\r' || (c >= 0x20 && c < 0x7f))).isTrue();
        int linkColumn = -1;
        for (String line : output.split("\n")) {
            if (line.startsWith("2/test 1") || line.startsWith("4 edge public")) {
                int at = line.indexOf("Core->Edge");
                if (at >= 0) {
                    if (linkColumn < 0) {
                        linkColumn = at;
                    }
                    assertThat(at).as(line).isEqualTo(linkColumn);
                }
            }
        }
        assertThat(linkColumn).isPositive();
    }
}
