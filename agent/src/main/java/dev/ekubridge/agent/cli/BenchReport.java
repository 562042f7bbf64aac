package dev.ekubridge.agent.cli;

import dev.ekubridge.EkuPolicy;
import dev.ekubridge.Identity;
import dev.ekubridge.Role;
import java.io.PrintStream;
import java.security.GeneralSecurityException;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;

/** A bench run's result as the table on standard output, or as the {@code --json} document. */
final class BenchReport {
    private final Configuration loaded;
    /** The JDK side's check handshake: the protocol and cipher suite every handshake measured agreed on. */
    private final SSLSession session;
    private final int seconds;
    private final BenchMeasurement m;

    BenchReport(Configuration loaded, SSLSession session, int seconds, BenchMeasurement m) {
        this.loaded = loaded;
        this.session = session;
        this.seconds = seconds;
        this.m = m;
    }

    private Identity server() {
        return loaded.presented(Role.SERVER);
    }

    private Identity client() {
        return loaded.presented(Role.CLIENT);
    }

    private EkuPolicy mode() {
        return loaded.bridge.trustManager().policy();
    }

    /** {@code normal} or {@code relaxed}. */
    private String path() {
        return Bench.relaxed(client()) ? "relaxed" : "normal";
    }

    /** A number with a fixed count of decimals, whatever the default locale. */
    static String format(double value, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    private String pathText() {
        return "relaxed".equals(path())
            ? "relaxed: the client identity " + CertText.serial(client().certificate()) + " lacks clientAuth (EKU "
                + CertText.ekuNames(client().extendedKeyUsage()) + ") and inbound.eku=" + mode().configValue() + " accepts it"
            : "normal: the client identity " + CertText.serial(client().certificate()) + " has clientAuth; inbound.eku=" + mode().configValue();
    }

    void print(PrintStream out) {
        out.println("EKU Bridge bench: full mutual-TLS handshakes in memory (two SSLEngines, no sockets, no resumption)");
        out.println("engine      " + provider() + ", " + session.getProtocol() + ", " + session.getCipherSuite() + ", Java "
            + System.getProperty("java.version"));
        out.println("path        " + pathText());
        out.println("identities  server " + CertText.serial(server().certificate()) + " (" + CertText.key(server().certificate().getPublicKey())
            + "), client " + CertText.serial(client().certificate()) + " (" + CertText.key(client().certificate().getPublicKey()) + "); trust "
            + (loaded.trustSource() == null ? "the JDK default trust store" : loaded.trustSource()));
        out.println("rounds      " + m.rounds + " rounds of " + BenchLoop.BLOCK + " + " + BenchLoop.BLOCK
            + " handshakes, which side goes first alternating; " + seconds + " s, " + (m.warmupCounted ? "too short to leave the warm-up: every round counted"
                : "the first " + format(m.warmupSeconds, 1) + " s (" + m.warmupRounds + (m.warmupRounds == 1 ? " round" : " rounds")
                    + ") warm-up, not counted"));
        out.println();
        out.println(CertText.pad("MANAGERS", 68) + "  HANDSHAKES/S");
        out.println(CertText.pad("EKU Bridge  RoleAwareKeyManager + EkuPolicyTrustManager (" + mode().configValue() + ")", 68) + "  "
            + format(m.ekuRate(), 1));
        String jdk = "JDK         SunX509 key manager + PKIX trust manager" + ("relaxed".equals(path()) ? " (EKU refusal ignored)" : "");
        out.println(CertText.pad(jdk, 68) + "  " + format(m.jdkRate(), 1));
        out.println();
        out.println("ratio EKU Bridge / JDK: " + format(m.ratio(0.5), 3) + " (median of " + m.rounds + " per-round ratios;"
            + " interquartile range " + format(m.ratio(0.25), 3) + " .. " + format(m.ratio(0.75), 3) + ")");
        if ("relaxed".equals(path())) {
            out.println("(relaxed path: the JDK alone refuses this client; its side is timed with that refusal caught and ignored)");
        }
    }

    Map<String, Object> json() {
        Map<String, Object> json = Json.object();
        json.put("path", path());
        json.put("pathDescription", pathText());
        json.put("inboundEku", mode().configValue());
        json.put("provider", provider());
        json.put("protocol", session.getProtocol());
        json.put("cipherSuite", session.getCipherSuite());
        json.put("java", System.getProperty("java.version"));
        json.put("serverSerial", CertText.serial(server().certificate()));
        json.put("clientSerial", CertText.serial(client().certificate()));
        json.put("trust", loaded.trustSource() == null ? "jdk-default" : loaded.trustSource());
        json.put("seconds", seconds);
        json.put("warmupSeconds", m.warmupSeconds);
        json.put("warmupCounted", m.warmupCounted);
        json.put("blockSize", BenchLoop.BLOCK);
        json.put("rounds", m.rounds);
        Map<String, Object> eku = Json.object();
        eku.put("managers", "RoleAwareKeyManager + EkuPolicyTrustManager");
        eku.put("handshakes", m.ekuHandshakes);
        eku.put("handshakesPerSecond", round(m.ekuRate(), 1));
        json.put("ekuBridge", eku);
        Map<String, Object> jdk = Json.object();
        jdk.put("managers", "SunX509 + PKIX" + ("relaxed".equals(path()) ? " (EKU refusal ignored)" : ""));
        jdk.put("handshakes", m.jdkHandshakes);
        jdk.put("handshakesPerSecond", round(m.jdkRate(), 1));
        json.put("jdk", jdk);
        Map<String, Object> ratio = Json.object();
        ratio.put("median", round(m.ratio(0.5), 4));
        ratio.put("p25", round(m.ratio(0.25), 4));
        ratio.put("p75", round(m.ratio(0.75), 4));
        ratio.put("rounds", m.ratios.size());
        json.put("ratio", ratio);
        return json;
    }

    private static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }

    /** The JSSE provider of the default {@code TLS} context, by name. */
    private static String provider() {
        try {
            return SSLContext.getInstance("TLS").getProvider().getName();
        } catch (GeneralSecurityException e) {
            return "unknown";
        }
    }
}
