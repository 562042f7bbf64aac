package dev.ekubridge;

import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;

/** Loads {@link Identity identities} from key stores and PEM files, with one clear error per problem. */
public final class Identities {
    private Identities() {
    }

    /**
     * Every private-key entry of a PKCS#12 or JKS file (the type is read from the content), or only
     * {@code alias} when it is not {@code null}. The password opens the store and its keys.
     *
     * @throws EkuBridgeException unreadable file, unknown format, wrong password, empty store, no such
     *                            alias, key not matching its certificate, chain out of order or broken
     */
    public static List<Identity> fromKeyStore(Path file, char[] password, String alias) {
        String label = "key store " + file;
        return KeyStoreFiles.identities(label, KeyStoreFiles.load(label, file, password), password, alias);
    }

    /** The private-key entries of an already loaded key store; {@code name} is used in messages. */
    public static List<Identity> fromKeyStore(KeyStore store, char[] password, String alias, String name) {
        return KeyStoreFiles.identities(name, store, password, alias);
    }

    /**
     * A PEM certificate chain (leaf first) and its private key (PKCS#8, PKCS#1, SEC1, encrypted
     * PKCS#8 or OpenSSL-encrypted PEM; {@code password} may be {@code null} for a clear key).
     */
    public static Identity fromPem(Path certificateFile, Path keyFile, char[] password) {
        return PemFiles.identity("certificate " + certificateFile, certificateFile, "key " + keyFile, keyFile, password);
    }
}
