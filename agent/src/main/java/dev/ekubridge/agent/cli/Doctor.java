package dev.ekubridge.agent.cli;

import dev.ekubridge.Identity;
import dev.ekubridge.Role;
import dev.ekubridge.internal.CertificateText;
import java.io.PrintStream;
import java.util.Date;
import java.util.Map;

/**
 * {@code doctor --config FILE}: for each role the identity that will be presented and its EKUs, a
 * prediction for each kind of peer (strict, lenient) in each direction in the terms of docs/scenarios.md
 * (which links will be refused, by whom, and why), and findings such as a client identity without
 * clientAuth, an expiry within 30 days, an incomplete chain, an issuer not in the trust store or an empty
 * trust store. See {@link Diagnosis}.
 */
final class Doctor extends Main.Command {
    private static final int W_DIRECTION = 10;
    private static final int W_PEER = 44;
    private static final int W_JUDGED = 15;
    /** Findings are wrapped at this width, continuation lines indented. */
    private static final int WIDTH = 120;
    private static final int W_OUTCOME = 8;
    private static final int W_REFUSED = 10;
    /** The widths of the predictions' columns but the last, WHY (DIRECTION is indented by two). */
    private static final int[] COLUMNS = {W_DIRECTION + 2, W_PEER, W_JUDGED, W_OUTCOME, W_REFUSED};

    Doctor() {
        super("doctor",
            "usage: " + Main.JAR + " doctor --config FILE [key=value ...] [--json]\n"
            + "       " + Main.JAR + " doctor key=value [key=value ...] [--json]",
            help("Loads the configuration as the agent would and predicts, for each role, what will be presented and\n"
                + "which links will be refused, by whom and why, against a peer that checks EKU strictly (wants clientAuth of\n"
                + "whoever dials it: the JDK, OpenSSL -Verify, Expressway with its inbound check on) and a lenient one, in each\n"
                + "direction, in the terms of docs/scenarios.md. Findings: a client identity without clientAuth, an expiry\n"
                + "within 30 days, an incomplete chain, an issuer not in the trust store, an empty trust store.\n"
                + "The client role with nothing configured is predicted as the library presents it (the server identity, the\n"
                + "upgrade default); under the agent the application's own key manager serves it.\n",
                Options.CONFIG_HELP + Options.JSON_HELP,
                "0 nothing will break, 1 something will (a BREAKS finding), 2 invalid configuration, 64 usage error"),
            new Options.Spec().configuration().flag("--json"));
    }

    @Override
    int run(Options options, Io io) throws Options.UsageException, Configuration.Invalid {
        options.requireConfiguration();
        Configuration loaded = Configuration.load(options.configuration());
        Date now = new Date();
        Diagnosis diagnosis = Diagnosis.of(loaded, now);
        int status = diagnosis.breaks() ? Main.FOUND : Main.OK;
        if (io.json) {
            return io.document(json(loaded, diagnosis, now), status);
        }
        print(io.out, loaded, diagnosis, now);
        io.out.println();
        io.out.println(verdict(diagnosis) + " (exit " + status + ")");
        io.out.flush();
        return status;
    }

    static String verdict(Diagnosis diagnosis) {
        int breaks = diagnosis.count(Diagnosis.Severity.BREAKS);
        int warnings = diagnosis.count(Diagnosis.Severity.WARNING);
        return (breaks == 0 ? "verdict: nothing will break" : "verdict: something will break: " + breaks
            + (breaks == 1 ? " finding" : " findings") + " marked BREAKS")
            + (warnings == 0 ? "" : "; " + warnings + (warnings == 1 ? " warning" : " warnings"));
    }

    static Map<String, Object> json(Configuration loaded, Diagnosis diagnosis, Date now) {
        Map<String, Object> json = Json.object();
        json.put("source", loaded.source());
        Map<String, Object> roles = Json.object();
        for (Role role : Role.values()) {
            Map<String, Object> json1 = Json.object();
            Identity presented = loaded.presented(role);
            json1.put("presented", presented == null ? null : Inspect.identityJson(presented, role, now));
            json1.put("identities", loaded.identities(role).size());
            if (role == Role.CLIENT) {
                json1.put("kind", loaded.clientRoleKind());
            }
            roles.put(role.toString(), json1);
        }
        json.put("roles", roles);
        json.put("inboundEku", loaded.bridge.trustManager().policy().configValue());
        json.put("trust", Inspect.trustJson(loaded, now, false));
        json.put("predictions", diagnosis.predictionsJson());
        json.put("findings", diagnosis.findingsJson());
        json.put("breaks", diagnosis.breaks());
        return json;
    }

