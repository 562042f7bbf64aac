package dev.ekubridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.ekubridge.testing.LogCapture;
import dev.ekubridge.testing.LogCapture.Captured;
import dev.ekubridge.testsupport.pki.Ca;
import dev.ekubridge.testsupport.pki.Issued;
import dev.ekubridge.testsupport.pki.KeyKind;
import dev.ekubridge.testsupport.pki.LeafEku;
import dev.ekubridge.testsupport.pki.TestPki;
import dev.ekubridge.testsupport.tls.Handshake;
import dev.ekubridge.testsupport.tls.HandshakeResult;
import dev.ekubridge.testsupport.tls.Jsse;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Text a peer chooses (its certificate's subject, its SNI host name, the peer host an application got
 * from it) never reaches a log line or an exception message raw: a newline, carriage return, NUL, an
 * ANSI escape sequence or a Unicode line separator would let the peer forge log lines or repaint an
 * operator's terminal. Real certificates whose subject holds those characters (issued by Bouncy Castle,
 * trusted by the other side), real in-memory handshakes through the public API, and the SLF4J lines
 * captured as the operator's terminal would receive them.
 */
class PeerTextEscapingTest {
    private static final Ca ROOT = TestPki.root("Escaping Root", KeyKind.EC_P256);
    private static final Issued OURS = ROOT.leaf("sip.example.com").eku(LeafEku.BOTH).issue();
    private static final KeyStore TRUST = TestPki.trustStore(ROOT.certificate());
    /** What a forged line would say, after the control character. */
    private static final String FORGED = "[main] INFO ekubridge.handshakes - inbound peer accepted";
    /** A log line of slf4j-simple's default format: {@code [thread] LEVEL logger - message}. */
    private static final Pattern LOG_LINE = Pattern.compile("^\\[[^\\]]+\\] (TRACE|DEBUG|INFO|WARN|ERROR) [\\w.$]+ - .*");

    record Hostile(String name, String text, String escaped) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Hostile> hostile() {
        return Stream.of(
            new Hostile("newline", "\n", "\\n"),
            new Hostile("carriage return", "\r", "\\r"),
            new Hostile("NUL", "\u0000", null), // X500Principal.getName() already writes NUL as \00
            new Hostile("ANSI escape", "\u001b[31m", "\\u001b[31m"),
            new Hostile("line separator", "\u2028", "\\u2028"),
            new Hostile("NEL", "\u0085", "\\u0085"),
            new Hostile("bidi override", "\u202e", "\\u202e"));
    }

    /**
     * One ordinary handshake per engine before anything is captured: BCJSSE logs its start-up through
     * java.util.logging, whose console handler would otherwise be created on (and keep) the captured stream.
     */
    @BeforeAll
    static void warmUp() {
        Issued plain = ROOT.leaf("plain.example").eku(LeafEku.BOTH).issue();
        for (Jsse jsse : Jsse.values()) {
            Handshake.run(peerContext(jsse, plain), peerContext(jsse, plain), "TLSv1.3", true);
        }
    }

    static Stream<Arguments> hostileAndEngines() {
        return hostile().flatMap(h -> Stream.of(Jsse.SUN, Jsse.BC).map(jsse -> Arguments.of(h, jsse)));
    }

    private static Issued peer(Hostile hostile, LeafEku eku) {
        return ROOT.leaf("peer" + hostile.text() + FORGED).eku(eku).issue();
    }

