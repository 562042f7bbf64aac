package dev.ekubridge.it.web;

import java.net.Socket;
import java.security.InvalidAlgorithmParameterException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.NoSuchAlgorithmException;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.UnrecoverableKeyException;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.KeyManagerFactorySpi;
import javax.net.ssl.ManagerFactoryParameters;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * The control: {@code KeyManagerFactory.EkuBridgeNamespaced} is {@code KeyManagerFactory.EkuBridge} with its aliases
 * namespaced by role as before issue 9 ({@code server:0:<alias>}, {@code client:0:<alias>}); key and chain are still
 * found by the namespaced alias. The same entries, the same choices: only the names differ. A server whose framework
 * looks aliases up in its own key store fails with it, which shows that the alias tests test the names.
 * Registered by the tests' {@code java.security} override, after {@code EkuBridgeProvider}.
 */
public final class NamespacingProvider extends Provider {
    private static final long serialVersionUID = 1L;
    public static final String ALGORITHM = "EkuBridgeNamespaced";

    public NamespacingProvider() {
        super("EkuBridgeNamespacing", "1.0", "test control: EkuBridge key manager with role-namespaced aliases");
        putService(new Service(this, "KeyManagerFactory", ALGORITHM, Spi.class.getName(), null, null) {
            @Override
            public Object newInstance(Object parameter) throws NoSuchAlgorithmException {
                return new Spi(KeyManagerFactory.getInstance("EkuBridge"));
            }
        });
    }

    static final class Spi extends KeyManagerFactorySpi {
        private final KeyManagerFactory delegate;

        Spi(KeyManagerFactory delegate) {
            this.delegate = delegate;
        }

        @Override
        protected void engineInit(KeyStore store, char[] password) throws KeyStoreException, NoSuchAlgorithmException,
                UnrecoverableKeyException {
            delegate.init(store, password);
        }

        @Override
        protected void engineInit(ManagerFactoryParameters parameters) throws InvalidAlgorithmParameterException {
            delegate.init(parameters);
        }

        @Override
        protected KeyManager[] engineGetKeyManagers() {
            KeyManager[] managers = delegate.getKeyManagers().clone();
            for (int i = 0; i < managers.length; i++) {
                if (managers[i] instanceof X509ExtendedKeyManager extended) {
                    managers[i] = new Namespacing(extended);
                }
            }
            return managers;
        }
    }

    /** Answers {@code role:0:alias} for the delegate's {@code alias}, and strips it again. */
    static final class Namespacing extends X509ExtendedKeyManager {
        private final X509ExtendedKeyManager delegate;

        Namespacing(X509ExtendedKeyManager delegate) {
            this.delegate = delegate;
        }

        private static String out(String role, String alias) {
            return alias == null ? null : role + ":0:" + alias;
        }

        private static String[] out(String role, String[] aliases) {
            if (aliases == null) {
                return null;
            }
            String[] namespaced = new String[aliases.length];
            for (int i = 0; i < aliases.length; i++) {
                namespaced[i] = out(role, aliases[i]);
            }
            return namespaced;
        }

        private static String in(String alias) {
            if (alias == null) {
                return null;
            }
            int separator = alias.indexOf(":0:");
            return separator < 0 ? "not-namespaced:" + alias : alias.substring(separator + 3);
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return out("client", delegate.getClientAliases(keyType, issuers));
        }

        @Override
        public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
            return out("client", delegate.chooseClientAlias(keyTypes, issuers, socket));
        }

        @Override
        public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
            return out("client", delegate.chooseEngineClientAlias(keyTypes, issuers, engine));
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return out("server", delegate.getServerAliases(keyType, issuers));
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return out("server", delegate.chooseServerAlias(keyType, issuers, socket));
        }

        @Override
        public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
            return out("server", delegate.chooseEngineServerAlias(keyType, issuers, engine));
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return delegate.getCertificateChain(in(alias));
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return delegate.getPrivateKey(in(alias));
        }
    }
}
