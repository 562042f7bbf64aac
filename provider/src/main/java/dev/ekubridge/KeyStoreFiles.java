package dev.ekubridge;

import dev.ekubridge.EkuBridgeException.Reason;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.PrivateKey;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Loads PKCS#12 and JKS key stores, the type detected from the content. */
final class KeyStoreFiles {
    private KeyStoreFiles() {
    }

    /** {@code PKCS12}, {@code JKS} or {@code JCEKS} from the first bytes, or {@code null} when it is none of them. */
    static String detectType(byte[] content) {
        if (content.length >= 4) {
            int magic = ((content[0] & 0xff) << 24) | ((content[1] & 0xff) << 16) | ((content[2] & 0xff) << 8) | (content[3] & 0xff);
            if (magic == 0xFEEDFEED) {
                return "JKS";
            }
            if (magic == 0xCECECECE) {
                return "JCEKS";
            }
        }
        // PKCS#12 is a DER SEQUENCE (0x30) whose first element is the version INTEGER 3.
        if (content.length > 8 && (content[0] & 0xff) == 0x30) {
            return "PKCS12";
        }
        return null;
    }

    /** Loads a key store file, with clear errors for an unreadable file, unknown format or wrong password. */
    static KeyStore load(String label, Path file, char[] password) {
        byte[] content = FileBytes.read(label, file);
        String type = detectType(content);
        if (type == null) {
            boolean pem = new String(content, 0, Math.min(content.length, 64), java.nio.charset.StandardCharsets.US_ASCII).contains("-----BEGIN");
            throw new EkuBridgeException(Reason.UNKNOWN_FORMAT, label + ": " + file + " is not a PKCS#12 or JKS key store"
                + (pem ? " (it is PEM: give it as a .cert/.key pair instead)" : ""));
        }
        try {
            KeyStore store = KeyStore.getInstance(type);
            store.load(new ByteArrayInputStream(content), password);
            return store;
        } catch (IOException e) {
            if (isPasswordFailure(e)) {
                throw new EkuBridgeException(Reason.WRONG_PASSWORD, label + ": wrong password for key store " + file
                    + (password == null ? " (no password was given)" : ""), e);
            }
            throw new EkuBridgeException(Reason.UNKNOWN_FORMAT, label + ": " + file + " looks like " + type
                + " but " + whatIsWrong(e), e);
        } catch (GeneralSecurityException | RuntimeException e) {
            // A damaged store can make the JDK's loaders throw unchecked exceptions (index out of bounds, negative sizes).
            throw new EkuBridgeException(Reason.UNKNOWN_FORMAT, label + ": " + file + " looks like " + type
                + " but " + whatIsWrong(e), e);
        } finally {
            java.util.Arrays.fill(content, (byte) 0);
        }
    }

