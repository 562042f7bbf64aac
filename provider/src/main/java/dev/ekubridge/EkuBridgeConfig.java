package dev.ekubridge;

import dev.ekubridge.EkuBridgeException.Reason;
import dev.ekubridge.internal.CertificateText;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
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
 */
public final class EkuBridgeConfig {
    /** Every key of the contract, in the order of the documentation. */
    public static final Set<String> KEYS = Collections.unmodifiableSet(new LinkedHashSet<>(Arrays.asList(
        "config",
        "server.keystore", "server.cert", "server.key", "server.password", "server.password.env", "server.password.file", "server.alias",
        "client.keystore", "client.cert", "client.key", "client.password", "client.password.env", "client.password.file", "client.alias",
        "client.identity", "client.peers",
        "truststore", "truststore.password", "truststore.password.env", "truststore.password.file", "truststore.pem",
        "inbound.eku", "log.handshakes", "log.file", "log.level", "diagnostics.dir", "reload.seconds")));

    /** The values of {@code log.level}, most severe first. */
    private static final List<String> LOG_LEVELS = Collections.unmodifiableList(Arrays.asList("error", "warn", "info", "debug"));

    private static final String SYSTEM_PROPERTY_PREFIX = "ekubridge.";
    /** How messages name an argument given after {@code -javaagent:...=}. */
    private static final String AGENT_ARGUMENT = "agent argument";
    private static final String ENVIRONMENT_PREFIX = "EKUBRIDGE_";
    /** What an unknown key may be echoed as when its source allows it at all; anything else is named by position. */
    private static final Pattern KEY_SHAPED = Pattern.compile("[A-Za-z0-9._-]{1,64}");

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
    private final List<String> warnings;
    private final AtomicBoolean warningsLogged = new AtomicBoolean();
    private final EkuPolicy inboundEku;
    private final boolean logHandshakes;
    private final int reloadSeconds;
    private final String logLevel;
    private final List<String> clientPeers;

    private EkuBridgeConfig(Map<String, Setting> settings, Map<String, String> environment, List<String> warnings) {
        this.settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
        this.environment = environment;
        this.warnings = Collections.unmodifiableList(new ArrayList<>(warnings));
        this.inboundEku = parsePolicy();
        this.logHandshakes = parseBoolean("log.handshakes", false);
        this.reloadSeconds = parseSeconds("reload.seconds");
        this.logLevel = parseLogLevel();
        validateRoles();
        this.clientPeers = parseClientPeers();
        ScopedKeys.apply(this.settings, new PolicyScope.Builder()); // every scoped rule checked now, not at build

    }

