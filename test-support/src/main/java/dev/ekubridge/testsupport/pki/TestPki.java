package dev.ekubridge.testsupport.pki;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;

import javax.net.ssl.X509ExtendedKeyManager;

/**
 * The PKI's entry points: roots ({@link Ca} issues the rest), key stores in memory and in files, and a key manager
 * that presents one fixed certificate. PEM files are {@link Pem}'s.
 *
 * <p>Everything handed out is a JDK object: key pairs come from the JDK's {@code KeyPairGenerator} (so
 * {@code getAlgorithm()} is {@code "EC"} / {@code "RSA"}), certificates are signed with the JDK's default providers
 * and parsed by the JDK's {@code CertificateFactory}. Key pairs are pooled per {@link KeyKind}: certificates share a
 * handful of key pairs, but a certificate never shares its key with its own issuer chain. Use
 * {@link LeafSpec#keyPair(KeyPair)} with {@link KeyKind#freshKeyPair()} where a test needs a key nothing else uses.
 */
public final class TestPki {

    /** The alias under which {@link #fixedKeyManager(Issued)} offers its certificate. */
    public static final String FIXED_ALIAS = FixedKeyManager.ALIAS;

    private TestPki() {
    }

    /** A new self-signed root CA, valid from a day ago for ten years. */
    public static Ca root(String name, KeyKind kind) {
        Instant now = Instant.now();
        return Ca.root(name, kind, now.minus(Ca.BACKDATE), now.plus(Ca.LIFETIME));
    }

    /** A new self-signed root CA valid in the given period (e.g. from before 2025, to issue leaves dated then). */
    public static Ca root(String name, KeyKind kind, Instant notBefore, Instant notAfter) {
        return Ca.root(name, kind, notBefore, notAfter);
    }

    /** Shorthand for {@link KeyKind#freshKeyPair()}. */
    public static KeyPair freshKeyPair(KeyKind kind) {
        return kind.freshKeyPair();
    }

    // ------------------------------------------------------------------------------------------------
    // Key stores
    // ------------------------------------------------------------------------------------------------

    /** An in-memory PKCS12 key store holding the anchors as trusted certificate entries "anchor-0", "anchor-1"... */
    public static KeyStore trustStore(X509Certificate... anchors) {
        return trustStore("PKCS12", anchors);
    }

    /** An in-memory key store of the given type ("PKCS12" or "JKS") holding trusted certificate entries. */
    public static KeyStore trustStore(String type, X509Certificate... anchors) {
        try {
            KeyStore ks = KeyStore.getInstance(type);
            ks.load(null, null);
            for (int i = 0; i < anchors.length; i++) {
                ks.setCertificateEntry("anchor-" + i, anchors[i]);
            }
            return ks;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot build trust store", e);
        }
    }

    /**
     * An in-memory key store ("PKCS12" or "JKS") with one private key entry per map entry (alias to issued
     * certificate, in the map's order), each protected by {@code password} and carrying {@link Issued#chain()}.
     * JKS for thousands of entries: PKCS12 encrypts each key with 10,000 PBKDF2 iterations.
     */
    public static KeyStore keyStore(String type, char[] password, Map<String, Issued> entries) {
        try {
            KeyStore ks = KeyStore.getInstance(type);
            ks.load(null, null);
            for (Map.Entry<String, Issued> e : entries.entrySet()) {
                ks.setKeyEntry(e.getKey(), e.getValue().privateKey(), password, e.getValue().chain());
            }
            return ks;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot build " + type + " key store", e);
        }
    }

    /** Single-entry convenience for {@link #keyStore(String, char[], Map)}. */
    public static KeyStore keyStore(String type, char[] password, String alias, Issued issued) {
        return keyStore(type, password, Collections.singletonMap(alias, issued));
    }

    /** The serialized form of a key store. */
    public static byte[] toBytes(KeyStore keyStore, char[] password) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            keyStore.store(out, password);
            return out.toByteArray();
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot serialize key store", e);
        }
    }

    /** A PKCS12 file image with the given entries (store password = key password). */
    public static byte[] toPkcs12Bytes(char[] password, Map<String, Issued> entries) {
        return toBytes(keyStore("PKCS12", password, entries), password);
    }

    /** A JKS file image with the given entries (store password = key password). */
    public static byte[] toJksBytes(char[] password, Map<String, Issued> entries) {
        return toBytes(keyStore("JKS", password, entries), password);
    }

    /** Writes a PKCS12 file (store password = key password); returns {@code file}. */
    public static Path writePkcs12(Path file, char[] password, Map<String, Issued> entries) {
        return write(file, toPkcs12Bytes(password, entries));
    }

    /**
     * Writes a PKCS12 file with one key entry whose chain is given in full (e.g. {@link Issued#chainWithRoot()}, as
     * key stores exported from a CA often are); returns {@code file}.
     */
    public static Path writePkcs12(Path file, char[] password, String alias, PrivateKey key, X509Certificate... chain) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry(alias, key, password, chain);
            return write(file, toBytes(ks, password));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot build PKCS12 key store " + file, e);
        }
    }

    /** Writes a JKS file (store password = key password); returns {@code file}. */
    public static Path writeJks(Path file, char[] password, Map<String, Issued> entries) {
        return write(file, toJksBytes(password, entries));
    }

    /** Writes a trust store file of the given type ("PKCS12" or "JKS"); returns {@code file}. */
    public static Path writeTrustStore(Path file, String type, char[] password, X509Certificate... anchors) {
        return write(file, toBytes(trustStore(type, anchors), password));
    }

    // ------------------------------------------------------------------------------------------------
    // Key manager
    // ------------------------------------------------------------------------------------------------

    /**
     * A key manager that offers this one certificate, in either role, whenever the requested key type fits its
     * key (no EKU, key usage or issuer filtering). Understands SunJSSE key types ("EC", "RSA") and BCJSSE ones
     * ("EC/secp256r1", "ECDHE_ECDSA", "ECDHE_RSA"...). Use it to make a peer present a certificate that the
     * JDK's or BCJSSE's own key managers would withhold, so that the other side's trust decision is tested.
     */
    public static X509ExtendedKeyManager fixedKeyManager(Issued issued) {
        return new FixedKeyManager(issued.privateKey(), issued.chain());
    }

    /** As {@link #fixedKeyManager(Issued)}, for any key and chain (leaf first). */
    public static X509ExtendedKeyManager fixedKeyManager(PrivateKey key, X509Certificate... chain) {
        return new FixedKeyManager(key, chain.clone());
    }

    // ------------------------------------------------------------------------------------------------
    // files
    // ------------------------------------------------------------------------------------------------

    /** Writes {@code bytes} to {@code file}, creating its directory; returns {@code file}. */
    static Path write(Path file, byte[] bytes) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.write(file, bytes);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
