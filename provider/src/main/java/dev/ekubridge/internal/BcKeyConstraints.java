package dev.ekubridge.internal;

import java.security.Key;
import java.security.Security;
import java.security.interfaces.DSAKey;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import javax.crypto.interfaces.DHKey;

/**
 * The algorithm constraints that BCJSSE's trust manager applies to a client certificate's public key
 * after the EKU check ({@code ProvAlgorithmChecker.checkEndEntity}: "Public key not permitted for
 * 'digitalSignature' KeyUsage"), rebuilt the way BCJSSE 1.84 builds them
 * ({@code ProvAlgorithmConstraints}, {@code DisabledAlgorithmConstraints}): the security properties
 * {@code jdk.tls.disabledAlgorithms} and {@code jdk.certpath.disabledAlgorithms}, or BCJSSE's own
 * defaults where they are absent; of their entries only a bare algorithm name and
 * {@code ALG keySize OP N} count, as in BCJSSE (it ignores {@code include}, {@code &}, {@code usage},
 * {@code jdkCA}, {@code denyAfter}). Used only when EKU Bridge relaxes BCJSSE's EKU refusal. Internal.
 */
final class BcKeyConstraints {
    private static final String TLS_DEFAULT = "SSLv3, TLSv1, TLSv1.1, DTLSv1.0, RC4, DES, MD5withRSA, DH keySize < 1024,"
        + " EC keySize < 224, 3DES_EDE_CBC, anon, NULL, ECDH";
    private static final String CERTPATH_DEFAULT = "MD2, MD5, SHA1 jdkCA & usage TLSServer, RSA keySize < 1024,"
        + " DSA keySize < 1024, EC keySize < 224, SHA1 usage SignedJAR & denyAfter 2019-01-01";

    static final BcKeyConstraints DEFAULT = new BcKeyConstraints(
        property("jdk.tls.disabledAlgorithms", TLS_DEFAULT), property("jdk.certpath.disabledAlgorithms", CERTPATH_DEFAULT));

    /** One entry that applies to keys: an algorithm disabled outright ({@code op == null}) or a key size rule. */
    private static final class Rule {
        final String algorithm;
        final String op;
        final int size;

        Rule(String algorithm, String op, int size) {
            this.algorithm = algorithm;
            this.op = op;
            this.size = size;
        }

        boolean refuses(String keyAlgorithm, int keySize) {
            if (!algorithm.equals(keyAlgorithm)) {
                return false;
            }
            if (op == null) {
                return true;
            }
            if (keySize < 1) {
                return keySize == 0; // unknown size (-1) passes, an empty key does not: as BCJSSE
            }
            switch (op) {
                case "<": return keySize < size;
                case "<=": return keySize <= size;
                case ">": return keySize > size;
                case ">=": return keySize >= size;
                case "==": return keySize == size;
                default: return keySize != size; // "!="
            }
        }
    }

    private final List<Rule> rules;

    BcKeyConstraints(String... properties) {
        List<Rule> parsed = new ArrayList<>();
        for (String property : properties) {
            parse(property, parsed);
        }
        this.rules = Collections.unmodifiableList(parsed);
    }

    private static String property(String name, String fallback) {
        String value = Security.getProperty(name);
        return value == null ? fallback : value;
    }

    private static void parse(String property, List<Rule> rules) {
        String value = property.trim();
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            value = value.substring(1, value.length() - 1);
        }
        for (String raw : value.split(",")) {
            String entry = raw.trim();
            if (entry.isEmpty() || entry.regionMatches(true, 0, "include ", 0, 8)) {
                continue;
            }
            int space = entry.indexOf(' ');
            if (space < 0) {
                rules.add(new Rule(canonical(entry), null, 0));
                continue;
            }
            String[] policy = entry.substring(space + 1).trim().split("\\s+");
            if (policy.length == 3 && "keySize".equals(policy[0]) && policy[1].matches("==|>=|>|<=|<|!=") && policy[2].matches("\\d{1,9}")) {
                rules.add(new Rule(canonical(entry.substring(0, space)), policy[1], Integer.parseInt(policy[2])));
            }
        }
    }

    private static String canonical(String algorithm) {
        return "DiffieHellman".equalsIgnoreCase(algorithm) ? "DH" : algorithm.toUpperCase(Locale.ENGLISH).replace("SHA-", "SHA");
    }

    boolean permits(Key key) {
        String algorithm = canonical(key.getAlgorithm());
        int size = keySize(key);
        for (Rule rule : rules) {
            if (rule.refuses(algorithm, size)) {
                return false;
            }
        }
        return true;
    }

    private static int keySize(Key key) {
        if (key instanceof RSAKey) {
            return ((RSAKey) key).getModulus().bitLength();
        }
        if (key instanceof ECKey) {
            return ((ECKey) key).getParams().getOrder().bitLength();
        }
        if (key instanceof DSAKey) {
            return ((DSAKey) key).getParams() == null ? -1 : ((DSAKey) key).getParams().getP().bitLength();
        }
        if (key instanceof DHKey) {
            return ((DHKey) key).getParams().getP().bitLength();
        }
        return -1;
    }
}
