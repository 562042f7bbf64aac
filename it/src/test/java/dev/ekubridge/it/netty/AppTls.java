package dev.ekubridge.it.netty;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.security.KeyStore;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * What the fixture applications do with their own TLS files, as ordinary applications do (they know nothing of
 * EKU Bridge): a {@link KeyManagerFactory} and a {@link TrustManagerFactory} of the JDK's default algorithms over
 * their own PKCS#12 key store and trust store. Arguments are {@code --name value} pairs.
 */
final class AppTls {
    private AppTls() {
    }

    static Map<String, String> arguments(String[] args) {
        Map<String, String> named = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --name value pairs, got " + String.join(" ", args));
            }
            named.put(args[i].substring(2), args[i + 1]);
        }
        return named;
    }

    static String required(Map<String, String> args, String name) {
        String value = args.get(name);
        if (value == null) {
            throw new IllegalArgumentException("missing --" + name);
        }
        return value;
    }

    static KeyManagerFactory keyManagerFactory(String keyStore, char[] password) throws Exception {
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(load(keyStore, password), password);
        return factory;
    }

    static TrustManagerFactory trustManagerFactory(String trustStore, char[] password) throws Exception {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(load(trustStore, password));
        return factory;
    }

    static KeyStore load(String path, char[] password) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(Paths.get(path))) {
            store.load(in, password);
        }
        return store;
    }
}