    /** A configuration from one source only, e.g. a {@code Map} built by a program. */
    public static EkuBridgeConfig of(Map<String, String> values, String sourceName) {
        Map<String, Setting> settings = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : values.entrySet()) {
            if (!isKnown(entry.getKey())) {
                throw unknownKey(entry.getKey(), KEY_SHAPED.matcher(String.valueOf(entry.getKey())).matches(), sourceName);
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
        return load(agentArguments, AGENT_ARGUMENT, systemProperties, environment);
    }

    /**
     * As {@link #load(String, Map, Map)}, with the arguments' sources named {@code argumentNoun} in messages
     * (the command line's {@code key=value} arguments are not agent arguments).
     */
    static EkuBridgeConfig load(String arguments, String argumentNoun, Map<String, String> systemProperties,
            Map<String, String> environment) {
        Map<String, Setting> settings = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : parseArguments(arguments, argumentNoun).entrySet()) {
            settings.put(entry.getKey(), new Setting(entry.getValue(), argumentNoun + " " + entry.getKey()));
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
        List<String> warnings = new ArrayList<>();
        for (Map.Entry<String, String> entry : environment.entrySet()) {
            String variable = entry.getKey();
            if (variable.startsWith(ENVIRONMENT_PREFIX)) {
                String key = keyByVariable.get(variable);
                if (key == null) {
                    // Other software may use the prefix (EKUBRIDGE_HOME): a warning naming the variable, never its value.
                    String suggestion = suggestion(variable.substring(ENVIRONMENT_PREFIX.length()));
                    warnings.add("environment variable " + variable + " is not an EKU Bridge key and is ignored"
                        + (suggestion == null ? " (keys are EKUBRIDGE_ plus the key in upper case, dots and dashes as underscores)"
                            : "; did you mean " + environmentName(suggestion) + "?"));
                    continue;
                }
                settings.putIfAbsent(key, new Setting(entry.getValue(), "environment variable " + variable));
            }
        }
        Setting config = settings.get("config");
        if (config != null) {
            for (PropertiesFile.Entry entry : readConfigFile(config)) {
                String source = "config file " + config.value + " line " + entry.line + " (key " + entry.key + ")";
                if ("config".equals(entry.key)) {
                    throw new EkuBridgeException(Reason.BAD_VALUE, source + ": a config file cannot name another config file");
                }
                settings.putIfAbsent(entry.key, new Setting(entry.value, source));
            }
        }
        return new EkuBridgeConfig(settings, Collections.unmodifiableMap(new LinkedHashMap<>(environment)), warnings);
    }

    /** The environment variable for a key: {@code server.password.env} is {@code EKUBRIDGE_SERVER_PASSWORD_ENV}. */
    public static String environmentName(String key) {
        return ENVIRONMENT_PREFIX + key.replace('.', '_').replace('-', '_').toUpperCase(Locale.ROOT);
    }

    static Map<String, String> parseArguments(String arguments) {
        return parseArguments(arguments, AGENT_ARGUMENT);
    }

    private static Map<String, String> parseArguments(String arguments, String noun) {
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
                throw new EkuBridgeException(Reason.BAD_VALUE, noun + " " + (i + 1) + " is not key=value (values cannot"
                    + " contain commas; give a password with .password.env or .password.file, or use config=FILE)");
            }
            String key = pair.substring(0, equals).trim();
            if (!isKnown(key) && i > 0 && isPassword(pairs[i - 1])) {
                // Not echoed: most likely the rest of a password that contained a comma.
                throw new EkuBridgeException(Reason.UNKNOWN_KEY, noun + " " + (i + 1) + ", after a password, is not a known key"
                    + " (values cannot contain commas; give a password with .password.env or .password.file, or use config=FILE)");
            }
            if (!isKnown(key)) {
                boolean keyShaped = KEY_SHAPED.matcher(key).matches();
                throw unknownKey(key, keyShaped, keyShaped ? noun + " " + key : noun + " " + (i + 1));
            }
            if (values.containsKey(key)) {
                throw new EkuBridgeException(Reason.CONFLICTING_KEYS, noun + " " + key + " is given twice");
            }
            values.put(key, pair.substring(equals + 1).trim());
        }
        return values;
    }

    /** Whether an agent argument sets a password (its key, however spaced or cased, ends with {@code .password}). */
    private static boolean isPassword(String pair) {
        int equals = pair.indexOf('=');
        return equals > 0 && pair.substring(0, equals).trim().toLowerCase(Locale.ROOT).endsWith("password");
    }

    /**
     * The config file's entries: UTF-8, every key known, none given twice. Keys of a file are never echoed
     * when unknown (a bare password line would be), only their line.
     */
    private static List<PropertiesFile.Entry> readConfigFile(Setting config) {
        String label = "config (from " + config.source + ")";
        Path file = toPath("config", config.source, config.value);
        byte[] content = FileBytes.read(label, file, FileBytes.MAX_TEXT_SIZE);
        List<PropertiesFile.Entry> entries;
        try {
            entries = PropertiesFile.parse("config file " + file, content);
        } finally {
            Arrays.fill(content, (byte) 0);
        }
        Map<String, Integer> lines = new HashMap<>();
        List<PropertiesFile.Entry> values = new ArrayList<>(entries.size());
        for (PropertiesFile.Entry entry : entries) {
            if (!isKnown(entry.key)) {
                String suggestion = suggestion(entry.key);
                throw new EkuBridgeException(Reason.UNKNOWN_KEY, "config file " + file + " line " + entry.line + ": unknown key"
                    + " (not shown, in case the line is a secret)"
                    + (suggestion == null ? "; known keys: " + KEYS : "; did you mean " + suggestion + "?"));
            }
            Integer first = lines.put(entry.key, entry.line);
            if (first != null) {
                throw new EkuBridgeException(Reason.CONFLICTING_KEYS, "config file " + file + ": key " + entry.key
                    + " is given twice, on lines " + first + " and " + entry.line);
            }
            values.add(new PropertiesFile.Entry(entry.key, entry.value.trim(), entry.line));
        }
        return values;
    }

    /** A key of the contract: one of {@link #KEYS}, or a scoped inbound EKU rule ({@code inbound.eku.port.5061}...). */
    private static boolean isKnown(String key) {
        return KEYS.contains(key) || ScopedKeys.isScoped(key);
    }

    private static void requireKnown(String key, String source) {
        if (!isKnown(key)) {
            throw unknownKey(key, true, source);
        }
    }

    /** An unknown key, echoed only when {@code echo}; the nearest known key is suggested when there is one. */
    private static EkuBridgeException unknownKey(String key, boolean echo, String source) {
        String suggestion = suggestion(key);
        return new EkuBridgeException(Reason.UNKNOWN_KEY, (echo ? "unknown key '" + key + "' (from " + source + ")"
            : source + ": unknown key (not shown, in case it is a secret)")
            + (suggestion == null ? "; known keys: " + KEYS : "; did you mean " + suggestion + "?"));
    }

    /**
     * The known key nearest to {@code key} (ignoring case, with {@code _} and {@code -} as {@code .}) when it is
     * within a small edit distance: two edits, one for keys of up to five characters. This prints our key, never theirs.
     */
    static String suggestion(String key) {
        if (key == null || key.isEmpty() || key.length() > 64) {
            return null;
        }
        String normal = key.toLowerCase(Locale.ROOT).replace('_', '.').replace('-', '.');
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String known : KEYS) {
            int distance = distance(normal, known);
            if (distance < bestDistance) {
                best = known;
                bestDistance = distance;
            }
        }
        return bestDistance <= (normal.length() <= 5 ? 1 : 2) ? best : null;
    }

    /** Optimal string alignment distance: insertions, deletions, substitutions and adjacent transpositions. */
    private static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    /**
     * A configured path as a {@link Path}. A name this JVM cannot encode (a non-ASCII path when the JVM runs
     * with {@code LANG=C}, whose file names are ASCII) is an error saying so, not an {@link InvalidPathException}.
     */
    static Path toPath(String key, String source, String value) {
        try {
            return Paths.get(value);
        } catch (InvalidPathException e) {
            String encoding = System.getProperty("sun.jnu.encoding", "unknown");
            boolean unencodable = !encodes(value, encoding);
            throw new EkuBridgeException(Reason.BAD_VALUE, key + " (from " + source + "): " + (unencodable
                ? value + " has characters that this JVM cannot use in a file name (its file names are " + encoding
                    + "); run the JVM with a UTF-8 locale, e.g. LANG=C.UTF-8 or LC_ALL=en_US.UTF-8"
                : "not a file path: " + e.getMessage()), e);
        }
    }

    private static boolean encodes(String value, String encoding) {
        try {
            return java.nio.charset.Charset.forName(encoding).newEncoder().canEncode(value);
        } catch (RuntimeException e) {
            return true;
        }
    }

    // --- accessors ----------------------------------------------------------------------------

    /** The value of a key, or {@code null} when no source sets it. Typed accessors below are the API. */
    String get(String key) {
        Setting setting = settings.get(key);
        return setting == null ? null : setting.value;
    }

    /** Where a key's value came from, e.g. {@code system property -Dekubridge.inbound.eku}, or {@code null}. */
    String sourceOf(String key) {
        Setting setting = settings.get(key);
        return setting == null ? null : setting.source;
    }

    /** {@code true} when no key at all is set: then EKU Bridge changes nothing. */
    public boolean isEmpty() {
        return settings.isEmpty() || (settings.size() == 1 && settings.containsKey("config"));
    }

    boolean has(String key) {
        return settings.containsKey(key);
    }

    public EkuPolicy inboundEku() {
        return inboundEku;
    }

    /** Adds the inbound EKU rules scoped by peer, port or issuer to {@code scope}. */
    void applyScopedRules(PolicyScope.Builder scope) {
        ScopedKeys.apply(settings, scope);
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
        return value == null ? null : toPath("diagnostics.dir", sourceOf("diagnostics.dir"), value.trim());
    }

    /**
     * The agent's {@code log.file}, or {@code null}: checked so that a file that cannot be written is one
     * error naming the key rather than the logging backend's stack trace.
     *
     * @throws EkuBridgeException naming log.file when its directory does not exist, it is a directory or it cannot be written
     */
    public Path logFile() {
        String value = get("log.file");
        if (value == null) {
            return null;
        }
        Path file = toPath("log.file", sourceOf("log.file"), value.trim());
        if (Files.isDirectory(file)) {
            throw bad("log.file", file + " is a directory; give the name of a file in it");
        }
        Path directory = file.toAbsolutePath().getParent();
        if (directory != null && !Files.isDirectory(directory)) {
            throw bad("log.file", "the directory " + directory + " of " + file + " does not exist; create it or choose another file");
        }
        if (Files.exists(file) ? !Files.isWritable(file) : directory != null && !Files.isWritable(directory)) {
            throw bad("log.file", file + " cannot be written (permission denied)");
        }
        return file;
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
        return has(role + ".keystore") || has(role + ".cert");
    }

    Map<String, String> environment() {
        return environment;
    }

    /** A label for messages: {@code server.keystore /etc/sip/server.p12 (from system property -Dekubridge.server.keystore)}. */
    String label(String key) {
        Setting setting = settings.get(key);
        boolean secret = key.endsWith(".password");
        return key + (secret ? "" : " " + setting.value) + " (from " + setting.source + ")";
    }

    /** A configured path, named in errors by its key and source. */
    Path path(String key) {
        return toPath(key, sourceOf(key), get(key));
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

    private String parseLogLevel() {
        Setting setting = settings.get("log.level");
        if (setting == null) {
            return "info";
        }
        String value = setting.value.trim().toLowerCase(Locale.ROOT);
        if (LOG_LEVELS.contains(value)) {
            return value;
        }
        throw bad("log.level", "'" + setting.value + "' is not a log level; use error, warn, info or debug");
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

    private List<String> parseClientPeers() {
        Setting setting = settings.get("client.peers");
        if (setting == null) {
            return Collections.emptyList();
        }
        if (!hasIdentity(Role.SERVER) && !hasIdentity(Role.CLIENT)) {
            throw new EkuBridgeException(Reason.MISSING_KEY, "client.peers (from " + setting.source + ") limits where the client"
                + " identity is presented, but no identity is configured: set client.keystore or client.cert/client.key");
        }
        List<String> peers = Collections.unmodifiableList(Arrays.asList(setting.value.trim().split("[\\s,]+")));
        try {
            ClientPeers.parse(peers);
        } catch (IllegalArgumentException e) {
            throw bad("client.peers", CertificateText.printable(e.getMessage()));
        }
        return peers;
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
