package dev.ekubridge;

import dev.ekubridge.EkuBridgeConfig.Setting;
import dev.ekubridge.EkuBridgeException.Reason;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the four sources of a configuration, the first that sets a key winning: arguments ({@code key=value,...}),
 * {@code -Dekubridge.KEY} system properties, {@code EKUBRIDGE_KEY} environment variables, then the properties file
 * named by {@code config}. Each value keeps its source for messages; nothing that could be a secret is echoed.
 */
final class ConfigSources {
    /** How messages name an argument given after {@code -javaagent:...=}. */
    static final String AGENT_ARGUMENT = "agent argument";
    private static final String SYSTEM_PROPERTY_PREFIX = "ekubridge.";

    /** What the sources set, key to value and source. */
    final Map<String, Setting> settings = new LinkedHashMap<>();
    /** {@code EKUBRIDGE_*} variables that name no key: a line each, never their value. */
    final List<String> warnings = new ArrayList<>();

    private ConfigSources() {
    }

    /** Reads the sources; the arguments are named {@code argumentNoun} in messages. */
    static ConfigSources read(String arguments, String argumentNoun, Map<String, String> systemProperties,
            Map<String, String> environment) {
        ConfigSources sources = new ConfigSources();
        for (Map.Entry<String, String> entry : parseArguments(arguments, argumentNoun).entrySet()) {
            sources.settings.put(entry.getKey(), new Setting(entry.getValue(), argumentNoun + " " + entry.getKey()));
        }
        sources.readSystemProperties(systemProperties);
        sources.readEnvironment(environment);
        Setting config = sources.settings.get("config");
        if (config != null) {
            sources.readConfigFile(config);
        }
        return sources;
    }

    private void readSystemProperties(Map<String, String> systemProperties) {
        for (Map.Entry<String, String> entry : systemProperties.entrySet()) {
            String name = entry.getKey();
            if (name.startsWith(SYSTEM_PROPERTY_PREFIX)) {
                String key = name.substring(SYSTEM_PROPERTY_PREFIX.length());
                String source = "system property -D" + name;
                ConfigKeys.requireKnown(key, source);
                settings.putIfAbsent(key, new Setting(entry.getValue(), source));
            }
        }
    }

    private void readEnvironment(Map<String, String> environment) {
        Map<String, String> keyByVariable = new LinkedHashMap<>();
        for (String key : ConfigKeys.ALL) {
            keyByVariable.put(ConfigKeys.environmentName(key), key);
        }
        for (Map.Entry<String, String> entry : environment.entrySet()) {
            String variable = entry.getKey();
            if (variable.startsWith(ConfigKeys.ENVIRONMENT_PREFIX)) {
                String key = keyByVariable.get(variable);
                if (key == null) {
                    // Other software may use the prefix (EKUBRIDGE_HOME): a warning naming the variable, never its value.
                    String suggestion = ConfigKeys.suggestion(variable.substring(ConfigKeys.ENVIRONMENT_PREFIX.length()));
                    warnings.add("environment variable " + variable + " is not an EKU Bridge key and is ignored"
                        + (suggestion == null ? " (keys are EKUBRIDGE_ plus the key in upper case, dots and dashes as underscores)"
                            : "; did you mean " + ConfigKeys.environmentName(suggestion) + "?"));
                    continue;
                }
                settings.putIfAbsent(key, new Setting(entry.getValue(), "environment variable " + variable));
            }
        }
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
            if (!ConfigKeys.isKnown(key) && i > 0 && isPassword(pairs[i - 1])) {
                // Not echoed: most likely the rest of a password that contained a comma.
                throw new EkuBridgeException(Reason.UNKNOWN_KEY, noun + " " + (i + 1) + ", after a password, is not a known key"
                    + " (values cannot contain commas; give a password with .password.env or .password.file, or use config=FILE)");
            }
            if (!ConfigKeys.isKnown(key)) {
                boolean keyShaped = ConfigKeys.isKeyShaped(key);
                throw ConfigKeys.unknownKey(key, keyShaped, keyShaped ? noun + " " + key : noun + " " + (i + 1));
            }
            if (values.containsKey(key)) {
                throw new EkuBridgeException(Reason.CONFLICTING_KEYS, noun + " " + key + " is given twice");
            }
            values.put(key, pair.substring(equals + 1).trim());
        }
        return values;
    }

    /** Whether an argument sets a password (its key, however spaced or cased, ends with {@code .password}). */
    private static boolean isPassword(String pair) {
        int equals = pair.indexOf('=');
        return equals > 0 && pair.substring(0, equals).trim().toLowerCase(Locale.ROOT).endsWith("password");
    }

    /**
     * The config file's entries, last in precedence: UTF-8, every key known, none given twice, none naming another
     * config file. Keys of a file are never echoed when unknown (a bare password line would be), only their line.
     */
    private void readConfigFile(Setting config) {
        String label = "config (from " + config.source + ")";
        Path file = ConfigValues.toPath("config", config.source, config.value);
        byte[] content = FileBytes.read(label, file, FileBytes.MAX_TEXT_SIZE);
        List<PropertiesFile.Entry> entries;
        try {
            entries = PropertiesFile.parse("config file " + file, content);
        } finally {
            Arrays.fill(content, (byte) 0);
        }
        Map<String, Integer> lines = new HashMap<>();
        for (PropertiesFile.Entry entry : entries) {
            if (!ConfigKeys.isKnown(entry.key)) {
                throw new EkuBridgeException(Reason.UNKNOWN_KEY, "config file " + file + " line " + entry.line + ": unknown key"
                    + " (not shown, in case the line is a secret)" + ConfigKeys.hint(entry.key));
            }
            Integer first = lines.put(entry.key, entry.line);
            if (first != null) {
                throw new EkuBridgeException(Reason.CONFLICTING_KEYS, "config file " + file + ": key " + entry.key
                    + " is given twice, on lines " + first + " and " + entry.line);
            }
        }
        for (PropertiesFile.Entry entry : entries) {
            String source = "config file " + config.value + " line " + entry.line + " (key " + entry.key + ")";
            if ("config".equals(entry.key)) {
                throw new EkuBridgeException(Reason.BAD_VALUE, source + ": a config file cannot name another config file");
            }
            settings.putIfAbsent(entry.key, new Setting(entry.value.trim(), source));
        }
    }
}
