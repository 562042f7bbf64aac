package dev.ekubridge.agent.cli;

import dev.ekubridge.EkuBridge;
import java.net.IDN;
import java.util.Date;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * {@code probe HOST:PORT}: one TLS handshake as a client to a live endpoint, in bounded time. Reports what
 * the server presents (chain, subjects, serials, EKUs, validity) and whether we trust it (as a finding: the
 * handshake goes on either way), whether it asks for a client certificate and which issuers it accepts,
 * which of our identities we presented, and whether the server accepted it (the alert if not; in TLS 1.3 the
 * server's verdict arrives after our handshake is done, so we wait a moment for it).
 */
final class Probe extends Main.Command {
    static final int DEFAULT_TIMEOUT_SECONDS = 10;
    private static final Pattern TARGET = Pattern.compile("(?:\\[([0-9A-Fa-f:.]+)\\]|([^:\\s\\[\\]]+)):([0-9]{1,5})");

    Probe() {
        super("probe",
            "usage: " + Main.JAR + " probe HOST:PORT [--config FILE] [key=value ...] [--sni NAME] [--timeout SECONDS] [--json]",
            help("Makes one TLS handshake as a client to HOST:PORT and reports what the server presents (chain, subjects,\n"
                + "serials, EKUs, validity), whether we trust it (reported, never a reason to stop: the handshake goes on),\n"
                + "whether it asks for a client certificate and which issuers it accepts, which of our identities we presented\n"
                + "and whether the server accepted it (the alert if not). With --config (or key=value) the configuration's client\n"
                + "identity and trust are used; without, no client certificate and the JDK default trust store.\n",
                "  --config FILE       the properties file (the agent's config=FILE); key=value arguments win over it\n"
                + "  --sni NAME          the server name to send (default: HOST when it is a name, none for an address)\n"
                + "  --timeout SECONDS   bound for connect, handshake and the server's verdict together (default "
                + DEFAULT_TIMEOUT_SECONDS + ", 1 to 300)\n"
                + "  --json              one JSON document on standard output\n",
                "0 handshake done, server trusted, our certificate (if asked for) accepted; 1 otherwise (no\n"
                + "connection, timeout, handshake failed, server not trusted, our certificate refused); 2 invalid configuration;\n"
                + "64 usage error"),
            new Options.Spec().configuration().option("--sni", "NAME").option("--timeout", "SECONDS").flag("--json")
                .positional("HOST:PORT", true));
    }

    @Override
    int run(Options options, Io io) throws Options.UsageException, Configuration.Invalid {
        Matcher target = TARGET.matcher(options.positional(0));
        if (!target.matches()) {
            throw new Options.UsageException("give the server as HOST:PORT (an IPv6 address in brackets: [::1]:5061)");
        }
        int port = Integer.parseInt(target.group(3));
        if (port < 1 || port > 65535) {
            throw new Options.UsageException("PORT must be 1 to 65535");
        }
        int timeout = DEFAULT_TIMEOUT_SECONDS;
        if (options.value("--timeout") != null) {
            timeout = Options.integer(options.value("--timeout"), "--timeout", 1, 300);
        }
        String sni = options.value("--sni");
        if (sni != null) {
            try {
                new SNIHostName(IDN.toASCII(sni));
            } catch (IllegalArgumentException e) {
                throw new Options.UsageException("--sni needs a host NAME");
            }
        }
        Configuration loaded = options.hasConfiguration() ? Configuration.load(options.configuration()) : null;
        ProbeResult result = new ProbeResult();
        result.host = target.group(1) != null ? target.group(1) : target.group(2);
        result.port = port;
        result.timeoutSeconds = timeout;
        EkuBridge bridge = loaded != null ? loaded.bridge : EkuBridge.builder().build();
        result.trustSource = loaded == null || loaded.trustSource() == null ? "the JDK default trust store" : loaded.trustSource();
        result.keys = new ProbeManagers.Keys(loaded == null ? null : (X509ExtendedKeyManager) loaded.bridge.keyManager());
        result.trust = new ProbeManagers.Trust(bridge.trustManager());
        ProbeHandshake.probe(result, sni);
        if (result.keys.alias != null && loaded != null) {
            result.presented = loaded.bridge.keyManager().identity(result.keys.alias);
            result.presentedChain = loaded.bridge.keyManager().getCertificateChain(result.keys.alias);
        }
        Date now = new Date();
        List<String[]> findings = ProbeFindings.of(result, loaded, now);
        boolean ok = result.handshakeDone && result.trust.evaluated && result.trust.refusal == null && !result.peerRefused();
        int status = ok ? Main.OK : Main.FOUND;
        if (io.json) {
            return io.document(ProbeReport.json(result, loaded, findings, now), status);
        }
        ProbeReport.print(io.out, result, loaded, findings, now, status);
        io.out.flush();
        return status;
    }
}
