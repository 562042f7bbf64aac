package dev.ekubridge.agent.cli;

import dev.ekubridge.AgentSupport;
import dev.ekubridge.EkuBridge;
import dev.ekubridge.EkuBridgeConfig;
import dev.ekubridge.Identity;
import dev.ekubridge.Role;
import dev.ekubridge.internal.CertificateText;
import java.io.PrintStream;
import java.security.cert.X509Certificate;
import java.util.Date;
import java.util.List;
import java.util.Map;

/**
 * {@code java -jar ekubridge-agent.jar inspect --config FILE} (or {@code inspect key=value ...}):
 * loads a configuration exactly as the agent would, with every admission check, and shows each
 * role's identities (subject, serial, issuer, validity, EKUs, key), whether the client role is the
 * upgrade default, the inbound EKU mode and the trust anchors. Never prints a private key or a password.
 *
 * <p>Only the file (or the pairs) given on the command line count: {@code -Dekubridge.*} and
 * {@code EKUBRIDGE_*} settings of the shell are not read, so the output describes that file alone.
 * The environment is still consulted for {@code *.password.env}.
 */
public final class Inspect extends Main.Command {
    public Inspect() {
        super("inspect",
            "usage: " + Main.JAR + " inspect --config FILE [--json]\n"
            + "       " + Main.JAR + " inspect key=value [key=value ...] [--json]",
            help("Loads a configuration exactly as the agent would, with every admission check, and shows each role's\n"
                + "identities (subject, serial, issuer, validity, EKUs, key), whether the client role is the upgrade default,\n"
                + "the inbound EKU mode and the trust anchors. Never prints a private key or a password.\n"
                + "Only the file and the key=value arguments given count: the shell's -Dekubridge.* and EKUBRIDGE_* are not read.\n",
                Options.CONFIG_HELP + Options.JSON_HELP,
                "0 shown, 2 invalid configuration (one line naming the key, its source and the file), 64 usage error"),
            new Options.Spec().configuration().flag("--json"));
    }

