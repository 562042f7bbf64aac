package dev.ekubridge;

import dev.ekubridge.EkuBridgeException.Reason;
import dev.ekubridge.internal.CertificateText;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.security.auth.x500.X500Principal;

/**
 * The configuration keys that scope the inbound EKU policy, whose names carry a value of their own:
 * {@code inbound.eku.port.PORT}, {@code inbound.eku.peer.HOST-OR-ADDRESS-OR-CIDR}, and the issuer rules
 * {@code inbound.eku.issuer.LABEL=MODE} with {@code inbound.eku.issuer.LABEL.dn=ISSUER DN} (two keys, because a
 * distinguished name holds commas and equals signs that a key cannot). They can be given as agent arguments,
 * system properties and in the config file (an issuer DN, with its commas, in the file or a system property
 * only), not as environment variables, whose names cannot spell them.
 */
final class ScopedKeys {
    private static final Pattern PORT = Pattern.compile("inbound\\.eku\\.port\\.(.+)");
    private static final Pattern PEER = Pattern.compile("inbound\\.eku\\.peer\\.(.+)");
    private static final Pattern ISSUER = Pattern.compile("inbound\\.eku\\.issuer\\.([A-Za-z0-9_-]+)(\\.dn)?");

    private ScopedKeys() {
    }

    /** Whether {@code key} is one of the scoped keys (its value part is checked by {@link #apply}). */
    static boolean isScoped(String key) {
        return PORT.matcher(key).matches() || PEER.matcher(key).matches() || ISSUER.matcher(key).matches();
    }

    /**
     * Adds the scoped rules of {@code settings} (key to value and source) to {@code scope}, or throws one error
     * naming the key, its source and what is wrong.
     */
    static void apply(Map<String, EkuBridgeConfig.Setting> settings, PolicyScope.Builder scope) {
        for (Map.Entry<String, EkuBridgeConfig.Setting> entry : settings.entrySet()) {
            String key = entry.getKey();
            EkuBridgeConfig.Setting setting = entry.getValue();
            Matcher port = PORT.matcher(key);
            Matcher peer = PEER.matcher(key);
            Matcher issuer = ISSUER.matcher(key);
            try {
                if (port.matches()) {
                    int number;
                    try {
                        number = Integer.parseInt(port.group(1));
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("'" + port.group(1) + "' is not a port number (1 to 65535)");
                    }
                    scope.port(number, mode(setting), key);
                } else if (peer.matches()) {
                    scope.peer(peer.group(1), mode(setting), key);
                } else if (issuer.matches() && issuer.group(2) == null) {
                    EkuBridgeConfig.Setting dn = settings.get(key + ".dn");
                    if (dn == null) {
                        throw new EkuBridgeException(Reason.MISSING_KEY, key + " (from " + setting.source + ") needs " + key
                            + ".dn, the distinguished name of the issuer it applies to");
                    }
                    scope.issuer(principal(dn.value), mode(setting), key);
                } else if (issuer.matches() && !settings.containsKey(key.substring(0, key.length() - 3))) {
                    throw new EkuBridgeException(Reason.MISSING_KEY, key + " (from " + setting.source + ") needs "
                        + key.substring(0, key.length() - 3) + ", the mode for that issuer");
                }
            } catch (IllegalArgumentException e) {
                throw new EkuBridgeException(Reason.BAD_VALUE, CertificateText.printable(key) + " (from " + setting.source + "): "
                    + CertificateText.printable(e.getMessage()), e);
            }
        }
    }

    private static EkuPolicy mode(EkuBridgeConfig.Setting setting) {
        return EkuPolicy.fromConfigValue(setting.value);
    }

    private static X500Principal principal(String dn) {
        try {
            return new X500Principal(dn.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("its .dn is not a distinguished name such as CN=Example CA,O=Example");
        }
    }
}
