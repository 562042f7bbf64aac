package dev.ekubridge;

import dev.ekubridge.EkuBridgeException.Reason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Reads the files a configuration names: each role's identities (key store or PEM pair), the
 * password that opens them ({@code .password}, {@code .password.env} or {@code .password.file}) and
 * the trust store ({@code truststore} or {@code truststore.pem}). Every problem is one
 * {@link EkuBridgeException} naming the key, its source and the file. Passwords are wiped after use.
 */
final class ConfigLoader {
    private ConfigLoader() {
    }

    /** Everything the configuration's files hold, read and checked (not yet admitted to a role). */
    static final class Loaded {
        final List<Identity> server;
        final List<Identity> client;
        /** {@code server.keystore}'s entries were assigned to the roles by their EKU ({@link SingleStore#byEku}). */
        final boolean singleStore;
        /** The configured trust store, or {@code null}. */
        final KeyStore trustStore;

        Loaded(List<Identity> server, List<Identity> client, boolean singleStore, KeyStore trustStore) {
            this.server = server;
            this.client = client;
            this.singleStore = singleStore;
            this.trustStore = trustStore;
        }
    }

    /**
     * Reads every file the configuration names: each role's identities, and the trust store. A {@code server.keystore}
     * that is the only identity source (no {@code server.alias}, no client identity, no {@code client.identity}) has its
     * entries assigned to the roles by EKU when they differ in the roles they permit ({@link SingleStore#byEku}).
     */
    static Loaded load(EkuBridgeConfig config, Date now) {
        List<Identity> server = config.hasIdentity(Role.SERVER) ? identities(config, Role.SERVER) : Collections.<Identity>emptyList();
        List<Identity> client = config.hasIdentity(Role.CLIENT) ? identities(config, Role.CLIENT) : Collections.<Identity>emptyList();
        boolean singleStore = false;
        if (isSingleStore(config)) {
            SingleStore.Assignment assignment = SingleStore.byEku(server, now);
            if (assignment != null) {
                server = assignment.server;
                client = assignment.client;
                singleStore = true;
            }
        }
        return new Loaded(server, client, singleStore, trustStore(config));
    }

    /** Whether {@code server.keystore} is the configuration's only identity source, all its entries in use. */
    static boolean isSingleStore(EkuBridgeConfig config) {
        return config.has("server.keystore") && !config.has("server.alias") && !config.hasIdentity(Role.CLIENT)
            && !config.clientUsesServerIdentity();
    }

    /** The files behind the identities and the trust store (key stores, PEM files, password files), by key. */
    static Map<String, Path> files(EkuBridgeConfig config) {
        Map<String, Path> files = new LinkedHashMap<>();
        for (String key : new String[] {"server.keystore", "server.cert", "server.key", "server.password.file",
            "client.keystore", "client.cert", "client.key", "client.password.file",
            "truststore", "truststore.pem", "truststore.password.file"}) {
            if (config.has(key)) {
                files.put(key, path(config, key));
            }
        }
        return files;
    }

    /** The identities configured for {@code role}; call only when {@link EkuBridgeConfig#hasIdentity} says there are some. */
    static List<Identity> identities(EkuBridgeConfig config, Role role) {
        String p = role.configPrefix();
        char[] password = password(config, p);
        try {
            if (config.has(p + ".keystore")) {
                String label = config.label(p + ".keystore");
                return loading(config, p + ".keystore", () -> {
                    KeyStore store = KeyStoreFiles.load(label, path(config, p + ".keystore"), password);
                    return KeyStoreFiles.identities(label, store, password, config.get(p + ".alias"));
                });
            }
            return loading(config, p + ".cert", () -> Collections.singletonList(PemFiles.identity(config.label(p + ".cert"),
                path(config, p + ".cert"), config.label(p + ".key"), path(config, p + ".key"), password)));
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
                return requireAnchors(config, "truststore",
                    loading(config, "truststore", () -> KeyStoreFiles.load(config.label("truststore"), file, password)));
            } finally {
                if (password != null) {
                    Arrays.fill(password, '\0');
                }
            }
        }
        return config.has("truststore.pem")
            ? requireAnchors(config, "truststore.pem", loading(config, "truststore.pem", () -> pemTrustStore(config))) : null;
    }

    /**
     * Runs one loading step, so that nothing but an {@link EkuBridgeException} leaves the loader: an
     * unexpected exception from a parser becomes one naming the key, its source and the file, and its type.
     */
    private static <T> T loading(EkuBridgeConfig config, String key, Supplier<T> step) {
        try {
            return step.get();
        } catch (EkuBridgeException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new EkuBridgeException(Reason.UNKNOWN_FORMAT, config.label(key) + ": cannot be used: the file is damaged or"
                + " not of this kind (" + e.getClass().getName() + ")", e);
        }
    }

    /** A trust store without a single certificate would make every handshake fail: refused at start instead. */
    private static KeyStore requireAnchors(EkuBridgeConfig config, String key, KeyStore store) {
        try {
            for (String alias : Collections.list(store.aliases())) {
                if (store.getCertificate(alias) != null) {
                    return store;
                }
            }
        } catch (java.security.KeyStoreException e) {
            throw new EkuBridgeException(Reason.UNKNOWN_FORMAT, config.label(key) + ": cannot list its entries: " + e, e);
        }
        throw new EkuBridgeException(Reason.EMPTY_STORE, config.label(key) + ": the trust store holds no certificate, so every"
            + " handshake would fail; add the CA certificates to trust, or leave " + key + " out to use the JDK's default trust store");
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
        return config.path(key);
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
            byte[] content = FileBytes.read(config.label(key), path(config, key), FileBytes.MAX_TEXT_SIZE);
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