    /** As {@code java -jar ekubridge-agent.jar inspect ARGS}. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return Main.execute(new Inspect(), args, out, err, false);
    }

    @Override
    int run(Options options, Io io) throws Options.UsageException, Configuration.Invalid {
        options.requireConfiguration();
        Configuration loaded = Configuration.load(options.configuration());
        Date now = new Date();
        if (io.json) {
            return io.document(json(loaded, now), Main.OK);
        }
        print(io.out, loaded, now);
        io.out.flush();
        return Main.OK;
    }

    private static String text(String value) {
        return CertificateText.printable(value);
    }

    static void print(PrintStream out, Configuration loaded, Date now) {
        EkuBridgeConfig config = loaded.config;
        EkuBridge bridge = loaded.bridge;
        out.println("EKU Bridge configuration from " + text(loaded.source()));
        out.println();

        List<Identity> servers = bridge.keyManager().identities(Role.SERVER);
        if (servers.isEmpty()) {
            out.println("server role: no identity configured; the application's own key manager serves it");
        } else {
            out.println("server role: " + count(servers.size(), "identity", "identities") + ", best first");
            printIdentities(out, servers, Role.SERVER, now);
        }
        out.println();

        List<Identity> clients = bridge.keyManager().identities(Role.CLIENT);
        AgentSupport view = AgentSupport.of(bridge);
        boolean upgradeDefault = view.clientRoleIsUpgradeDefault();
        if (config.hasIdentity(Role.CLIENT)) {
            out.println("client role: " + count(clients.size(), "identity", "identities") + " of its own, best first");
        } else if (config.clientUsesServerIdentity()) {
            out.println("client role: presents the server identity (client.identity=server, the operator's explicit choice)");
        } else if (upgradeDefault) {
            out.println("client role: nothing configured: under the agent the application's own key manager serves it;"
                + " as a library (EkuBridge.fromConfig) the server identity below is presented (upgrade default)");
        } else {
            out.println("client role: no identity configured; the application's own key manager serves it");
        }
        out.println("  upgrade default: " + (upgradeDefault ? "yes" : "no"));
        printIdentities(out, clients, Role.CLIENT, now);
        out.println();

        out.println("inbound EKU (peers that connect to us): " + bridge.trustManager().policy() + describe(bridge.trustManager().policy()));
        out.println();

        X509Certificate[] anchors = bridge.trustManager().getAcceptedIssuers();
        if (!view.usesDefaultTrust()) {
            String key = AgentSupport.setting(config, "truststore") != null ? "truststore" : "truststore.pem";
            out.println("trust anchors: " + count(anchors.length, "certificate", "certificates") + " from " + key + " "
                + text(AgentSupport.setting(config, key)));
            for (X509Certificate anchor : anchors) {
                out.println("  - subject  " + text(anchor.getSubjectX500Principal().getName()));
                out.println("    serial   " + CertText.serial(anchor));
                out.println("    valid    " + CertText.validity(anchor, now));
            }
        } else {
            out.println("trust anchors: none configured; the application's own trust managers are kept and wrapped");
            out.println("  (the JDK default trust store, used where the application gives none, has "
                + count(anchors.length, "anchor", "anchors") + ")");
        }
    }

    private static void printIdentities(PrintStream out, List<Identity> identities, Role role, Date now) {
        for (int i = 0; i < identities.size(); i++) {
            Identity identity = identities.get(i);
            X509Certificate leaf = identity.certificate();
            List<String> ekus = identity.extendedKeyUsage();
            String usage = role == Role.SERVER ? "serverAuth" : "clientAuth";
            out.println("  [" + (i + 1) + "] " + text(identity.name()) + "  (from " + text(identity.source()) + ")");
            out.println("      subject   " + text(leaf.getSubjectX500Principal().getName()));
            out.println("      serial    " + CertText.serial(leaf));
            out.println("      issuer    " + text(leaf.getIssuerX500Principal().getName()));
            out.println("      valid     " + CertText.validity(leaf, now));
            out.println("      EKU       " + CertText.ekuNames(ekus));
            out.println("      key       " + CertText.key(leaf.getPublicKey()));
            out.println("      chain     " + count(identity.chain().length, "certificate", "certificates"));
            out.println("      " + role + " role: " + (identity.permits(role)
                ? "permitted (" + usage + ")"
                : "NOT permitted by its EKU (no " + usage + "): peers that check EKU will refuse it in this role"));
        }
    }

    /** The configuration as a JSON object: source, each role, inbound mode and trust. */
    static Map<String, Object> json(Configuration loaded, Date now) {
        Map<String, Object> json = Json.object();
        json.put("source", loaded.source());
        Map<String, Object> server = Json.object();
        server.put("servedBy", loaded.identities(Role.SERVER).isEmpty() ? "application" : "ekubridge");
        server.put("identities", identitiesJson(loaded.identities(Role.SERVER), Role.SERVER, now));
        json.put("server", server);
        Map<String, Object> client = Json.object();
        client.put("kind", loaded.clientRoleKind());
        client.put("upgradeDefault", loaded.view.clientRoleIsUpgradeDefault());
        client.put("identities", identitiesJson(loaded.identities(Role.CLIENT), Role.CLIENT, now));
        json.put("client", client);
        json.put("inboundEku", loaded.bridge.trustManager().policy().configValue());
        json.put("trust", trustJson(loaded, now, !loaded.view.usesDefaultTrust()));
        return json;
    }

    /** Where trust comes from and its anchors (listed only for a configured store: the JDK's are counted). */
    static Map<String, Object> trustJson(Configuration loaded, Date now, boolean listAnchors) {
        Map<String, Object> trust = Json.object();
        X509Certificate[] anchors = loaded.anchors();
        trust.put("source", loaded.trustSource() == null ? "jdk-default" : loaded.trustSource());
        trust.put("anchorCount", anchors.length);
        if (listAnchors) {
            List<Object> list = Json.array();
            for (X509Certificate anchor : anchors) {
                list.add(CertText.json(anchor, now));
            }
            trust.put("anchors", list);
        }
        return trust;
    }

    static List<Object> identitiesJson(List<Identity> identities, Role role, Date now) {
        List<Object> list = Json.array();
        for (Identity identity : identities) {
            list.add(identityJson(identity, role, now));
        }
        return list;
    }

    /** One identity: its name and source, its leaf, the chain's length and whether its EKU permits the role. */
    static Map<String, Object> identityJson(Identity identity, Role role, Date now) {
        Map<String, Object> json = Json.object();
        json.put("name", identity.name());
        json.put("source", identity.source());
        json.putAll(CertText.json(identity.certificate(), now));
        json.put("chainLength", identity.chain().length);
        json.put("permitsRole", identity.permits(role));
        return json;
    }

    static String describe(dev.ekubridge.EkuPolicy policy) {
        switch (policy) {
            case STRICT:
                return " (clientAuth required, as the JDK does; Expressway \"On\")";
            case LENIENT:
                return " (clientAuth or serverAuth accepted; Expressway \"Off\")";
            case AUDIT:
                return " (as lenient, and each peer that strict would refuse is logged and counted)";
            case SERVER_AUTH:
                return " (serverAuth required of every peer)";
            default:
                return "";
        }
    }

    private static String count(int n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }
}