    /**
     * Why a store that looks like PKCS#12 or JKS cannot be read: "is truncated or damaged" when the loader
     * ran out of data or gave no reason (the JDK's PKCS#12 loader throws an IOException with a null message
     * for a cut-off file), naming the exception types; otherwise its message.
     */
    static String whatIsWrong(Throwable e) {
        Throwable root = e;
        boolean endOfData = e instanceof java.io.EOFException;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
            endOfData |= root instanceof java.io.EOFException;
        }
        String message = e.getMessage();
        boolean noReason = message == null || message.isEmpty() || (e.getCause() != null && message.equals(e.getCause().toString()));
        if (endOfData || noReason || e instanceof RuntimeException) {
            return "is truncated or damaged (" + e.getClass().getSimpleName()
                + (root == e ? "" : " caused by " + root.getClass().getSimpleName()) + ")";
        }
        return "cannot be read: " + message;
    }

    private static boolean isPasswordFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnrecoverableKeyException || t instanceof javax.crypto.BadPaddingException) {
                return true;
            }
            String message = t.getMessage();
            if (message != null && (message.contains("password was incorrect") || message.contains("password"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * The private-key entries of a store as identities, in alias order, or only {@code alias} when given.
     * Entry keys are read with {@code password}.
     */
    static List<Identity> identities(String label, KeyStore store, char[] password, String alias) {
        List<String> aliases = new ArrayList<>();
        try {
            for (String each : Collections.list(store.aliases())) {
                if (store.isKeyEntry(each)) {
                    aliases.add(each);
                }
            }
        } catch (KeyStoreException e) {
            throw new EkuBridgeException(Reason.UNKNOWN_FORMAT, label + ": cannot list entries: " + e, e);
        }
        Collections.sort(aliases);
        if (alias != null) {
            if (!aliases.contains(alias)) {
                throw new EkuBridgeException(Reason.NO_SUCH_ALIAS, label + ": no private-key entry named '" + alias + "'"
                    + (aliases.isEmpty() ? " (the store has no private-key entries)" : "; it has " + aliases));
            }
            aliases = Collections.singletonList(alias);
        }
        if (aliases.isEmpty()) {
            throw new EkuBridgeException(Reason.EMPTY_STORE, label + ": the key store holds no private key with a certificate");
        }
        List<Identity> identities = new ArrayList<>(aliases.size());
        for (String each : aliases) {
            identities.add(entry(label, store, password, each));
        }
        return identities;
    }

    /**
     * Single-store mode, as the JDK's key managers read {@code javax.net.ssl.keyStore}: every usable
     * private-key entry, in alias order; an entry that is not usable (a secret key, a key that does not
     * match its certificate, a broken chain) is skipped and reported to {@code skipped}. An empty store
     * gives an empty list. A wrong password still fails, as it does for the JDK.
     */
    static List<Identity> usableIdentities(String label, KeyStore store, char[] password,
            java.util.function.Consumer<EkuBridgeException> skipped) {
        List<Identity> identities = new ArrayList<>();
        try {
            List<String> aliases = Collections.list(store.aliases());
            Collections.sort(aliases);
            for (String alias : aliases) {
                if (!store.isKeyEntry(alias)) {
                    continue;
                }
                try {
                    identities.add(entry(label, store, password, alias));
                } catch (EkuBridgeException e) {
                    if (e.reason() == Reason.WRONG_PASSWORD) {
                        throw e;
                    }
                    skipped.accept(e);
                }
            }
        } catch (KeyStoreException e) {
            throw new EkuBridgeException(Reason.UNKNOWN_FORMAT, label + ": cannot list entries: " + e, e);
        }
        return identities;
    }

    private static Identity entry(String label, KeyStore store, char[] password, String alias) {
        Key key;
        Certificate[] chain;
        try {
            key = store.getKey(alias, password);
            chain = store.getCertificateChain(alias);
        } catch (UnrecoverableKeyException e) {
            throw new EkuBridgeException(Reason.WRONG_PASSWORD, label + ": wrong password for the key of entry '" + alias + "'", e);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new EkuBridgeException(Reason.UNKNOWN_FORMAT, label + ": cannot read entry '" + alias + "': " + e, e);
        }
        if (!(key instanceof PrivateKey)) {
            throw new EkuBridgeException(Reason.UNSUPPORTED, label + ": entry '" + alias + "' holds a secret key, not a private key");
        }
        if (chain == null || chain.length == 0) {
            throw new EkuBridgeException(Reason.EMPTY_STORE, label + ": entry '" + alias + "' has a private key but no certificate");
        }
        X509Certificate[] x509 = new X509Certificate[chain.length];
        for (int i = 0; i < chain.length; i++) {
            if (!(chain[i] instanceof X509Certificate)) {
                throw new EkuBridgeException(Reason.UNSUPPORTED, label + ": entry '" + alias + "' holds a non-X.509 certificate");
            }
            x509[i] = (X509Certificate) chain[i];
        }
        return Identity.of(alias, label + " entry '" + alias + "'", (PrivateKey) key, x509);
    }
}
