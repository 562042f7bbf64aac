package dev.ekubridge;

import dev.ekubridge.EkuBridgeException.Reason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Reads the files a configuration names: each role's identities (key store or PEM pair), the
 * password that opens them ({@code .password}, {@code .password.env} or {@code .password.file}) and
 * the trust store ({@code truststore} or {@code truststore.pem}). Every problem is one
 * {@link EkuBridgeException} naming the key, its source and the file. Passwords are wiped after use.
 */
final class ConfigLoader {
    private ConfigLoader() {
    }

    /** Refuses what the configuration asks for that this version cannot do. */
    static void requireSupported(EkuBridgeConfig config) {
        if (config.reloadSeconds() > 0) {
            throw new EkuBridgeException(Reason.UNSUPPORTED, "reload.seconds=" + config.reloadSeconds() + " (from "
                + config.sourceOf("reload.seconds") + "): reloading certificate files is not available in this version;"
                + " leave it out or set 0, and restart to rotate certificates");
        }
    }

    /** The identities configured for {@code role}; call only when {@link EkuBridgeConfig#hasIdentity} says there are some. */
    static List<Identity> identities(EkuBridgeConfig config, Role role) {
        String p = role.configPrefix();
        char[] password = password(config, p);
        try {
            if (config.has(p + ".keystore")) {
                String label = config.label(p + ".keystore");
                KeyStore store = KeyStoreFiles.load(label, path(config, p + ".keystore"), password);
                return KeyStoreFiles.identities(label, store, password, config.get(p + ".alias"));
            }
            return Collections.singletonList(PemFiles.identity(config.label(p + ".cert"), path(config, p + ".cert"),
                config.label(p + ".key"), path(config, p + ".key"), password));
        } finally {
            if (password != null) {
                Arrays.fill(password, '\0');
            }
        }
    }

    /** The configured trust store ({@code truststore} or {@code truststore.pem}), or {@code null} when there is none. */
    static KeyStore trustStore(EkuBridgeConfig config) {
        if (config.has("truststore")) {
            Path file = path(config, "truststore");
            char[] password = password(config, "truststore");
            try {
                return KeyStoreFiles.load(config.label("truststore"), file, password);
            } finally {
                if (password != null) {
                    Arrays.fill(password, '\0');
                }
            }
        }
        return config.has("truststore.pem") ? pemTrustStore(config) : null;
    }

    private static KeyStore pemTrustStore(EkuBridgeConfig config) {
        X509Certificate[] anchors = PemFiles.certificates(config.label("truststore.pem"), path(config, "truststore.pem"));
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            for (int i = 0; i < anchors.length; i++) {
                store.setCertificateEntry("anchor-" + i, anchors[i]);
            }
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new EkuBridgeException(Reason.UNSUPPORTED, config.label("truststore.pem") + ": cannot build a trust store: " + e, e);
        }
    }

    private static Path path(EkuBridgeConfig config, String key) {
        try {
            return Paths.get(config.get(key));
        } catch (RuntimeException e) {
            throw new EkuBridgeException(Reason.BAD_VALUE, key + " (from " + config.sourceOf(key) + "): not a file path: " + e.getMessage(), e);
        }
    }

    /** The password of {@code prefix} from {@code .password}, {@code .password.env} or {@code .password.file}, or {@code null}. */
    private static char[] password(EkuBridgeConfig config, String prefix) {
        if (config.has(prefix + ".password")) {
            return config.get(prefix + ".password").toCharArray();
        }
        if (config.has(prefix + ".password.env")) {
            String key = prefix + ".password.env";
            String variable = config.get(key).trim();
            String value = config.environment().get(variable);
            if (value == null) {
                throw new EkuBridgeException(Reason.MISSING_KEY, key + " (from " + config.sourceOf(key) + ") names environment variable "
                    + variable + ", which is not set");
            }
            return value.toCharArray();
        }
        if (config.has(prefix + ".password.file")) {
            String key = prefix + ".password.file";
            byte[] content = FileBytes.read(config.label(key), path(config, key));
            String text = new String(content, StandardCharsets.UTF_8);
            int end = text.length();
            while (end > 0 && (text.charAt(end - 1) == '\n' || text.charAt(end - 1) == '\r')) {
                end--;
            }
            Arrays.fill(content, (byte) 0);
            return text.substring(0, end).toCharArray();
        }
        return null;
    }
}
