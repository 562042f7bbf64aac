package dev.ekubridge;

import dev.ekubridge.EkuBridgeException.Reason;
import java.util.Map;

/**
 * The rules between keys: which exclude each other ({@code server.keystore} and {@code server.cert}), which need
 * another ({@code server.alias} needs {@code server.keystore}), and that no value is empty. Each broken rule is one
 * error naming both keys and their sources.
 */
final class ConfigRules {
    private final ConfigSettings settings;

    private ConfigRules(ConfigSettings settings) {
        this.settings = settings;
    }

    static void check(ConfigSettings settings) {
        new ConfigRules(settings).check();
    }

    private void check() {
        for (Map.Entry<String, EkuBridgeConfig.Setting> entry : settings.all().entrySet()) {
            if (!"inbound.eku".equals(entry.getKey()) && entry.getValue().value.trim().isEmpty()) {
                throw settings.bad(entry.getKey(), "the value is empty");
            }
        }
        for (Role role : Role.values()) {
            String p = role.configPrefix();
            exclusive(p + ".keystore", p + ".cert");
            exclusive(p + ".keystore", p + ".key");
            together(p + ".cert", p + ".key");
            onePassword(p);
            requires(p + ".alias", p + ".keystore");
            for (String password : passwords(p)) {
                if (settings.has(password) && !settings.hasIdentity(role)) {
                    throw new EkuBridgeException(Reason.MISSING_KEY, password + " (from " + settings.sourceOf(password)
                        + ") is set but neither " + p + ".keystore nor " + p + ".cert/" + p + ".key is");
                }
            }
        }
        if (settings.has("client.identity")) {
            checkClientIdentity();
        }
        exclusive("truststore", "truststore.pem");
        onePassword("truststore");
        for (String password : passwords("truststore")) {
            requires(password, "truststore");
        }
    }

    private void checkClientIdentity() {
        if (!"server".equals(settings.get("client.identity").trim())) {
            throw settings.bad("client.identity", "'" + settings.get("client.identity")
                + "' is not a valid value; the only value is 'server'");
        }
        exclusive("client.identity", "client.keystore");
        exclusive("client.identity", "client.cert");
        if (!settings.hasIdentity(Role.SERVER)) {
            throw new EkuBridgeException(Reason.MISSING_KEY, "client.identity=server (from " + settings.sourceOf("client.identity")
                + ") needs a server identity: set server.keystore or server.cert/server.key");
        }
    }

    /** The three ways to give the password of {@code prefix} ({@code server}, {@code client}, {@code truststore}). */
    private static String[] passwords(String prefix) {
        return new String[] {prefix + ".password", prefix + ".password.env", prefix + ".password.file"};
    }

    /** At most one of the ways to give a password. */
    private void onePassword(String prefix) {
        exclusive(prefix + ".password", prefix + ".password.env");
        exclusive(prefix + ".password", prefix + ".password.file");
        exclusive(prefix + ".password.env", prefix + ".password.file");
    }

    private void exclusive(String a, String b) {
        if (settings.has(a) && settings.has(b)) {
            throw new EkuBridgeException(Reason.CONFLICTING_KEYS, a + " (from " + settings.sourceOf(a) + ") and " + b
                + " (from " + settings.sourceOf(b) + ") cannot both be set");
        }
    }

    private void together(String a, String b) {
        requires(a, b);
        requires(b, a);
    }

    private void requires(String key, String needed) {
        if (settings.has(key) && !settings.has(needed)) {
            throw new EkuBridgeException(Reason.MISSING_KEY, key + " (from " + settings.sourceOf(key) + ") needs " + needed
                + ", which is not set");
        }
    }
}
