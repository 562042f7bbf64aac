package dev.ekubridge;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.util.encoders.Hex;
import org.bouncycastle.util.io.pem.PemHeader;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * OpenSSL's legacy {@code Proc-Type: 4,ENCRYPTED} PEM keys decrypted with the JDK alone: OpenSSL derives the key with
 * its {@code EVP_BytesToKey} (MD5, the IV's first 8 bytes as salt, one round), plain code here, and encrypts with
 * ciphers the JDK has. Kept apart from {@link EncryptedKeys} so that the PKCS#8 paths read on their own.
 */
final class LegacyPemKeys {
    private LegacyPemKeys() {
    }

    /**
     * The key, or {@code null} when the JDK cannot decrypt it (no or odd {@code DEK-Info}, a cipher the JDK lacks, a
     * non-ASCII password): then Bouncy Castle tries. Throws for a wrong password.
     */
    static PrivateKeyInfo decryptWithJdk(String label, Path file, PemObject pem, char[] password) {
        String dekInfo = null;
        for (Object header : pem.getHeaders()) {
            PemHeader h = (PemHeader) header;
            if ("DEK-Info".equalsIgnoreCase(h.getName())) {
                dekInfo = h.getValue();
            }
        }
        int comma = dekInfo == null ? -1 : dekInfo.indexOf(',');
        if (comma < 0 || !EncryptedKeys.ascii(password)) {
            return null;
        }
        String algorithm = dekInfo.substring(0, comma).trim().toUpperCase(java.util.Locale.ROOT);
        String transformation;
        int keyBytes;
        if (algorithm.matches("AES-(128|192|256)-CBC")) {
            transformation = "AES/CBC/PKCS5Padding";
            keyBytes = Integer.parseInt(algorithm.substring(4, 7)) / 8;
        } else if (algorithm.equals("DES-EDE3-CBC")) {
            transformation = "DESede/CBC/PKCS5Padding";
            keyBytes = 24;
        } else if (algorithm.equals("DES-CBC")) {
            transformation = "DES/CBC/PKCS5Padding";
            keyBytes = 8;
        } else {
            return null;
        }
        byte[] iv;
        try {
            iv = Hex.decode(dekInfo.substring(comma + 1).trim());
        } catch (RuntimeException e) {
            return null;
        }
        Cipher cipher;
        byte[] key = null;
        try {
            cipher = Cipher.getInstance(transformation);
            if (iv.length != cipher.getBlockSize() || iv.length < 8) {
                return null;
            }
            key = bytesToKey(password, Arrays.copyOf(iv, 8), keyBytes);
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, transformation.substring(0, transformation.indexOf('/'))),
                new IvParameterSpec(iv));
        } catch (GeneralSecurityException e) {
            return null; // a JDK without the cipher, or a limited crypto policy
        } finally {
            if (key != null) {
                Arrays.fill(key, (byte) 0);
            }
        }
        byte[] plain = null;
        try {
            plain = cipher.doFinal(pem.getContent());
            // the decrypted PKCS#1 or SEC1 structure, read by the same parser as an unencrypted key of its type
            try (PEMParser parser = new PEMParser(new StringReader(pemText(pem.getType(), plain)))) {
                Object parsed = parser.readObject();
                if (parsed instanceof PEMKeyPair) {
                    return ((PEMKeyPair) parsed).getPrivateKeyInfo();
                }
                throw new IOException("not a key pair");
            }
        } catch (GeneralSecurityException | IOException | RuntimeException e) {
            throw EncryptedKeys.wrongPassword(label, file, e);
        } finally {
            if (plain != null) {
                Arrays.fill(plain, (byte) 0);
            }
        }
    }

    /** OpenSSL's {@code EVP_BytesToKey} with MD5, one iteration: D_i = MD5(D_(i-1) || password || salt). */
    private static byte[] bytesToKey(char[] password, byte[] salt, int length) throws GeneralSecurityException {
        MessageDigest md5 = MessageDigest.getInstance("MD5");
        byte[] passwordBytes = new byte[password.length];
        for (int i = 0; i < password.length; i++) {
            passwordBytes[i] = (byte) password[i];
        }
        byte[] key = new byte[length];
        byte[] block = new byte[0];
        for (int filled = 0; filled < length; filled += block.length) {
            md5.update(block);
            md5.update(passwordBytes);
            md5.update(salt);
            Arrays.fill(block, (byte) 0);
            block = md5.digest();
            System.arraycopy(block, 0, key, filled, Math.min(block.length, length - filled));
        }
        Arrays.fill(block, (byte) 0);
        Arrays.fill(passwordBytes, (byte) 0);
        return key;
    }

    private static String pemText(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + java.util.Base64.getMimeEncoder().encodeToString(der) + "\n-----END " + type + "-----\n";
    }
}
