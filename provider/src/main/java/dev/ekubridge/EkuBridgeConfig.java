package dev.ekubridge;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.LoggerFactory;

/**
 * The EKU Bridge configuration: the keys of README's configuration table, read from up to four sources, the first
 * that sets a key winning: agent arguments, {@code -Dekubridge.KEY} system properties,
 * {@code EKUBRIDGE_KEY} environment variables, then the properties file named by {@code config}.
 * Parsed and validated here, once; an unknown key, a bad value or conflicting keys throw an
 * {@link EkuBridgeException} naming the key and the source it came from. Immutable.
 *
 * <p>Nothing that could be a secret is ever echoed: an unknown key of a config file is named by its
 * line (a bare password line would otherwise be printed), and so is an agent argument that may be the
 * tail of a password split at a comma; when such a key is close to a known one, the known key is
 * suggested. The config file is read as UTF-8 (a byte order mark is skipped); a key given twice in it
 * is an error naming both lines. An {@code EKUBRIDGE_*} environment variable that names no key is not
 * an error but a {@linkplain #warnings() warning}, since other software may use that prefix.
 *
 * <p>Files (key stores, PEM, password files) are only read by {@link EkuBridge#fromConfig}. The
 * typed accessors are the API; the values of the file and password keys are read inside this package.
 * (Package-private helpers do the work: {@link ConfigSources} reads the sources, {@link ConfigKeys} knows the keys,
 * {@link ConfigValues} parses single values and {@link ConfigRules} checks the rules between keys.)
 */
public final class EkuBridgeConfig {
    /** Every key of the contract, in the order of the documentation. */
    public static final Set<String> KEYS = ConfigKeys.ALL;

    /** A value and where it came from, e.g. {@code -Dekubridge.inbound.eku}. */
    static final class Setting {
        final String value;
        final String source;

        Setting(String value, String source) {
            this.value = value;
            this.source = source;
        }
    }

    private final ConfigSettings settings;
    private final Map<String, String> environment;
    private final List<String> warnings;
    private final AtomicBoolean warningsLogged = new AtomicBoolean();
    private final EkuPolicy inboundEku;
    private final boolean logHandshakes;
    private final int reloadSeconds;
    private final String logLevel;
    private final List<String> clientPeers;

    private EkuBridgeConfig(Map<String, Setting> settings, Map<String, String> environment, List<String> warnings) {
        this.settings = new ConfigSettings(settings);
        this.environment = environment;
        this.warnings = Collections.unmodifiableList(new ArrayList<>(warnings));
        this.inboundEku = ConfigValues.policy(this.settings);
        this.logHandshakes = ConfigValues.bool(this.settings, "log.handshakes", false);
        this.reloadSeconds = ConfigValues.seconds(this.settings, "reload.seconds");
        this.logLevel = ConfigValues.logLevel(this.settings);
        ConfigRules.check(this.settings);
        this.clientPeers = ConfigValues.clientPeers(this.settings);
        ScopedKeys.apply(this.settings.all(), new PolicyScope.Builder()); // every scoped rule checked now, not at build
    }