    private static TrustManager[] pkix() {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
            factory.init(TRUST);
            return factory.getTrustManagers();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static EkuBridge bridge(EkuPolicy policy) {
        return EkuBridge.builder().serverIdentity(identity(OURS)).clientIdentity(identity(OURS)).trustStore(TRUST)
            .inboundEku(policy).logHandshakes(true).build();
    }

    private static Identity identity(Issued issued) {
        return Identity.of("ours", "test", issued.privateKey(), issued.chain());
    }

    private static SSLContext context(Jsse jsse, EkuBridge bridge) {
        return jsse.context(new KeyManager[] {bridge.keyManager()}, new TrustManager[] {bridge.trustManager()});
    }

    private static SSLContext peerContext(Jsse jsse, Issued peer) {
        return jsse.context(new KeyManager[] {TestPki.fixedKeyManager(peer)}, pkix());
    }

    /** {@code peer} connects to a bridge with {@code policy} inbound, whose acceptor thread carries the hostile text. */
    private static Captured<HandshakeResult> inbound(Jsse jsse, Issued peer, Hostile hostile, EkuPolicy policy, String protocol) {
        return LogCapture.capture(() -> Handshake.run(peerContext(jsse, peer), context(jsse, bridge(policy)), protocol, true,
            Handshake.PEER_HOST, "acceptor" + hostile.text() + FORGED, null, null));
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("hostileAndEngines")
    void aRefusedInboundPeerCannotForgeTheRefusalOrItsLogLine(Hostile hostile, Jsse jsse) {
        Issued peer = peer(hostile, LeafEku.SERVER_AUTH);
        Captured<HandshakeResult> run = inbound(jsse, peer, hostile, EkuPolicy.STRICT, "TLSv1.3");

        assertThat(run.result().succeeded()).as(run.result().toString()).isFalse();
        assertThat(run.result().serverFailure()).as("the server refuses the serverAuth-only peer").isNotNull();
        List<String> messages = messages(run.result().serverFailure());
        assertThat(String.join(" | ", messages)).as("the refusal names the peer's serial")
            .contains(serial(peer));
        assertPrintable(messages, hostile);
        assertLogLines(run.text(), hostile, peer, true);
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("hostileAndEngines")
    void anAuditedInboundPeerCannotForgeTheAuditLine(Hostile hostile, Jsse jsse) {
        Issued peer = peer(hostile, LeafEku.SERVER_AUTH);
        Captured<HandshakeResult> run = inbound(jsse, peer, hostile, EkuPolicy.AUDIT, "TLSv1.2");

        assertThat(run.result().succeeded()).as(run.result().toString()).isTrue();
        assertThat(run.text()).contains("inbound.eku=audit: accepted peer");
        assertLogLines(run.text(), hostile, peer, true);
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("hostileAndEngines")
    void aServerWeDialCannotForgeTheOutboundLogLineNorTheRefusal(Hostile hostile, Jsse jsse) {
        // clientAuth only: the outbound rule refuses it, after the wrapped manager accepted the chain
        Issued peer = peer(hostile, LeafEku.CLIENT_AUTH);
        Captured<HandshakeResult> run = LogCapture.capture(() -> Handshake.run(context(jsse, bridge(EkuPolicy.STRICT)),
            peerContext(jsse, peer), "TLSv1.3", false, "dialled" + hostile.text() + FORGED, null, null, null));

        assertThat(run.result().clientFailure()).as(run.result().toString()).isNotNull();
        assertPrintable(messages(run.result().clientFailure()), hostile);
        assertLogLines(run.text(), hostile, peer, true);
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("hostileAndEngines")
    void anSniHostNameCannotForgeTheKeyManagersLogLine(Hostile hostile, Jsse jsse) {
        // On JDK 17 both engines refuse such a name (SNIHostName allows letters, digits and hyphens only)
        // before any key manager sees it; the key manager escapes it anyway, for engines that do not.
        Issued peer = peer(hostile, LeafEku.CLIENT_AUTH);
        String sni = "sni" + hostile.text() + "forged.example";
        Consumer<SSLEngine> sendsSni = engine -> {
            SSLParameters parameters = engine.getSSLParameters();
            parameters.setServerNames(List.of(new RawHostName(sni)));
            engine.setSSLParameters(parameters);
        };
        Captured<HandshakeResult> run = LogCapture.capture(() -> Handshake.run(peerContext(Jsse.SUN, peer),
            context(jsse, bridge(EkuPolicy.STRICT)), "TLSv1.3", true, sendsSni, null));

        if (run.text().contains(", SNI ")) {
            assertLogLines(run.text(), hostile, peer, false);
        } else {
            // the JDK refused the name before our key manager saw it: nothing to forge
            assertThat(run.result().serverFailure()).as(run.result() + run.text()).isNotNull();
            assertPrintable(List.of(run.text()), hostile);
        }
    }

    /** A type 0 (host_name) server name with any bytes, as a hostile client may send. */
    private static final class RawHostName extends SNIServerName {
        RawHostName(String name) {
            super(0, name.getBytes(StandardCharsets.UTF_8));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostile")
    void anAdmissionErrorNamesTheCertificatePrintably(Hostile hostile) {
        Issued serverAuthOnly = peer(hostile, LeafEku.SERVER_AUTH);
        EkuBridgeException e = catchThrowableOfType(EkuBridgeException.class,
            () -> EkuBridge.builder().clientIdentity(identity(serverAuthOnly)).build());

        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains(serial(serverAuthOnly));
        assertPrintable(List.of(e.getMessage()), hostile);
    }

    // ------------------------------------------------------------------------------------------------

    private static String serial(Issued issued) {
        return issued.serial().toString(16).toUpperCase(java.util.Locale.ROOT);
    }

    private static List<String> messages(Throwable failure) {
        List<String> messages = new ArrayList<>();
        Set<Throwable> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        collect(failure, messages, seen);
        return messages;
    }

    private static void collect(Throwable t, List<String> messages, Set<Throwable> seen) {
        if (t == null || !seen.add(t)) {
            return;
        }
        messages.add(String.valueOf(t.getMessage()));
        messages.add(t.toString());
        collect(t.getCause(), messages, seen);
        for (Throwable suppressed : t.getSuppressed()) {
            collect(suppressed, messages, seen);
        }
    }

    private static void assertPrintable(List<String> texts, Hostile hostile) {
        for (String text : texts) {
            assertThat(rawControl(text)).as("a raw control character (%s) in: %s", hostile, visible(text)).isNull();
        }
    }

    /**
     * Every line printed is a whole log line of the backend's format (nothing the peer wrote starts a line of
     * its own), holds no control character, and the line naming the peer's serial shows the peer's text escaped.
     */
    private static void assertLogLines(String captured, Hostile hostile, Issued peer, boolean namesSerial) {
        assertThat(captured).as("something was logged").isNotBlank();
        Map<Boolean, List<String>> lines = new java.util.HashMap<>();
        for (String line : captured.split("\n", -1)) {
            if (line.isEmpty()) {
                continue;
            }
            assertThat(rawControl(line)).as("a raw control character (%s) in the log line: %s", hostile, visible(line)).isNull();
            assertThat(line).as("every line is a log line of its own (%s): %s\nall output:\n%s", hostile, visible(line),
                visible(captured)).matches(LOG_LINE);
            lines.computeIfAbsent(line.contains(FORGED), k -> new ArrayList<>()).add(line);
        }
        if (namesSerial) {
            assertThat(captured).contains(serial(peer));
        }
        if (hostile.escaped() != null) {
            assertThat(lines.getOrDefault(true, List.of())).as("the peer's text is shown, escaped").isNotEmpty()
                .allSatisfy(line -> assertThat(line).contains(hostile.escaped()));
        }
    }

    /** The first character that must not reach a log line raw, as a description, or null. */
    private static String rawControl(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            int type = Character.getType(c);
            if (type == Character.CONTROL || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR
                    || type == Character.FORMAT) {
                return String.format("U+%04X at %d", (int) c, i);
            }
        }
        return null;
    }

    private static String visible(String text) {
        StringBuilder out = new StringBuilder();
        for (char c : text.toCharArray()) {
            out.append(c == '\n' ? "<LF>\n" : c < 0x20 || (c >= 0x7f && c < 0xa0) || c == 0x2028 || c == 0x202e
                ? String.format("<U+%04X>", (int) c) : String.valueOf(c));
        }
        return out.toString();
    }
}
