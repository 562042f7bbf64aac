package dev.ekubridge.agent.cli;

import dev.ekubridge.AgentSupport;
import dev.ekubridge.EkuBridge;
import dev.ekubridge.EkuBridgeConfig;
import dev.ekubridge.EkuBridgeException;
import dev.ekubridge.Identity;
import dev.ekubridge.Role;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A configuration given on the command line ({@code --config FILE} and/or {@code key=value}), loaded as
 * the agent loads its arguments, with every admission check. Only what the operator typed and the file it
 * names count: the shell's {@code -Dekubridge.*} and {@code EKUBRIDGE_*} settings are not read, so the output
 * describes that configuration alone; the environment still serves {@code *.password.env}.
 *
 * <p>The bridge is the library's view ({@code EkuBridge.fromConfig}): a client role with nothing configured
 * presents the server identity (the upgrade default), which under the agent is the application's own key
 * manager's choice instead. Nothing is logged while loading.
 */
final class Configuration {
    /** An invalid configuration: one line, naming the key, its source and the file (exit status 2). */
    static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;

        Invalid(String message) {
            super(message);
        }
    }

    final EkuBridgeConfig config;
    final EkuBridge bridge;
    final AgentSupport view;

    private Configuration(EkuBridgeConfig config, EkuBridge bridge) {
        this.config = config;
        this.bridge = bridge;
        this.view = AgentSupport.of(bridge);
    }

    static Configuration load(String arguments) throws Invalid {
        try {
            EkuBridgeConfig config = AgentSupport.commandLine(arguments, passwordVariables());
            config.logFile(); // checked as the agent checks it
            return new Configuration(config, AgentSupport.fromConfig(config).bridge());
        } catch (EkuBridgeException e) {
            throw new Invalid(String.valueOf(e.getMessage()));
        } catch (RuntimeException | LinkageError e) {
            // Not the message: it could quote what was being parsed.
            throw new Invalid("unexpected " + e.getClass().getName() + " while reading the configuration");
        }
    }

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

    /** {@code config file F} or {@code command line}. */
    String source() {
        String file = AgentSupport.setting(config, "config");
        return file != null ? "config file " + file : "command line";
    }

    List<Identity> identities(Role role) {
        return bridge.keyManager().identities(role);
    }

    /** The identity the role presents first (best first), or {@code null} when the application's own key manager serves it. */
    Identity presented(Role role) {
        List<Identity> identities = identities(role);
        return identities.isEmpty() ? null : identities.get(0);
    }

    /** How the client role got its identities: {@code own}, {@code server-explicit}, {@code upgrade-default} or {@code none}. */
    String clientRoleKind() {
        if (config.hasIdentity(Role.CLIENT)) {
            return "own";
        }
        if (config.clientUsesServerIdentity()) {
            return "server-explicit";
        }
        return view.clientRoleIsUpgradeDefault() ? "upgrade-default" : "none";
    }

    /** The trust anchors in use: the configured store's, or the JDK default trust store's. */
    X509Certificate[] anchors() {
        return bridge.trustManager().getAcceptedIssuers();
    }

    /** {@code truststore /path}, {@code truststore.pem /path}, or {@code null} for the JDK default trust store. */
    String trustSource() {
        if (view.usesDefaultTrust()) {
            return null;
        }
        String key = AgentSupport.setting(config, "truststore") != null ? "truststore" : "truststore.pem";
        return key + " " + AgentSupport.setting(config, key);
    }
}
