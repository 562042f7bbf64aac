package dev.ekubridge;

import dev.ekubridge.EkuBridgeException.Reason;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The EKU Bridge configuration: the keys of README's configuration table, read from up to four sources, the first
 * that sets a key winning: agent arguments, {@code -Dekubridge.KEY} system properties,
 * {@code EKUBRIDGE_KEY} environment variables, then the properties file named by {@code config}.
 * Parsed and validated here, once; an unknown key, a bad value or conflicting keys throw an
 * {@link EkuBridgeException} naming the key and the source it came from. Immutable.
 *
 * <p>Files (key stores, PEM, password files) are only read by {@link EkuBridge#fromConfig}.
 */
public final class EkuBridgeConfig {
    /** Every key of the contract, in the order of the documentation. */
    public static final Set<String> KEYS = Collections.unmodifiableSet(new LinkedHashSet<>(Arrays.asList(
        "config",
        "server.keystore", "server.cert", "server.key", "server.password", "server.password.env", "server.password.file", "server.alias",
        "client.keystore", "client.cert", "client.key", "client.password", "client.password.env", "client.password.file", "client.alias",
        "client.identity",
        "truststore", "truststore.password", "truststore.password.env", "truststore.password.file", "truststore.pem",
        "inbound.eku", "log.handshakes", "log.file", "diagnostics.dir", "reload.seconds")));

    private static final String SYSTEM_PROPERTY_PREFIX = "ekubridge.";
    private static final String ENVIRONMENT_PREFIX = "EKUBRIDGE_";

    /** A value and where it came from, e.g. {@code -Dekubridge.inbound.eku}. */
    static final class Setting {
        final String value;
        final String source;

        Setting(String value, String source) {
            this.value = value;
            this.source = source;
        }
    }

    private final Map<String, Setting> settings;
    private final Map<String, String> environment;
    private final EkuPolicy inboundEku;
    private final boolean logHandshakes;
    private final int reloadSeconds;

    private EkuBridgeConfig(Map<String, Setting> settings, Map<String, String> environment) {
        this.settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
        this.environment = environment;
        this.inboundEku = parsePolicy();
        this.logHandshakes = parseBoolean("log.handshakes", false);
        this.reloadSeconds = parseSeconds("reload.seconds");
        validateRoles();
    }

    /** A configuration from one source only, e.g. a {@code Map} built by a program. */
    public static EkuBridgeConfig of(Map<String, String> values, String sourceName) {
        Map<String, Setting> settings = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : values.entrySet()) {
            requireKnown(entry.getKey(), sourceName);
            settings.put(entry.getKey(), new Setting(entry.getValue(), sourceName));
        }
        return new EkuBridgeConfig(settings, Collections.unmodifiableMap(System.getenv()));
    }

    /** The configuration of this JVM: agent arguments (may be {@code null}), system properties and environment. */
    public static EkuBridgeConfig fromSystem(String agentArguments) {
        Map<String, String> properties = new LinkedHashMap<>();
        Properties system = System.getProperties();
        for (String name : system.stringPropertyNames()) {
            properties.put(name, system.getProperty(name));
        }
        return load(agentArguments, properties, System.getenv());
    }

    /**
     * Reads the four sources with the precedence of the contract.
     *
     * @param agentArguments {@code key=value,key=value} as given after {@code -javaagent:...=}, or {@code null}
     */
    public static EkuBridgeConfig load(String agentArguments, Map<String, String> systemProperties, Map<String, String> environment) {
        Map<String, Setting> settings = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : parseArguments(agentArguments).entrySet()) {
            settings.put(entry.getKey(), new Setting(entry.getValue(), "agent argument " + entry.getKey()));
        }
        for (Map.Entry<String, String> entry : systemProperties.entrySet()) {
            String name = entry.getKey();
            if (name.startsWith(SYSTEM_PROPERTY_PREFIX)) {
                String key = name.substring(SYSTEM_PROPERTY_PREFIX.length());
                String source = "system property -D" + name;
                requireKnown(key, source);
                settings.putIfAbsent(key, new Setting(entry.getValue(), source));
            }
        }
        Map<String, String> keyByVariable = new LinkedHashMap<>();
        for (String key : KEYS) {
            keyByVariable.put(environmentName(key), key);
        }
        for (Map.Entry<String, String> entry : environment.entrySet()) {
            String variable = entry.getKey();
            if (variable.startsWith(ENVIRONMENT_PREFIX)) {
                String key = keyByVariable.get(variable);
                if (key == null) {
                    throw new EkuBridgeException(Reason.UNKNOWN_KEY, "unknown key in environment variable " + variable
                        + "; known keys: " + KEYS + " (as EKUBRIDGE_ plus the key in upper case, dots and dashes as underscores)");
                }
                settings.putIfAbsent(key, new Setting(entry.getValue(), "environment variable " + variable));
            }
        }
        Setting config = settings.get("config");
        if (config != null) {
            for (Map.Entry<String, String> entry : readConfigFile(config).entrySet()) {
                String source = "config file " + config.value + " (key " + entry.getKey() + ")";
                if ("config".equals(entry.getKey())) {
                    throw new EkuBridgeException(Reason.BAD_VALUE, source + ": a config file cannot name another config file");
                }
                settings.putIfAbsent(entry.getKey(), new Setting(entry.getValue(), source));
            }
        }
        return new EkuBridgeConfig(settings, Collections.unmodifiableMap(new LinkedHashMap<>(environment)));
    }

    /** The environment variable for a key: {@code server.password.env} is {@code EKUBRIDGE_SERVER_PASSWORD_ENV}. */
    public static String environmentName(String key) {
        return ENVIRONMENT_PREFIX + key.replace('.', '_').replace('-', '_').toUpperCase(Locale.ROOT);
    }

    static Map<String, String> parseArguments(String arguments) {
        Map<String, String> values = new LinkedHashMap<>();
        if (arguments == null || arguments.trim().isEmpty()) {
            return values;
        }
        String[] pairs = arguments.split(",");
        for (int i = 0; i < pairs.length; i++) {
            String pair = pairs[i];
            if (pair.trim().isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            if (equals <= 0) {
                // Not echoed: it may be the tail of a password that contained a comma.
                throw new EkuBridgeException(Reason.BAD_VALUE, "agent argument " + (i + 1) + " is not key=value (values cannot"
                    + " contain commas; give a password with .password.env or .password.file, or use config=FILE)");
            }
            String key = pair.substring(0, equals).trim();
            if (!KEYS.contains(key) && i > 0 && pairs[i - 1].trim().matches("[a-z.]+\\.password=.*")) {
                // Not echoed: most likely the rest of a password that contained a comma.
                throw new EkuBridgeException(Reason.UNKNOWN_KEY, "agent argument " + (i + 1) + ", after a password, is not a known key"
                    + " (values cannot contain commas; give a password with .password.env or .password.file, or use config=FILE)");
            }
            requireKnown(key, "agent argument " + key);
            if (values.containsKey(key)) {
                throw new EkuBridgeException(Reason.CONFLICTING_KEYS, "agent argument " + key + " is given twice");
            }
            values.put(key, pair.substring(equals + 1).trim());
        }
        return values;
    }

    private static Map<String, String> readConfigFile(Setting config) {
        Path file = Paths.get(config.value);
        String label = "config (from " + config.source + ")";
        byte[] content = dev.ekubridge.internal.FileBytes.read(label, file);
        Properties properties = new Properties();
        try {
            properties.load(new ByteArrayInputStream(content));
        } catch (IOException | IllegalArgumentException e) {
            throw new EkuBridgeException(Reason.UNKNOWN_FORMAT, label + ": " + file + " is not a properties file: " + e.getMessage(), e);
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (String key : properties.stringPropertyNames()) {
            requireKnown(key, "config file " + file);
            values.put(key, properties.getProperty(key).trim());
        }
        return values;
    }

    private static void requireKnown(String key, String source) {
        if (!KEYS.contains(key)) {
            throw new EkuBridgeException(Reason.UNKNOWN_KEY, "unknown key '" + key + "' (from " + source + "); known keys: " + KEYS);
        }
    }

    // --- accessors ----------------------------------------------------------------------------

    /** The value of a key, or {@code null} when no source sets it. */
    public String get(String key) {
        Setting setting = settings.get(key);
        return setting == null ? null : setting.value;
    }

    /** Where a key's value came from, e.g. {@code system property -Dekubridge.inbound.eku}, or {@code null}. */
    public String sourceOf(String key) {
        Setting setting = settings.get(key);
        return setting == null ? null : setting.source;
    }

    /** {@code true} when no key at all is set: then EKU Bridge changes nothing. */
    public boolean isEmpty() {
        return settings.isEmpty() || (settings.size() == 1 && settings.containsKey("config"));
    }

    public boolean has(String key) {
        return settings.containsKey(key);
    }

    public EkuPolicy inboundEku() {
        return inboundEku;
    }

    public boolean logHandshakes() {
        return logHandshakes;
    }

    public int reloadSeconds() {
        return reloadSeconds;
    }

    /** Where to write the certificates in use as PEM, or {@code null}. */
    public Path diagnosticsDir() {
        String value = get("diagnostics.dir");
        return value == null ? null : Paths.get(value);
    }

    /** {@code true} when {@code client.identity=server}: present the server identity as the client identity too. */
    public boolean clientUsesServerIdentity() {
        return has("client.identity");
    }

    /** Whether the configuration names its own identity for {@code role}. */
    public boolean hasIdentity(Role role) {
        return has(role + ".keystore") || has(role + ".cert");
    }

    Map<String, String> environment() {
        return environment;
    }

    /** A label for messages: {@code server.keystore /etc/sip/server.p12 (from system property -Dekubridge.server.keystore)}. */
    String label(String key) {
        Setting setting = settings.get(key);
        return key + " " + setting.value + " (from " + setting.source + ")";
    }

    // --- validation ---------------------------------------------------------------------------

    private EkuPolicy parsePolicy() {
        Setting setting = settings.get("inbound.eku");
        if (setting == null) {
            return EkuPolicy.STRICT;
        }
        try {
            return EkuPolicy.fromConfigValue(setting.value);
        } catch (IllegalArgumentException e) {
            throw bad("inbound.eku", e.getMessage());
        }
    }

    private boolean parseBoolean(String key, boolean otherwise) {
        Setting setting = settings.get(key);
        if (setting == null) {
            return otherwise;
        }
        String value = setting.value.trim().toLowerCase(Locale.ROOT);
        if ("true".equals(value) || "false".equals(value)) {
            return "true".equals(value);
        }
        throw bad(key, "'" + setting.value + "' is not true or false");
    }

    private int parseSeconds(String key) {
        Setting setting = settings.get(key);
        if (setting == null) {
            return 0;
        }
        try {
            int seconds = Integer.parseInt(setting.value.trim());
            if (seconds >= 0) {
                return seconds;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw bad(key, "'" + setting.value + "' is not a whole number of seconds (0 turns reloading off)");
    }

    private void validateRoles() {
        for (Map.Entry<String, Setting> entry : settings.entrySet()) {
            if (!"inbound.eku".equals(entry.getKey()) && entry.getValue().value.trim().isEmpty()) {
                throw bad(entry.getKey(), "the value is empty");
            }
        }
        for (Role role : Role.values()) {
            String p = role.configPrefix();
            exclusive(p + ".keystore", p + ".cert");
            exclusive(p + ".keystore", p + ".key");
            together(p + ".cert", p + ".key");
            exclusive(p + ".password", p + ".password.env");
            exclusive(p + ".password", p + ".password.file");
            exclusive(p + ".password.env", p + ".password.file");
            requires(p + ".alias", p + ".keystore");
            for (String password : new String[] {p + ".password", p + ".password.env", p + ".password.file"}) {
                if (has(password) && !hasIdentity(role)) {
                    throw new EkuBridgeException(Reason.MISSING_KEY, password + " (from " + sourceOf(password) + ") is set but neither "
                        + p + ".keystore nor " + p + ".cert/" + p + ".key is");
                }
            }
        }
        if (has("client.identity")) {
            if (!"server".equals(get("client.identity").trim())) {
                throw bad("client.identity", "'" + get("client.identity") + "' is not a valid value; the only value is 'server'");
            }
            exclusive("client.identity", "client.keystore");
            exclusive("client.identity", "client.cert");
            if (!hasIdentity(Role.SERVER)) {
                throw new EkuBridgeException(Reason.MISSING_KEY, "client.identity=server (from " + sourceOf("client.identity")
                    + ") needs a server identity: set server.keystore or server.cert/server.key");
            }
        }
        exclusive("truststore", "truststore.pem");
        exclusive("truststore.password", "truststore.password.env");
        exclusive("truststore.password", "truststore.password.file");
        exclusive("truststore.password.env", "truststore.password.file");
        for (String password : new String[] {"truststore.password", "truststore.password.env", "truststore.password.file"}) {
            requires(password, "truststore");
        }
    }

    private void exclusive(String a, String b) {
        if (has(a) && has(b)) {
            throw new EkuBridgeException(Reason.CONFLICTING_KEYS, a + " (from " + sourceOf(a) + ") and " + b + " (from " + sourceOf(b)
                + ") cannot both be set");
        }
    }

    private void together(String a, String b) {
        requires(a, b);
        requires(b, a);
    }

    private void requires(String key, String needed) {
        if (has(key) && !has(needed)) {
            throw new EkuBridgeException(Reason.MISSING_KEY, key + " (from " + sourceOf(key) + ") needs " + needed + ", which is not set");
        }
    }

    private EkuBridgeException bad(String key, String why) {
        return new EkuBridgeException(Reason.BAD_VALUE, key + " (from " + sourceOf(key) + "): " + why);
    }

    /** Lists keys and sources, never values of password keys. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("EkuBridgeConfig{");
        for (Map.Entry<String, Setting> entry : settings.entrySet()) {
            boolean secret = entry.getKey().endsWith(".password");
            text.append(entry.getKey()).append('=').append(secret ? "****" : entry.getValue().value).append("; ");
        }
        return text.append('}').toString();
    }
}
