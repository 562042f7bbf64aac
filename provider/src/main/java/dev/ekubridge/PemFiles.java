package dev.ekubridge;

import dev.ekubridge.EkuBridgeException.Reason;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * Reads PEM certificate chains and private keys: PKCS#8, PKCS#1 ({@code RSA PRIVATE KEY}), SEC1
 * ({@code EC PRIVATE KEY}), encrypted PKCS#8 and OpenSSL's legacy encrypted PEM. Keys come out as
 * the JDK's own key objects; {@link EncryptedKeys} decrypts the encrypted ones.
 */
final class PemFiles {
    private PemFiles() {
    }

    static Identity identity(String certLabel, Path certFile, String keyLabel, Path keyFile, char[] password) {
        X509Certificate[] chain = certificates(certLabel, certFile);
        PrivateKey key = privateKey(keyLabel, keyFile, password);
        String name = certFile.getFileName() == null ? certFile.toString() : certFile.getFileName().toString();
        return Identity.of(name, certLabel + " + " + keyLabel, key, chain);
    }

    /** Every CERTIFICATE block of a PEM file, in file order. */
    static X509Certificate[] certificates(String label, Path file) {
        byte[] content = FileBytes.read(label, file);
        List<X509Certificate> certificates = new ArrayList<>();
        try (Parser parser = parser(content)) {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            Object item;
            while ((item = parser.readObject()) != null) {
                if (item instanceof X509CertificateHolder) {
                    byte[] der = ((X509CertificateHolder) item).getEncoded();
                    certificates.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
                }
            }
        } catch (IOException | CertificateException | RuntimeException e) {
            // Bouncy Castle throws unchecked exceptions for bad base64 (DecoderException) and broken DER.
            throw new EkuBridgeException(Reason.UNKNOWN_FORMAT, label + ": " + file + " is not a readable PEM certificate file: "
                + whatIsWrong(e, true), e);
        }
        if (certificates.isEmpty()) {
            throw new EkuBridgeException(Reason.UNKNOWN_FORMAT, label + ": " + file + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        }
        return certificates.toArray(new X509Certificate[0]);
    }

    /** The first private key of a PEM file. */
    static PrivateKey privateKey(String label, Path file, char[] password) {
        byte[] content = FileBytes.read(label, file);
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try (Parser parser = parser(content)) {
            Object item;
            while ((item = parser.readObject()) != null) {
                if (item instanceof PrivateKeyInfo) {
                    return converter.getPrivateKey((PrivateKeyInfo) item);
                }
                if (item instanceof PEMKeyPair) {
                    return converter.getPrivateKey(((PEMKeyPair) item).getPrivateKeyInfo());
                }
                if (item instanceof PKCS8EncryptedPrivateKeyInfo) {
                    requirePassword(label, file, password);
                    return converter.getPrivateKey(EncryptedKeys.decrypt(label, file, (PKCS8EncryptedPrivateKeyInfo) item, password));
                }
                if (item instanceof PEMEncryptedKeyPair) {
                    requirePassword(label, file, password);
                    return converter.getPrivateKey(EncryptedKeys.decrypt(label, file, (PEMEncryptedKeyPair) item, parser.last, password));
                }
            }
        } catch (EkuBridgeException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // Key material: what went wrong is said in our words and by exception type, never by quoting the parser.
            throw new EkuBridgeException(Reason.UNKNOWN_FORMAT, label + ": " + file + " is not a readable PEM private key: "
                + whatIsWrong(e, false), e);
        } finally {
            java.util.Arrays.fill(content, (byte) 0);
        }
        throw new EkuBridgeException(Reason.UNKNOWN_FORMAT, label + ": " + file + " holds no PEM private key "
            + "(PRIVATE KEY, ENCRYPTED PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)");
    }

    /**
     * What is wrong with a PEM file, for a message: invalid base64 inside the armour, or a damaged
     * structure, with the exception type; the parser's own words only when {@code quote} (certificates,
     * which are public) and they exist.
     */
    static String whatIsWrong(Throwable e, boolean quote) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getClass().getName().endsWith(".DecoderException") || String.valueOf(t.getMessage()).contains("base64")) {
                return "the base64 inside its PEM armour (-----BEGIN ...-----) is invalid (" + t.getClass().getSimpleName() + ")";
            }
            if (t.getCause() == t) {
                break;
            }
        }
        String message = quote ? e.getMessage() : null;
        return "its content is damaged or not of this kind (" + e.getClass().getSimpleName()
            + (message == null || message.isEmpty() ? "" : ": " + message) + ")";
    }

    private static Parser parser(byte[] content) {
        Reader reader = new InputStreamReader(new ByteArrayInputStream(content), StandardCharsets.US_ASCII);
        return new Parser(reader);
    }

    /** Bouncy Castle's PEM parser, keeping the block it read last (a legacy encrypted key's DEK-Info and ciphertext). */
    private static final class Parser extends PEMParser {
        PemObject last;

        Parser(Reader reader) {
            super(reader);
        }

        @Override
        public PemObject readPemObject() throws IOException {
            last = super.readPemObject();
            return last;
        }
    }

    private static void requirePassword(String label, Path file, char[] password) {
        if (password == null || password.length == 0) {
            throw new EkuBridgeException(Reason.WRONG_PASSWORD, label + ": " + file + " holds an encrypted private key but no password was given");
        }
    }
}
