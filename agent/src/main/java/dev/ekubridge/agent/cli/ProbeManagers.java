package dev.ekubridge.agent.cli;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The two managers {@code probe} hands the JSSE engine: each records what the handshake showed it, and
 * neither stops the handshake on our account, so that everything else can still be observed.
 */
final class ProbeManagers {
    private ProbeManagers() {
    }

    /**
     * Records whether the server asked for a client certificate (the engine calls {@code choose*ClientAlias}
     * only then), the issuers and key types it accepts, and which alias we chose; the choice itself is the
     * configured key manager's ({@code null}: present nothing).
     */
    static final class Keys extends X509ExtendedKeyManager {
        private final X509ExtendedKeyManager delegate;
        volatile boolean requested;
        volatile List<String> issuers = Collections.emptyList();
        volatile List<String> keyTypes = Collections.emptyList();
        volatile String alias;

        Keys(X509ExtendedKeyManager delegate) {
            this.delegate = delegate;
        }

        private String record(String[] types, Principal[] accepted, String chosen) {
            requested = true;
            List<String> names = new ArrayList<String>();
            if (accepted != null) {
                for (Principal principal : accepted) {
                    names.add(principal.getName());
                }
            }
            issuers = names;
            keyTypes = types == null ? Collections.<String>emptyList() : Arrays.asList(types.clone());
            alias = chosen;
            return chosen;
        }

        @Override
        public String chooseClientAlias(String[] types, Principal[] accepted, Socket socket) {
            return record(types, accepted, delegate == null ? null : delegate.chooseClientAlias(types, accepted, socket));
        }

        @Override
        public String chooseEngineClientAlias(String[] types, Principal[] accepted, SSLEngine engine) {
            return record(types, accepted, delegate == null ? null : delegate.chooseEngineClientAlias(types, accepted, engine));
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] accepted) {
            return delegate == null ? null : delegate.getClientAliases(keyType, accepted);
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] accepted) {
            return null;
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] accepted, Socket socket) {
            return null;
        }

        @Override
        public X509Certificate[] getCertificateChain(String chosen) {
            return delegate == null ? null : delegate.getCertificateChain(chosen);
        }

        @Override
        public PrivateKey getPrivateKey(String chosen) {
            return delegate == null ? null : delegate.getPrivateKey(chosen);
        }
    }

    /**
     * Evaluates the server's chain with the configured (or the JDK default) trust and the serverAuth rule, records
     * the verdict, and never throws: a probe reports an untrusted server as a finding rather than stopping there.
     */
    static final class Trust extends InterceptingTrustManager {
        volatile X509Certificate[] chain;
        volatile boolean evaluated;
        volatile CertificateException refusal;

        Trust(X509ExtendedTrustManager delegate) {
            super(delegate);
        }

        @Override
        void check(boolean client, X509Certificate[] peer, Check check) throws CertificateException {
            if (client) {
                throw new CertificateException("probe is a TLS client only");
            }
            chain = peer == null ? null : peer.clone();
            try {
                check.run(delegate);
            } catch (CertificateException e) {
                refusal = e;
            } catch (RuntimeException e) {
                refusal = new CertificateException(e.getClass().getSimpleName() + ": " + e.getMessage(), e);
            }
            evaluated = true;
        }
    }
}
