package dev.ekubridge.testsupport.pki;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.util.ArrayList;
import java.util.List;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.util.io.pem.PemGenerationException;
import org.bouncycastle.util.io.pem.PemObject;

/** PEM text and files: certificate chains and private keys as OpenSSL, Kamailio and EKU Bridge read them; and back. */
public final class Pem {

    /**
     * A private Bouncy Castle provider instance, used only where the JDK lacks an algorithm: with the JDK providers
     * the encrypted PKCS#8 writer fails ("2.16.840.1.101.3.4.1.42 not available: Cannot find any provider supporting
     * AES/CBC/PKCS7Padding"). Never registered with {@code Security}. The output is standard PBES2 that the JDK
     * itself can decrypt.
     */
    private static final BouncyCastleProvider BC_INSTANCE = new BouncyCastleProvider();

    private Pem() {
    }

    /** PEM "CERTIFICATE" blocks, in the given order. */
    public static String chain(X509Certificate... certificates) {
        return pem(w -> {
            for (X509Certificate c : certificates) {
                w.writeObject(c);
            }
        });
    }

    /** Writes PEM "CERTIFICATE" blocks in the given order; returns {@code file}. */
    public static Path writeChain(Path file, X509Certificate... certificates) {
        return writeText(file, chain(certificates));
    }

    /** Unencrypted PKCS#8 "PRIVATE KEY". */
    public static String pkcs8(PrivateKey key) {
        return pem(w -> w.writeObject(new PemObject("PRIVATE KEY", key.getEncoded())));
    }

    /** Writes an unencrypted PKCS#8 "PRIVATE KEY" file; returns {@code file}. */
    public static Path writePkcs8(Path file, PrivateKey key) {
        return writeText(file, pkcs8(key));
    }

    /**
     * Traditional OpenSSL format: "RSA PRIVATE KEY" (PKCS#1) for RSA, "EC PRIVATE KEY" (SEC1, with the
     * named-curve parameters and the public key, as OpenSSL writes it) for EC.
     */
    public static String pkcs1OrSec1(PrivateKey key) {
        PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getEncoded());
        try {
            if (key instanceof ECPrivateKey) {
                // The JDK's PKCS#8 encoding of an EC key carries a bare SEC1 structure (no curve, no public
                // key); "EC PRIVATE KEY" readers need the curve, so rebuild the structure in full.
                ASN1ObjectIdentifier curve = ASN1ObjectIdentifier.getInstance(info.getPrivateKeyAlgorithm().getParameters());
                X9ECParameters params = CustomNamedCurves.getByOID(curve);
                if (params == null) {
                    params = ECNamedCurveTable.getByOID(curve);
                }
                BigInteger d = ((ECPrivateKey) key).getS();
                byte[] point = params.getG().multiply(d).normalize().getEncoded(false);
                org.bouncycastle.asn1.sec.ECPrivateKey sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(
                        params.getN().bitLength(), d, new DERBitString(point), curve);
                return pem(w -> w.writeObject(new PemObject("EC PRIVATE KEY", sec1.getEncoded())));
            }
            if ("RSA".equals(key.getAlgorithm())) {
                ASN1Primitive pkcs1 = info.parsePrivateKey().toASN1Primitive();
                return pem(w -> w.writeObject(new PemObject("RSA PRIVATE KEY", pkcs1.getEncoded())));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalArgumentException("unsupported key algorithm " + key.getAlgorithm());
    }

    /** Writes {@link #pkcs1OrSec1(PrivateKey)}; returns {@code file}. */
    public static Path writePkcs1OrSec1(Path file, PrivateKey key) {
        return writeText(file, pkcs1OrSec1(key));
    }

    /** Encrypted PKCS#8 "ENCRYPTED PRIVATE KEY": PBES2 with PBKDF2-HMAC-SHA256 and AES-256-CBC. */
    public static String encryptedPkcs8(PrivateKey key, char[] password) {
        try {
            OutputEncryptor encryptor = new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
                    .setProvider(BC_INSTANCE)
                    .setPRF(PKCS8Generator.PRF_HMACSHA256)
                    .setIterationCount(2048)
                    .setRandom(Certificates.RANDOM)
                    .setPassword(password)
                    .build();
            JcaPKCS8Generator generator = new JcaPKCS8Generator(key, encryptor);
            return pem(w -> w.writeObject(generator));
        } catch (OperatorCreationException | PemGenerationException e) {
            throw new IllegalStateException("cannot encrypt private key", e);
        }
    }

    /** Writes {@link #encryptedPkcs8(PrivateKey, char[])}; returns {@code file}. */
    public static Path writeEncryptedPkcs8(Path file, PrivateKey key, char[] password) {
        return writeText(file, encryptedPkcs8(key, password));
    }

    // ------------------------------------------------------------------------------------------------
    // reading
    // ------------------------------------------------------------------------------------------------

    /** One PEM certificate, parsed by the JDK. */
    public static X509Certificate certificate(String pem) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("not a PEM certificate that parses: " + e.getMessage(), e);
        }
    }

    /** Every certificate of a PEM (or DER) file, in order, parsed by the JDK. */
    public static List<X509Certificate> certificates(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            List<X509Certificate> certificates = new ArrayList<>();
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                certificates.add((X509Certificate) certificate);
            }
            return certificates;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(file + " holds a certificate that does not parse: " + e.getMessage(), e);
        }
    }

    /**
     * Every PEM certificate that directly follows a line equal to {@code marker} (trimmed), in order: what
     * {@code openssl s_server}/{@code s_client} print after "Client certificate" or "Server certificate".
     */
    public static List<X509Certificate> certificatesAfter(List<String> lines, String marker) {
        List<X509Certificate> found = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).trim().equals(marker) || i + 1 >= lines.size()
                    || !lines.get(i + 1).startsWith("-----BEGIN CERTIFICATE-----")) {
                continue;
            }
            StringBuilder pem = new StringBuilder();
            int j = i + 1;
            for (; j < lines.size(); j++) {
                pem.append(lines.get(j)).append('\n');
                if (lines.get(j).startsWith("-----END CERTIFICATE-----")) {
                    break;
                }
            }
            if (j < lines.size()) {
                found.add(certificate(pem.toString()));
            }
        }
        return found;
    }

    // ------------------------------------------------------------------------------------------------
    // internals
    // ------------------------------------------------------------------------------------------------

    @FunctionalInterface
    private interface PemBody {
        void write(JcaPEMWriter writer) throws IOException;
    }

    private static String pem(PemBody body) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            body.write(writer);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static Path writeText(Path file, String text) {
        return TestPki.write(file, text.getBytes(StandardCharsets.US_ASCII));
    }
}
