package dev.ekubridge.agent.cli;

import dev.ekubridge.AgentSupport;
import dev.ekubridge.EkuBridge;
import dev.ekubridge.EkuBridgeConfig;
import dev.ekubridge.EkuBridgeException;
import dev.ekubridge.Identity;
import dev.ekubridge.Role;
import dev.ekubridge.internal.CertificateText;
import java.io.PrintStream;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashMap;
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
public final class Inspect {
    static final int OK = 0;
    static final int INVALID = 2;
    static final int USAGE = 64;

    private static final String USAGE_LINE =
        "usage: java -jar ekubridge-agent.jar inspect --config FILE | inspect key=value [key=value ...]";

    private Inspect() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        String arguments = arguments(args, err);
        if (arguments == null) {
            return USAGE;
        }
        EkuBridgeConfig config;
        EkuBridge bridge;
        try {
            config = EkuBridgeConfig.load(arguments, Collections.<String, String>emptyMap(), passwordVariables());
            config.logFile(); // checked as the agent checks it
            bridge = EkuBridge.fromConfig(config);
        } catch (EkuBridgeException e) {
            err.println("error: " + oneLine(e.getMessage()));
            return INVALID;
        } catch (RuntimeException | Error e) {
            // Never a stack trace, and not the message: it could quote what was being parsed.
            err.println("error: unexpected " + e.getClass().getName() + " while reading the configuration");
            return INVALID;
        }
        print(out, config, bridge, new Date());
        return OK;
    }

    /** The configuration as agent-argument text, or {@code null} after printing a usage error. */
    private static String arguments(String[] args, PrintStream err) {
        if (args.length == 0) {
            err.println("inspect: give --config FILE or key=value pairs");
            err.println(USAGE_LINE);
            return null;
        }
        if ("--config".equals(args[0]) || args[0].startsWith("--config=")) {
            String file;
            if (args[0].startsWith("--config=")) {
                file = args[0].substring("--config=".length());
                if (args.length != 1) {
                    err.println("inspect: unexpected argument 2 after --config=FILE");
                    err.println(USAGE_LINE);
                    return null;
                }
            } else if (args.length == 2) {
                file = args[1];
            } else {
                err.println(args.length == 1 ? "inspect: --config needs a FILE" : "inspect: unexpected argument 3 after --config FILE");
                err.println(USAGE_LINE);
                return null;
            }
            if (file.trim().isEmpty() || file.contains(",")) {
                err.println("inspect: --config needs a FILE name (without commas)");
                err.println(USAGE_LINE);
                return null;
            }
            return "config=" + file;
        }
        StringBuilder pairs = new StringBuilder();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.startsWith("-") || arg.indexOf('=') <= 0) {
                // Not echoed: it may be the second word of a password that held a space (server.password=A B).
                err.println("inspect: argument " + (i + 1) + " is neither --config FILE nor key=value"
                    + (i > 0 ? " (a value with spaces must be quoted; give a password with .password.env or .password.file)" : ""));
                err.println(USAGE_LINE);
                return null;
            }
            pairs.append(pairs.length() == 0 ? "" : ",").append(arg);
        }
        return pairs.toString();
    }

    /**
     * The environment without its {@code EKUBRIDGE_*} variables: {@code *.password.env} can still name
     * a variable, but the shell's EKU Bridge settings do not mix into the file being inspected.
     */
    /** The environment for {@code *.password.env}, without the {@code EKUBRIDGE_*} configuration variables. */
    static Map<String, String> passwordVariables() {
        Map<String, String> variables = new LinkedHashMap<String, String>();
        for (Map.Entry<String, String> entry : System.getenv().entrySet()) {
            if (!entry.getKey().startsWith("EKUBRIDGE_")) {
                variables.put(entry.getKey(), entry.getValue());
            }
        }
        return variables;
    }

    private static String oneLine(String message) {
        return CertificateText.printable(String.valueOf(message));
    }

    private static String text(String value) {
        return CertificateText.printable(value);
    }

    static void print(PrintStream out, EkuBridgeConfig config, EkuBridge bridge, Date now) {
        String file = AgentSupport.setting(config, "config");
        String source = file != null ? "config file " + file : "command line";
        out.println("EKU Bridge configuration from " + text(source));
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

    private static String describe(dev.ekubridge.EkuPolicy policy) {
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
