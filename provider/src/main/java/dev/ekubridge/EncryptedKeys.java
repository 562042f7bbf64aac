package dev.ekubridge;

import dev.ekubridge.EkuBridgeException.Reason;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.spec.InvalidKeySpecException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.NoSuchPaddingException;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.pkcs.PBES2Parameters;
import org.bouncycastle.asn1.pkcs.PBKDF2Params;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.crypto.generators.SCrypt;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMException;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * Decrypts encrypted private keys, with the JDK wherever it can: constructing Bouncy Castle's whole JCA provider
 * costs 0.5 to 1.8 s at start, more than everything else EKU Bridge does then.
 *
 * <ul>
 * <li><b>Encrypted PKCS#8</b> ({@code ENCRYPTED PRIVATE KEY}): the JDK's {@link EncryptedPrivateKeyInfo} with the
 * scheme's own JCA name. For PBES2 that is the name {@code PBEWith<PRF>And<cipher>} the PBES2
 * {@code AlgorithmParameters} give as their {@code toString()} (JDK 8 to 16 report the algorithm as the PBES2 OID,
 * 17 to 24 as "PBES2", 25 as the full name; the parameters say it on all of them): PBKDF2 with HMAC-SHA-1, -224,
 * -256, -384 or -512 and AES-128-CBC or AES-256-CBC, which covers {@code openssl pkcs8 -topk8 -v2 aes256} (and
 * {@code aes128}) and OpenSSL 3's default. PKCS#12 and PKCS#5 v1 schemes the JDK knows ({@code -v1 PBE-SHA1-3DES})
 * go the same way. PBES2 that the JDK has no name for (AES-192 or DES-EDE3-CBC, PBKDF2 with a SHA-2 PRF the name
 * does not cover, scrypt from {@code openssl pkcs8 -scrypt}) is derived with the JDK's {@code PBKDF2WithHmac*} or
 * Bouncy Castle's scrypt function (plain code, no provider) and decrypted with the JDK's AES or DESede. Anything else
 * (Camellia in PBES2, PKCS#12 two-key 3DES, odd PRFs, a JDK with a limited crypto policy) goes to Bouncy Castle's PKCS#8
 * decryptor over a private {@link BouncyCastleProvider}.</li>
 * <li><b>OpenSSL's legacy encrypted PEM</b> ({@code Proc-Type: 4,ENCRYPTED}): Bouncy Castle's PEM decryptor
 * (OpenSSL's MD5 key derivation is plain code) over the JDK's ciphers (AES-*-CBC, DES-EDE3-CBC...), and over a
 * private Bouncy Castle provider only for ciphers the JDK lacks (Blowfish, RC2...).</li>
 * </ul>
 * The provider is never registered with {@code Security}: EKU Bridge must not change the application's provider
 * list. It is constructed once, on first need.
 *
 * <p>A wrong password is told from a scheme that cannot be decrypted: the first fails the decryption itself (bad
 * padding, or a result that is no private key), the second fails before (unknown algorithm, parameters or key
 * size). A scheme nothing here decrypts is one error that names it and says how to re-encrypt the key.
 */
final class EncryptedKeys {
    private static final ASN1ObjectIdentifier SCRYPT = new ASN1ObjectIdentifier("1.3.6.1.4.1.11591.4.11");
    private static final ASN1ObjectIdentifier AES_128_CBC = new ASN1ObjectIdentifier("2.16.840.1.101.3.4.1.2");
    private static final ASN1ObjectIdentifier AES_192_CBC = new ASN1ObjectIdentifier("2.16.840.1.101.3.4.1.22");
    private static final ASN1ObjectIdentifier AES_256_CBC = new ASN1ObjectIdentifier("2.16.840.1.101.3.4.1.42");
    private static final ASN1ObjectIdentifier DES_EDE3_CBC = PKCSObjectIdentifiers.des_EDE3_CBC;
    /** PBKDF2's PRFs by OID, as the JDK's {@code PBKDF2With<PRF>} names them (all in the JDK since 8). */
    private static final Map<ASN1ObjectIdentifier, String> PBKDF2_PRFS = new HashMap<>();

    static {
        PBKDF2_PRFS.put(PKCSObjectIdentifiers.id_hmacWithSHA1, "HmacSHA1");
        PBKDF2_PRFS.put(PKCSObjectIdentifiers.id_hmacWithSHA224, "HmacSHA224");
        PBKDF2_PRFS.put(PKCSObjectIdentifiers.id_hmacWithSHA256, "HmacSHA256");
        PBKDF2_PRFS.put(PKCSObjectIdentifiers.id_hmacWithSHA384, "HmacSHA384");
        PBKDF2_PRFS.put(PKCSObjectIdentifiers.id_hmacWithSHA512, "HmacSHA512");
    }
    /** scrypt's memory is 128 * N * r bytes: refuse more than 256 MiB (OpenSSL's own default limit is 32 MiB). */
    private static final long SCRYPT_MAX_MEMORY = 256L * 1024 * 1024;

    /**
     * How many keys were given to a Bouncy Castle provider to decrypt. Tests assert it stays unchanged for what the
     * JDK decrypts, and grows for what it does not.
     */
    static final AtomicInteger BOUNCY_CASTLE_DECRYPTIONS = new AtomicInteger();

    private static volatile BouncyCastleProvider decryptionProvider;

    private EncryptedKeys() {
    }

    /** An {@code ENCRYPTED PRIVATE KEY}. */
    static PrivateKeyInfo decrypt(String label, Path file, PKCS8EncryptedPrivateKeyInfo item, char[] password) throws IOException {
        byte[] encoded = item.getEncoded();
        PrivateKeyInfo key = withJdk(label, file, encoded, password);
        if (key != null) {
            return key;
        }
        AlgorithmIdentifier scheme = item.getEncryptionAlgorithm();
        key = withPbes2(label, file, item, scheme, password);
        if (key != null) {
            return key;
        }
        BOUNCY_CASTLE_DECRYPTIONS.incrementAndGet();
        try {
            return item.decryptPrivateKeyInfo(new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(provider()).build(password));
        } catch (OperatorCreationException e) {
            throw unsupported(label, file, describe(scheme), e);
        } catch (PKCSException e) {
            if (!badPadding(e) && (missingAlgorithm(e) || e.getCause() instanceof IllegalStateException)) {
                throw unsupported(label, file, describe(scheme), e);
            }
            throw wrongPassword(label, file, e);
        }
    }

    /**
     * OpenSSL's legacy {@code Proc-Type: 4,ENCRYPTED} PEM; {@code pem} is the block {@code item} was parsed from. OpenSSL
     * derives the key with its {@code EVP_BytesToKey} (MD5, the IV's first 8 bytes as salt, one round) and encrypts
     * with AES-128/192/256-CBC or DES-EDE3-CBC (or DES-CBC): all the JDK's ({@link LegacyPemKeys}). Other ciphers go to
     * Bouncy Castle.
     */
    static PrivateKeyInfo decrypt(String label, Path file, PEMEncryptedKeyPair item, PemObject pem, char[] password) throws IOException {
        PrivateKeyInfo key = pem == null ? null : LegacyPemKeys.decryptWithJdk(label, file, pem, password);
        if (key != null) {
            return key;
        }
        BOUNCY_CASTLE_DECRYPTIONS.incrementAndGet();
        try {
            return item.decryptKeyPair(new JcePEMDecryptorProviderBuilder().setProvider(provider()).build(password)).getPrivateKeyInfo();
        } catch (PEMException e) {
            if (!badPadding(e) && missingAlgorithm(e)) {
                throw unsupported(label, file, "legacy PEM encryption " + item.getDekAlgName(), e);
            }
            throw wrongPassword(label, file, e);
        }
    }

    /**
     * The JDK's own decryption, or {@code null} when this JDK cannot decrypt the scheme. Throws for a wrong password
     * (with an ASCII password: the JDK turns a password into bytes as UTF-8, Bouncy Castle sometimes otherwise, so a
     * failure with another password is left to Bouncy Castle to judge).
     */
    private static PrivateKeyInfo withJdk(String label, Path file, byte[] encoded, char[] password) {
        EncryptedPrivateKeyInfo info;
        Cipher cipher;
        PBEKeySpec secret = new PBEKeySpec(password);
        try {
            info = new EncryptedPrivateKeyInfo(encoded);
            AlgorithmParameters parameters = info.getAlgParameters();
            String algorithm = jdkName(info, parameters);
            cipher = Cipher.getInstance(algorithm);
            cipher.init(Cipher.DECRYPT_MODE, SecretKeyFactory.getInstance(algorithm).generateSecret(secret), parameters);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            return null; // a scheme, parameters or key size this JDK does not have
        } finally {
            secret.clearPassword();
        }
        byte[] plain = null;
        try {
            plain = info.getKeySpec(cipher).getEncoded();
            return PrivateKeyInfo.getInstance(plain);
        } catch (InvalidKeySpecException | RuntimeException e) {
            if (ascii(password)) {
                throw wrongPassword(label, file, e);
            }
            return null;
        } finally {
            if (plain != null) {
                Arrays.fill(plain, (byte) 0);
            }
        }
    }

    /** The JCA name of the scheme: for PBES2 the parameters' {@code PBEWith<PRF>And<cipher>}, else the JDK's name. */
    private static String jdkName(EncryptedPrivateKeyInfo info, AlgorithmParameters parameters) {
        String name = info.getAlgName();
        if (parameters != null && ("PBES2".equalsIgnoreCase(name) || PKCSObjectIdentifiers.id_PBES2.getId().equals(name)
                || name.regionMatches(true, 0, "PBEWithHmac", 0, "PBEWithHmac".length()))) {
            String full = parameters.toString();
            if (full != null && full.regionMatches(true, 0, "PBEWith", 0, "PBEWith".length())) {
                return full;
            }
        }
        return name;
    }

    /**
     * PBES2 that the JDK has no scheme name for, derived and decrypted with the JDK's own primitives: PBKDF2 with
     * HMAC-SHA-1/-224/-256/-384/-512 (the JDK's {@code PBKDF2WithHmac*}) or scrypt (Bouncy Castle's scrypt function,
     * plain code), then AES-128/192/256-CBC or DES-EDE3-CBC. {@code null} for anything else (another key derivation,
     * PRF or cipher, damaged parameters, a JDK without the primitive or with a limited crypto policy): Bouncy Castle's
     * decryptor says what it makes of it.
     */
    private static PrivateKeyInfo withPbes2(String label, Path file, PKCS8EncryptedPrivateKeyInfo item, AlgorithmIdentifier scheme,
            char[] password) {
        if (!PKCSObjectIdentifiers.id_PBES2.equals(scheme.getAlgorithm())) {
            return null;
        }
        PBES2Parameters pbes2;
        byte[] iv;
        try {
            pbes2 = PBES2Parameters.getInstance(scheme.getParameters());
            iv = ASN1OctetString.getInstance(pbes2.getEncryptionScheme().getParameters()).getOctets();
        } catch (RuntimeException e) {
            return null;
        }
        ASN1ObjectIdentifier cipherId = pbes2.getEncryptionScheme().getAlgorithm();
        String cipherName = DES_EDE3_CBC.equals(cipherId) ? "DESede" : "AES";
        int keyBytes = AES_128_CBC.equals(cipherId) ? 16 : AES_192_CBC.equals(cipherId) || DES_EDE3_CBC.equals(cipherId) ? 24
            : AES_256_CBC.equals(cipherId) ? 32 : 0;
        if (keyBytes == 0) {
            return null;
        }
        byte[] key;
        try {
            ASN1ObjectIdentifier kdf = pbes2.getKeyDerivationFunc().getAlgorithm();
            key = SCRYPT.equals(kdf) ? scrypt(label, file, scheme, pbes2, password, keyBytes)
                : PKCSObjectIdentifiers.id_PBKDF2.equals(kdf) ? pbkdf2(pbes2, password, keyBytes) : null;
        } catch (EkuBridgeException refused) {
            throw refused; // scrypt parameters we refuse: Bouncy Castle must not be handed them either
        } catch (GeneralSecurityException | RuntimeException e) {
            return null; // damaged parameters, or a PRF or key length this JDK lacks: Bouncy Castle's decryptor judges
        }
        if (key == null) {
            return null;
        }
        Cipher cipher;
        try {
            cipher = Cipher.getInstance(cipherName + "/CBC/PKCS5Padding");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, cipherName), new IvParameterSpec(iv));
        } catch (GeneralSecurityException | RuntimeException e) {
            return null; // e.g. AES-256 under a limited crypto policy, or an IV of the wrong size
        } finally {
            Arrays.fill(key, (byte) 0);
        }
        byte[] plain = null;
        try {
            plain = cipher.doFinal(item.toASN1Structure().getEncryptedData());
            return PrivateKeyInfo.getInstance(plain);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw wrongPassword(label, file, e);
        } finally {
            if (plain != null) {
                Arrays.fill(plain, (byte) 0);
            }
        }
    }

    /** PBKDF2 with the JDK's {@code PBKDF2WithHmac<PRF>}, or {@code null} for a PRF or key length it does not serve. */
    private static byte[] pbkdf2(PBES2Parameters pbes2, char[] password, int keyBytes) throws GeneralSecurityException {
        PBKDF2Params parameters = PBKDF2Params.getInstance(pbes2.getKeyDerivationFunc().getParameters());
        String prf = PBKDF2_PRFS.get(parameters.getPrf().getAlgorithm());
        BigInteger keyLength = parameters.getKeyLength();
        if (prf == null || parameters.getSalt() == null || keyLength != null && keyLength.intValue() != keyBytes) {
            return null;
        }
        PBEKeySpec spec = new PBEKeySpec(password, parameters.getSalt(), parameters.getIterationCount().intValueExact(), keyBytes * 8);
        try {
            return SecretKeyFactory.getInstance("PBKDF2With" + prf).generateSecret(spec).getEncoded();
        } finally {
            spec.clearPassword();
        }
    }

    /** scrypt with Bouncy Castle's function (no provider); refuses parameters that would take more than 256 MiB. */
    private static byte[] scrypt(String label, Path file, AlgorithmIdentifier scheme, PBES2Parameters pbes2, char[] password,
            int keyBytes) {
        ASN1Sequence kdf = ASN1Sequence.getInstance(pbes2.getKeyDerivationFunc().getParameters());
        if (kdf.size() < 4) {
            throw unsupported(label, file, describe(scheme), null);
        }
        byte[] salt = ASN1OctetString.getInstance(kdf.getObjectAt(0)).getOctets();
        BigInteger cost = ASN1Integer.getInstance(kdf.getObjectAt(1)).getValue();
        BigInteger blockSize = ASN1Integer.getInstance(kdf.getObjectAt(2)).getValue();
        BigInteger parallelization = ASN1Integer.getInstance(kdf.getObjectAt(3)).getValue();
        if (cost.bitLength() > 31 || blockSize.bitLength() > 31 || parallelization.bitLength() > 31 || cost.signum() <= 0
                || blockSize.signum() <= 0 || parallelization.signum() <= 0
                || 128L * cost.longValue() * blockSize.longValue() > SCRYPT_MAX_MEMORY) {
            throw unsupported(label, file, "PBES2 with scrypt N=" + cost + " r=" + blockSize + " p=" + parallelization
                + " (more than " + (SCRYPT_MAX_MEMORY >> 20) + " MiB, or invalid)", null);
        }
        byte[] passwordBytes = utf8(password);
        try {
            return SCrypt.generate(passwordBytes, salt, cost.intValue(), blockSize.intValue(), parallelization.intValue(), keyBytes);
        } finally {
            Arrays.fill(passwordBytes, (byte) 0);
        }
    }

    /** Whether a decryption failed on its padding: the mark of a wrong password. */
    private static boolean badPadding(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof BadPaddingException || t.getClass().getName().endsWith("InvalidCipherTextException")
                    || t.getClass().getName().endsWith("InvalidCipherTextIOException")) {
                return true;
            }
        }
        return false;
    }

    /** Whether a failure came from a missing algorithm, cipher mode, padding or key size rather than from the data. */
    private static boolean missingAlgorithm(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof NoSuchAlgorithmException || t instanceof NoSuchPaddingException || t instanceof InvalidKeyException
                    || t instanceof InvalidAlgorithmParameterException || t instanceof OperatorCreationException) {
                return true;
            }
            // Bouncy Castle's PEM decryptor for a DEK-Info algorithm it does not know
            if (t.getCause() == null && String.valueOf(t.getMessage()).startsWith("unknown encryption")) {
                return true;
            }
            if (t instanceof BadPaddingException) {
                return false;
            }
        }
        return false;
    }

    /** The scheme, for a message: PBES2 with its key derivation function and cipher, else its OID. */
    private static String describe(AlgorithmIdentifier scheme) {
        if (PKCSObjectIdentifiers.id_PBES2.equals(scheme.getAlgorithm())) {
            try {
                PBES2Parameters pbes2 = PBES2Parameters.getInstance(scheme.getParameters());
                return "PBES2 with key derivation " + pbes2.getKeyDerivationFunc().getAlgorithm().getId() + " and cipher "
                    + pbes2.getEncryptionScheme().getAlgorithm().getId();
            } catch (RuntimeException e) {
                return "PBES2 with unreadable parameters";
            }
        }
        return "scheme " + scheme.getAlgorithm().getId();
    }

    private static EkuBridgeException unsupported(String label, Path file, String scheme, Exception cause) {
        return new EkuBridgeException(Reason.UNSUPPORTED, label + ": the private key in " + file + " is encrypted with " + scheme
            + ", which EKU Bridge cannot decrypt; re-encrypt it as PKCS#8 with PBES2 and AES-256"
            + " (openssl pkcs8 -topk8 -v2 aes256 -in KEY -out NEW_KEY)", cause);
    }

    static EkuBridgeException wrongPassword(String label, Path file, Exception cause) {
        return new EkuBridgeException(Reason.WRONG_PASSWORD, label + ": wrong password for the encrypted private key in " + file, cause);
    }

    static boolean ascii(char[] password) {
        for (char c : password) {
            if (c > 0x7f) {
                return false;
            }
        }
        return true;
    }

    private static byte[] utf8(char[] password) {
        ByteBuffer buffer = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        if (buffer.hasArray()) {
            Arrays.fill(buffer.array(), (byte) 0);
        }
        return bytes;
    }

    private static BouncyCastleProvider provider() {
        BouncyCastleProvider provider = decryptionProvider;
        if (provider == null) {
            provider = new BouncyCastleProvider();
            decryptionProvider = provider;
        }
        return provider;
    }
}
