package dev.ekubridge;

import dev.ekubridge.EkuBridgeConfig.Setting;
import dev.ekubridge.EkuBridgeException.Reason;
import dev.ekubridge.internal.CertificateText;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The typed values of single keys, parsed from their text: an error names the key, its source and what is wrong,
 * and says what would be right.
 */
final class ConfigValues {
    /** The values of {@code log.level}, most severe first. */
    private static final List<String> LOG_LEVELS = Collections.unmodifiableList(Arrays.asList("error", "warn", "info", "debug"));

    private ConfigValues() {
    }

    /** {@code inbound.eku}; strict when not set. */
    static EkuPolicy policy(ConfigSettings settings) {
        Setting setting = settings.setting("inbound.eku");
        if (setting == null) {
            return EkuPolicy.STRICT;
        }
        try {
            return EkuPolicy.fromConfigValue(setting.value);
        } catch (IllegalArgumentException e) {
            throw settings.bad("inbound.eku", e.getMessage());
        }
    }

    static boolean bool(ConfigSettings settings, String key, boolean otherwise) {
        Setting setting = settings.setting(key);
        if (setting == null) {
            return otherwise;
        }
        String value = setting.value.trim().toLowerCase(Locale.ROOT);
        if ("true".equals(value) || "false".equals(value)) {
            return "true".equals(value);
        }
        throw settings.bad(key, "'" + setting.value + "' is not true or false");
    }

    /** {@code log.level} in lower case; info when not set. */
    static String logLevel(ConfigSettings settings) {
        Setting setting = settings.setting("log.level");
        if (setting == null) {
            return "info";
        }
        String value = setting.value.trim().toLowerCase(Locale.ROOT);
        if (LOG_LEVELS.contains(value)) {
            return value;
        }
        throw settings.bad("log.level", "'" + setting.value + "' is not a log level; use error, warn, info or debug");
    }

    /** A number of seconds, 0 or more; 0 when not set. */
    static int seconds(ConfigSettings settings, String key) {
        Setting setting = settings.setting(key);
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
        throw settings.bad(key, "'" + setting.value + "' is not a whole number of seconds (0 turns reloading off)");
    }

    /** {@code client.peers} as given, each entry checked; empty when not set. */
    static List<String> clientPeers(ConfigSettings settings) {
        Setting setting = settings.setting("client.peers");
        if (setting == null) {
            return Collections.emptyList();
        }
        if (!settings.hasIdentity(Role.SERVER) && !settings.hasIdentity(Role.CLIENT)) {
            throw new EkuBridgeException(Reason.MISSING_KEY, "client.peers (from " + setting.source + ") limits where the client"
                + " identity is presented, but no identity is configured: set client.keystore or client.cert/client.key");
        }
        List<String> peers = Collections.unmodifiableList(Arrays.asList(setting.value.trim().split("[\\s,]+")));
        try {
            ClientPeers.parse(peers);
        } catch (IllegalArgumentException e) {
            throw settings.bad("client.peers", CertificateText.printable(e.getMessage()));
        }
        return peers;
    }

    /**
     * {@code log.file}, or {@code null}: checked so that a file that cannot be written is one error naming the key
     * rather than the logging backend's stack trace.
     */
    static Path logFile(ConfigSettings settings) {
        String value = settings.get("log.file");
        if (value == null) {
            return null;
        }
        Path file = toPath("log.file", settings.sourceOf("log.file"), value.trim());
        if (Files.isDirectory(file)) {
            throw settings.bad("log.file", file + " is a directory; give the name of a file in it");
        }
        Path directory = file.toAbsolutePath().getParent();
        if (directory != null && !Files.isDirectory(directory)) {
            throw settings.bad("log.file", "the directory " + directory + " of " + file
                + " does not exist; create it or choose another file");
        }
        if (Files.exists(file) ? !Files.isWritable(file) : directory != null && !Files.isWritable(directory)) {
            throw settings.bad("log.file", file + " cannot be written (permission denied)");
        }
        return file;
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
}