    /** The report, as {@code doctor} prints it and {@code dump} writes it into its summary. */
    static void print(PrintStream out, Configuration loaded, Diagnosis diagnosis, Date now) {
        out.println("EKU Bridge doctor: " + text(loaded.source()));
        out.println("The rule (docs/scenarios.md): a node presents its client identity when it dials, its server identity when it");
        out.println("accepts; the accepting side judges the dialling side's client certificate.");
        out.println();
        Identity server = loaded.presented(Role.SERVER);
        wrap(out, "server role   ", (server == null ? "no identity configured: the application's own key manager serves it"
            : "presents " + identity(server, now)));
        Identity client = loaded.presented(Role.CLIENT);
        String kind = loaded.clientRoleKind();
        String how = "upgrade-default".equals(kind) ? "the server identity, by the upgrade default (no client identity configured): "
            : "server-explicit".equals(kind) ? "the server identity (client.identity=server): " : "";
        wrap(out, "client role   ", (client == null ? "no identity configured: the application's own key manager serves it"
            : "presents " + how + identity(client, now)));
        out.println("inbound EKU   " + loaded.bridge.trustManager().policy() + Inspect.describe(loaded.bridge.trustManager().policy()));
        int anchors = loaded.anchors().length;
        wrap(out, "trust         ", (loaded.trustSource() == null
            ? "the JDK default trust store (none configured; under the agent the application's own trust managers are kept)"
            : text(loaded.trustSource())) + ": " + anchors + (anchors == 1 ? " anchor" : " anchors"));
        out.println();
        out.println("predictions");
        out.println(row("  DIRECTION", "PEER", "JUDGED", "OUTCOME", "REFUSED BY", "WHY"));
        for (Diagnosis.Prediction p : diagnosis.predictions) {
            out.println(row("  " + ("outbound".equals(p.direction) ? "we dial" : "it dials"), p.peer, p.judged,
                p.outcome.toUpperCase(java.util.Locale.ROOT), p.refusedBy == null ? "" : p.refusedBy, text(p.why)));
        }
        out.println();
        out.println("findings");
        for (Diagnosis.Finding finding : diagnosis.sorted()) {
            wrap(out, "  " + CertText.pad(finding.severity.name(), 8) + " ", text(finding.message));
        }
    }

    /** {@code text} after {@code prefix}, wrapped at spaces to {@link #WIDTH}, continuation lines under its start. */
    static void wrap(PrintStream out, String prefix, String text) {
        String indent = CertText.repeat(' ', prefix.length());
        String rest = text;
        String lead = prefix;
        int room = WIDTH - prefix.length();
        while (rest.length() > room) {
            int cut = rest.lastIndexOf(' ', room);
            if (cut <= 0) {
                cut = rest.indexOf(' ', room);
                if (cut < 0) {
                    break;
                }
            }
            out.println(lead + rest.substring(0, cut));
            rest = rest.substring(cut + 1);
            lead = indent;
        }
        out.println(lead + rest);
    }

    private static String row(String direction, String peer, String judged, String outcome, String refusedBy, String why) {
        return CertText.row(COLUMNS, direction, peer, judged, outcome, refusedBy, why);
    }

    /** {@code 5E4E4 CN=sip.example.com, issued by CN=CA2, EKU serverAuth, valid until ... (89 days left)}. */
    private static String identity(Identity identity, Date now) {
        return CertText.serial(identity.certificate()) + " " + text(identity.certificate().getSubjectX500Principal().getName())
            + ", issued by " + text(identity.certificate().getIssuerX500Principal().getName()) + ", EKU "
            + CertText.ekuNames(identity.extendedKeyUsage()) + ", " + CertText.daysLeft(identity.certificate(), now) + " days left";
    }

    private static String text(String value) {
        return CertificateText.printable(value);
    }
}
