package dev.ekubridge.testsupport.pki;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.util.Locale;
import java.util.Objects;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/** See {@link TestPki#fixedKeyManager(Issued)}. */
final class FixedKeyManager extends X509ExtendedKeyManager {
    static final String ALIAS = "fixed";

    private final PrivateKey key;
    private final java.security.cert.X509Certificate[] chain;

    FixedKeyManager(PrivateKey key, java.security.cert.X509Certificate[] chain) {
        this.key = Objects.requireNonNull(key, "key");
        this.chain = chain;
    }

    private boolean fits(String keyType) {
        if (keyType == null) {
            return false;
        }
        PublicKey publicKey = chain[0].getPublicKey();
        String algorithm = publicKey.getAlgorithm();
        String base = keyType.toUpperCase(Locale.ROOT);
        String curve = null;
        int slash = base.indexOf('/');
        if (slash >= 0) {
            curve = keyType.substring(slash + 1);
            base = base.substring(0, slash);
        }
        boolean typeFits = base.equals(algorithm)
                || ("EC".equals(algorithm) && (base.endsWith("_ECDSA") || base.endsWith("_EC")))
                || ("RSA".equals(algorithm) && base.endsWith("_RSA"));
        if (!typeFits) {
            return false;
        }
        if (curve != null && publicKey instanceof ECPublicKey) {
            return ((ECPublicKey) publicKey).getParams().toString().contains(curve);
        }
        return true;
    }

    private String aliasFor(String[] keyTypes) {
        if (keyTypes != null) {
            for (String keyType : keyTypes) {
                if (fits(keyType)) {
                    return ALIAS;
                }
            }
        }
        return null;
    }

    private String[] aliasesFor(String keyType) {
        return fits(keyType) ? new String[] {ALIAS} : null;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return aliasesFor(keyType);
    }

    @Override
    public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
        return aliasFor(keyTypes);
    }

    @Override
    public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
        return aliasFor(keyTypes);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return aliasesFor(keyType);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return fits(keyType) ? ALIAS : null;
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return fits(keyType) ? ALIAS : null;
    }

    @Override
    public java.security.cert.X509Certificate[] getCertificateChain(String alias) {
        return ALIAS.equals(alias) ? chain.clone() : null;
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return ALIAS.equals(alias) ? key : null;
    }
}
