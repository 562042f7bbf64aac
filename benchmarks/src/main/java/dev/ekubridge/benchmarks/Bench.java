package dev.ekubridge.benchmarks;

import dev.ekubridge.Identity;
import dev.ekubridge.testsupport.pki.Ca;
import dev.ekubridge.testsupport.pki.Issued;
import dev.ekubridge.testsupport.pki.LeafEku;
import dev.ekubridge.testsupport.pki.TestPki;
import java.security.KeyPair;
import java.security.KeyStore;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bouncycastle.asn1.x509.KeyUsage;

/** What the benchmarks add to test-support's {@link TestPki}: their leaf profile, key stores and identities. */
final class Bench {
    static final char[] PASSWORD = "bench".toCharArray();

    private Bench() {
    }

    /** A leaf with a key pair of its own, of its CA's kind. */
    static Issued leaf(Ca ca, String cn, LeafEku eku) {
        return leaf(ca, cn, eku, ca.kind().freshKeyPair());
    }

    /**
     * A leaf for {@code keyPair} (which may be shared by many leaves), valid for 30 days, with a DNS name equal to its
     * CN. KeyUsage is digitalSignature plus keyEncipherment (RSA) or keyAgreement (EC): the profile the JDK's PKIX key
     * manager rates OK for servers. Without keyAgreement it rates an EC server entry a mismatch, keeps scanning the
     * whole store for a better one and only then settles for it, which would make the JDK look worse than it is at
     * its best.
     */
    static Issued leaf(Ca ca, String cn, LeafEku eku, KeyPair keyPair) {
        boolean rsa = "RSA".equals(keyPair.getPublic().getAlgorithm());
        return ca.leaf(cn).eku(eku).keyPair(keyPair).dnsNames(cn)
            .keyUsage(KeyUsage.digitalSignature | (rsa ? KeyUsage.keyEncipherment : KeyUsage.keyAgreement))
            .issue();
    }

    /**
     * An in-memory key store of {@code type} with one private key entry per leaf, protected by {@link #PASSWORD}.
     * JKS for thousands of entries: PKCS12 encrypts each key with 10,000 PBKDF2 iterations, which would make a
     * 10,000-entry store take minutes to build.
     */
    static KeyStore keyStore(String type, String[] aliases, Issued[] leaves) {
        Map<String, Issued> entries = new LinkedHashMap<>();
        for (int i = 0; i < leaves.length; i++) {
            entries.put(aliases[i], leaves[i]);
        }
        return TestPki.keyStore(type, PASSWORD, entries);
    }

    /** The leaf as an EKU Bridge identity named {@code name}. */
    static Identity identity(Issued leaf, String name) {
        return Identity.of(name, "benchmark PKI", leaf.privateKey(), leaf.certificate());
    }
}
