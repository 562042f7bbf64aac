package dev.ekubridge;

import dev.ekubridge.EkuBridgeException.Reason;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The catalogue of configuration keys ({@link EkuBridgeConfig#KEYS}) and what is said about a key that is not in it:
 * named only when it is safe to echo, with the nearest known key suggested.
 */
final class ConfigKeys {
    /** Every key of the contract, in the order of the documentation. */
    static final Set<String> ALL = Collections.unmodifiableSet(new LinkedHashSet<>(Arrays.asList(
        "config",
        "server.keystore", "server.cert", "server.key", "server.password", "server.password.env", "server.password.file", "server.alias",
        "client.keystore", "client.cert", "client.key", "client.password", "client.password.env", "client.password.file", "client.alias",
        "client.identity", "client.peers",
        "truststore", "truststore.password", "truststore.password.env", "truststore.password.file", "truststore.pem",
        "inbound.eku", "log.handshakes", "log.file", "log.level", "diagnostics.dir", "reload.seconds")));

    static final String ENVIRONMENT_PREFIX = "EKUBRIDGE_";
    /** What an unknown key may be echoed as when its source allows it at all; anything else is named by position. */
    private static final Pattern KEY_SHAPED = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private ConfigKeys() {
    }

    /** A key of the contract: one of {@link #ALL}, or a scoped inbound EKU rule ({@code inbound.eku.port.5061}...). */
    static boolean isKnown(String key) {
        return ALL.contains(key) || ScopedKeys.isScoped(key);
    }

    /** Whether an unknown key looks like a key rather than, say, a password, and so may be echoed. */
    static boolean isKeyShaped(String key) {
        return KEY_SHAPED.matcher(String.valueOf(key)).matches();
    }

    static void requireKnown(String key, String source) {
        if (!isKnown(key)) {
            throw unknownKey(key, true, source);
        }
    }

    /** The environment variable for a key: {@code server.password.env} is {@code EKUBRIDGE_SERVER_PASSWORD_ENV}. */
    static String environmentName(String key) {
        return ENVIRONMENT_PREFIX + key.replace('.', '_').replace('-', '_').toUpperCase(Locale.ROOT);
    }

    /** An unknown key, echoed only when {@code echo}; the nearest known key is suggested when there is one. */
    static EkuBridgeException unknownKey(String key, boolean echo, String source) {
        return new EkuBridgeException(Reason.UNKNOWN_KEY, (echo ? "unknown key '" + key + "' (from " + source + ")"
            : source + ": unknown key (not shown, in case it is a secret)") + hint(key));
    }

    /** The tail of an unknown-key message: the nearest known key, or the list of them all. */
    static String hint(String key) {
        String suggestion = suggestion(key);
        return suggestion == null ? "; known keys: " + ALL : "; did you mean " + suggestion + "?";
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
        for (String known : ALL) {
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
}