    /** A configuration from one source only, e.g. a {@code Map} built by a program. */
    public static EkuBridgeConfig of(Map<String, String> values, String sourceName) {
        Map<String, Setting> settings = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : values.entrySet()) {
            if (!ConfigKeys.isKnown(entry.getKey())) {
                throw ConfigKeys.unknownKey(entry.getKey(), ConfigKeys.isKeyShaped(entry.getKey()), sourceName);
            }
            settings.put(entry.getKey(), new Setting(entry.getValue(), sourceName));
        }
        return new EkuBridgeConfig(settings, Collections.unmodifiableMap(System.getenv()), Collections.<String>emptyList());
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
        return load(agentArguments, ConfigSources.AGENT_ARGUMENT, systemProperties, environment);
    }

    /**
     * As {@link #load(String, Map, Map)}, with the arguments' sources named {@code argumentNoun} in messages
     * (the command line's {@code key=value} arguments are not agent arguments).
     */
    static EkuBridgeConfig load(String arguments, String argumentNoun, Map<String, String> systemProperties,
            Map<String, String> environment) {
        ConfigSources sources = ConfigSources.read(arguments, argumentNoun, systemProperties, environment);
        return new EkuBridgeConfig(sources.settings, Collections.unmodifiableMap(new LinkedHashMap<>(environment)), sources.warnings);
    }

    /** The environment variable for a key: {@code server.password.env} is {@code EKUBRIDGE_SERVER_PASSWORD_ENV}. */
    public static String environmentName(String key) {
        return ConfigKeys.environmentName(key);
    }

    // --- accessors ----------------------------------------------------------------------------

    /** The value of a key, or {@code null} when no source sets it. Typed accessors below are the API. */
    String get(String key) {
        return settings.get(key);
    }

    /** Where a key's value came from, e.g. {@code system property -Dekubridge.inbound.eku}, or {@code null}. */
    String sourceOf(String key) {
        return settings.sourceOf(key);
    }

    /** {@code true} when no key at all is set: then EKU Bridge changes nothing. */
    public boolean isEmpty() {
        Map<String, Setting> all = settings.all();
        return all.isEmpty() || (all.size() == 1 && all.containsKey("config"));
    }

    boolean has(String key) {
        return settings.has(key);
    }

    public EkuPolicy inboundEku() {
        return inboundEku;
    }

    /** Adds the inbound EKU rules scoped by peer, port or issuer to {@code scope}. */
    void applyScopedRules(PolicyScope.Builder scope) {
        ScopedKeys.apply(settings.all(), scope);
    }

    public boolean logHandshakes() {
        return logHandshakes;
    }

    public int reloadSeconds() {
        return reloadSeconds;
    }

    /**
     * The agent's log level ({@code log.level}): {@code error}, {@code warn}, {@code info} (the default)
     * or {@code debug}, in lower case.
     */
    public String logLevel() {
        return logLevel;
    }

    /** Where to write the certificates in use as PEM, or {@code null}. */
    public Path diagnosticsDir() {
        String value = get("diagnostics.dir");
        return value == null ? null : ConfigValues.toPath("diagnostics.dir", sourceOf("diagnostics.dir"), value.trim());
    }

    /**
     * The agent's {@code log.file}, or {@code null}: checked so that a file that cannot be written is one
     * error naming the key rather than the logging backend's stack trace.
     *
     * @throws EkuBridgeException naming log.file when its directory does not exist, it is a directory or it cannot be written
     */
    public Path logFile() {
        return ConfigValues.logFile(settings);
    }

    /**
     * What the configuration's sources hold that is ignored but worth a line: for now, {@code EKUBRIDGE_*}
     * environment variables that name no key (only the variable is named). Empty when there is nothing to say.
     * {@link EkuBridge#fromConfig} logs them once; the agent prints them in its own log.
     */
    public List<String> warnings() {
        return warnings;
    }

    /** Logs {@link #warnings()} on this class's SLF4J logger, the first time only. */
    void logWarningsOnce() {
        if (!warnings.isEmpty() && warningsLogged.compareAndSet(false, true)) {
            org.slf4j.Logger log = LoggerFactory.getLogger(EkuBridgeConfig.class);
            for (String warning : warnings) {
                log.warn("{}", warning);
            }
        }
    }

    /**
     * The peers the client identity is presented to ({@code client.peers}, separated by spaces or commas), as given;
     * empty when every peer gets it.
     */
    public List<String> clientPeers() {
        return clientPeers;
    }

    /** {@code true} when {@code client.identity=server}: present the server identity as the client identity too. */
    public boolean clientUsesServerIdentity() {
        return has("client.identity");
    }

    /** Whether the configuration names its own identity for {@code role}. */
    public boolean hasIdentity(Role role) {
        return settings.hasIdentity(role);
    }

    Map<String, String> environment() {
        return environment;
    }

    /** A label for messages: {@code server.keystore /etc/sip/server.p12 (from system property -Dekubridge.server.keystore)}. */
    String label(String key) {
        Setting setting = settings.setting(key);
        boolean secret = key.endsWith(".password");
        return key + (secret ? "" : " " + setting.value) + " (from " + setting.source + ")";
    }

    /** A configured path, named in errors by its key and source. */
    Path path(String key) {
        return ConfigValues.toPath(key, sourceOf(key), get(key));
    }

    /** Lists keys and sources, never values of password keys. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("EkuBridgeConfig{");
        for (Map.Entry<String, Setting> entry : settings.all().entrySet()) {
            boolean secret = entry.getKey().endsWith(".password");
            text.append(entry.getKey()).append('=').append(secret ? "****" : entry.getValue().value).append("; ");
        }
        return text.append('}').toString();
    }
}
