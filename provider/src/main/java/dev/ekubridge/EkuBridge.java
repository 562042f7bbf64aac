package dev.ekubridge;

import dev.ekubridge.EkuBridgeException.Reason;
import dev.ekubridge.internal.CertificateText;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Provider;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509KeyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The public face of EKU Bridge: a role-aware key manager and an EKU policy trust manager, built
 * together from identities and a policy ({@link #builder()}) or from a configuration
 * ({@link #fromConfig}), and an {@link SSLContext} made from both.
 *
 * <pre>{@code
 * EkuBridge bridge = EkuBridge.builder()
 *     .serverIdentities(Identities.fromKeyStore(Paths.get("server.p12"), pw, null))
 *     .clientIdentities(Identities.fromPem(Paths.get("client.crt"), Paths.get("client.key"), null))
 *     .inboundEku(EkuPolicy.LENIENT)
 *     .build();
 * SSLContext context = bridge.sslContext("TLS");
 * }</pre>
 */
public final class EkuBridge {
    private static final Logger LOG = LoggerFactory.getLogger("ekubridge.config");

    private final RoleAwareKeyManager keyManager;
    /** The inbound EKU policy: a default, and maybe rules scoped by peer, local port or issuer. */
    private final PolicyScope scope;
    /** Built on first use when it wraps the JDK default trust store: the agent never needs it (it wraps the application's). */
    private volatile EkuPolicyTrustManager trustManager;
    /** The client role presents the server identity only because nothing was said about it (the upgrade default). */
    private final boolean clientFromUpgradeDefault;
    /** The trust manager was given or built from a trust store, rather than being the JDK default. */
    private final boolean ownTrust;
    private final boolean logHandshakes;

    private EkuBridge(RoleAwareKeyManager keyManager, PolicyScope scope, EkuPolicyTrustManager trustManager,
            boolean clientFromUpgradeDefault, boolean ownTrust, boolean logHandshakes) {
        this.keyManager = keyManager;
        this.scope = scope;
        this.trustManager = trustManager;
        this.clientFromUpgradeDefault = clientFromUpgradeDefault;
        this.ownTrust = ownTrust;
        this.logHandshakes = logHandshakes;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Loads every file a configuration names and checks it, or throws one {@link EkuBridgeException}
     * naming the key, its source and the file; nothing is half-loaded.
     */
    public static EkuBridge fromConfig(EkuBridgeConfig config) {
        return fromConfig(config, false);
    }

    /**
     * With {@code retrofit} (the agent, which keeps the application's key manager for a role the
     * configuration names no identity for), no warning says that the client role presents the server identity.
     */
    static EkuBridge fromConfig(EkuBridgeConfig config, boolean retrofit) {
        if (!retrofit) {
            config.logWarningsOnce(); // the agent prints them in its own log
        }
        ConfigLoader.requireSupported(config);
        Builder builder = builder().inboundEku(config.inboundEku()).logHandshakes(config.logHandshakes());
        config.applyScopedRules(builder.scope);
        builder.retrofit = retrofit;
        if (config.hasIdentity(Role.SERVER)) {
            builder.serverIdentities(ConfigLoader.identities(config, Role.SERVER));
        }
        if (config.hasIdentity(Role.CLIENT)) {
            builder.clientIdentities(ConfigLoader.identities(config, Role.CLIENT));
        }
        if (config.clientUsesServerIdentity()) {
            builder.clientUsesServerIdentity();
        }
        KeyStore trustStore = ConfigLoader.trustStore(config);
        if (trustStore != null) {
            builder.trustStore(trustStore);
        }
        return builder.build();
    }

    /**
     * Writes the certificates in use as PEM files into {@code directory}, as Expressway's diagnostic
     * bundle does: each role's identities (their chains) and, when trust comes from a configured
     * store, its anchors. Never a private key. Files are named by role, rank and SHA-256 fingerprint.
     *
     * @throws EkuBridgeException naming the directory when it cannot be written
     */
    public void writeDiagnostics(Path directory) {
        Diagnostics.write("diagnostics.dir " + directory, directory, keyManager.identities(Role.SERVER),
            keyManager.identities(Role.CLIENT), ownTrust ? trustManager().getAcceptedIssuers() : null);
    }

    /** The role-aware key manager. */
    public RoleAwareKeyManager keyManager() {
        return keyManager;
    }

    /** The EKU policy trust manager. */
    public EkuPolicyTrustManager trustManager() {
        EkuPolicyTrustManager manager = trustManager;
        if (manager == null) {
            synchronized (this) {
                manager = trustManager;
                if (manager == null) {
                    manager = DefaultTrust.policyOver(null, scope, logHandshakes).presentedBy(keyManager);
                    trustManager = manager;
                }
            }
        }
        return manager;
    }

    EkuPolicy inboundEku() {
        return scope.defaultMode();
    }

    PolicyScope scope() {
        return scope;
    }

    /**
     * Registers this bridge's management view ({@link EkuBridgeMXBean}: what its trust managers decided, the
     * identities in service, the policy) on the platform MBean server as {@code dev.ekubridge:type=EkuBridge}
     * ({@code ,name=2}... for more bridges in one JVM). The agent does this itself.
     *
     * @return the name it was registered under
     */
    public javax.management.ObjectName registerMBean() {
        return BridgeManagement.register(this);
    }

    boolean logHandshakes() {
        return logHandshakes;
    }

    /** Whether the client role presents the server identity only by the upgrade default (nothing was said about it). */
    boolean clientRoleIsUpgradeDefault() {
        return clientFromUpgradeDefault;
    }

    /** Whether trust comes from the JDK default trust store, rather than a given trust manager or store. */
    boolean usesDefaultTrust() {
        return !ownTrust;
    }

    /** A context of the default provider for {@code protocol} (e.g. {@code TLS}), initialised with both managers. */
    public SSLContext sslContext(String protocol) throws GeneralSecurityException {
        return init(SSLContext.getInstance(protocol));
    }

    /** A context of a given JSSE provider, e.g. SunJSSE or BCJSSE, initialised with both managers. */
    public SSLContext sslContext(String protocol, Provider provider) throws GeneralSecurityException {
        return init(SSLContext.getInstance(protocol, provider));
    }

    private SSLContext init(SSLContext context) throws GeneralSecurityException {
        context.init(new KeyManager[] {keyManager}, new TrustManager[] {trustManager()}, null);
        return context;
    }

    /** Collects identities, a trust source and a policy; {@link #build()} checks and indexes them. Not thread-safe. */
    public static final class Builder {
        private final List<Identity> server = new ArrayList<>();
        private final List<Identity> client = new ArrayList<>();
        private boolean clientUsesServerIdentity;
        private X509KeyManager serverFallback;
        private X509KeyManager clientFallback;
        private X509ExtendedTrustManager trustManager;
        private KeyStore trustStore;
        private final PolicyScope.Builder scope = new PolicyScope.Builder();
        private boolean logHandshakes;
        private boolean retrofit;
        private Date now;

        private Builder() {
        }

        /** Identities presented when this JVM is the TLS server, best first. Each must permit serverAuth. */
        public Builder serverIdentities(Collection<Identity> identities) {
            server.addAll(identities);
            return this;
        }

        public Builder serverIdentity(Identity... identities) {
            return serverIdentities(Arrays.asList(identities));
        }

        /** Identities presented when this JVM is the TLS client, best first. Each must permit clientAuth. */
        public Builder clientIdentities(Collection<Identity> identities) {
            client.addAll(identities);
            return this;
        }

        public Builder clientIdentity(Identity... identities) {
            return clientIdentities(Arrays.asList(identities));
        }

        /**
         * Present the server identities as the client identities too, even when they lack clientAuth:
         * the operator's explicit choice ({@code client.identity=server}).
         */
        public Builder clientUsesServerIdentity() {
            clientUsesServerIdentity = true;
            return this;
        }

        /** The key manager that serves the server role when no server identity is given (the application's own). */
        Builder serverFallback(X509KeyManager keyManager) {
            serverFallback = keyManager;
            return this;
        }

        /** The key manager that serves the client role when no client identity is given (the application's own). */
        Builder clientFallback(X509KeyManager keyManager) {
            clientFallback = keyManager;
            return this;
        }

        /** The trust manager to wrap (the application's own). Default: the JDK's PKIX trust manager over its default trust store. */
        public Builder trustManager(X509ExtendedTrustManager manager) {
            trustManager = manager;
            trustStore = null;
            return this;
        }

        /** Trust anchors for a PKIX trust manager, instead of {@link #trustManager}. */
        public Builder trustStore(KeyStore store) {
            trustStore = store;
            trustManager = null;
            return this;
        }

        /** The EKU policy for peers that connect to us where no scoped rule applies ({@code inbound.eku}). Default: strict. */
        public Builder inboundEku(EkuPolicy policy) {
            scope.defaultMode(requireMode(policy));
            return this;
        }

        /**
         * The EKU policy for peers that connect to the socket listening on {@code localPort}
         * ({@code inbound.eku.port.PORT}). Applies to sockets only: an {@code SSLEngine} knows no local port, so
         * engine-based applications get per-listener policy from one bridge (one context) per listener.
         */
        public Builder inboundEkuForPort(int localPort, EkuPolicy policy) {
            try {
                scope.port(localPort, requireMode(policy), "inbound.eku.port." + localPort);
            } catch (IllegalArgumentException e) {
                throw new EkuBridgeException(Reason.BAD_VALUE, "inbound.eku.port." + localPort + ": " + e.getMessage(), e);
            }
            return this;
        }

        /**
         * The EKU policy for a peer named by host name (matched only against a host name the application gave its
         * engine; never looked up), IP address or CIDR network ({@code inbound.eku.peer.PEER}).
         */
        public Builder inboundEkuForPeer(String peer, EkuPolicy policy) {
            try {
                scope.peer(peer, requireMode(policy), "inbound.eku.peer." + peer);
            } catch (IllegalArgumentException e) {
                throw new EkuBridgeException(Reason.BAD_VALUE, "inbound.eku.peer." + CertificateText.printable(peer) + ": "
                    + CertificateText.printable(e.getMessage()), e);
            }
            return this;
        }

        /** The EKU policy for peers whose certificate {@code issuer} issued ({@code inbound.eku.issuer.LABEL}). */
        public Builder inboundEkuForIssuer(javax.security.auth.x500.X500Principal issuer, EkuPolicy policy, String label) {
            if (issuer == null) {
                throw new NullPointerException("issuer");
            }
            scope.issuer(issuer, requireMode(policy), "inbound.eku.issuer." + label);
            return this;
        }

        private static EkuPolicy requireMode(EkuPolicy policy) {
            if (policy == null) {
                throw new NullPointerException("policy");
            }
            return policy;
        }

        /** Log one line per handshake decision on {@code ekubridge.handshakes} ({@code log.handshakes}). */
        public Builder logHandshakes(boolean enabled) {
            logHandshakes = enabled;
            return this;
        }

        /** The time certificates must be valid at when they are admitted (for tests); default: now. */
        Builder validAt(Date time) {
            now = time;
            return this;
        }

        /**
         * Checks every identity for its role (validity, serverAuth for the server role, clientAuth for the
         * client role unless {@link #clientUsesServerIdentity()}), applies the upgrade default and indexes.
         *
         * @throws EkuBridgeException naming the certificate and what it lacks
         */
        public EkuBridge build() {
            Date at = now == null ? new Date() : now;
            if (clientUsesServerIdentity && !client.isEmpty()) {
                throw new EkuBridgeException(Reason.CONFLICTING_KEYS,
                    "client identities are given and the server identity is to be used as the client identity: choose one");
            }
            for (Identity identity : server) {
                Admission.admit(identity, Role.SERVER, at);
            }
            for (Identity identity : client) {
                Admission.admit(identity, Role.CLIENT, at);
            }
            List<Identity> clientRole = client;
            boolean upgradeDefault = false;
            if (client.isEmpty() && !server.isEmpty() && (clientUsesServerIdentity || clientFallback == null)) {
                clientRole = server;
                upgradeDefault = !clientUsesServerIdentity;
                if (upgradeDefault && !retrofit) {
                    warnUpgradeDefault(server.get(0));
                }
            }
            RoleSelector serverSelector = server.isEmpty() ? null : new RoleSelector(Role.SERVER, server);
            RoleSelector clientSelector = clientRole.isEmpty() ? null : new RoleSelector(Role.CLIENT, clientRole);
            RoleAwareKeyManager keyManager = new RoleAwareKeyManager(serverSelector, serverFallback, clientSelector, clientFallback,
                logHandshakes);
            boolean ownTrust = trustManager != null || trustStore != null;
            PolicyScope policies = scope.build();
            EkuPolicyTrustManager policy = trustManager != null
                ? (EkuPolicyTrustManager) EkuPolicyTrustManager.wrap(trustManager, policies, logHandshakes)
                : trustStore != null ? DefaultTrust.policyOver(trustStore, policies, logHandshakes) : null;
            return new EkuBridge(keyManager, policies, policy == null ? null : policy.presentedBy(keyManager), upgradeDefault, ownTrust,
                logHandshakes);
        }

        private static void warnUpgradeDefault(Identity identity) {
            if (identity.permits(Role.CLIENT)) {
                LOG.info("No client identity configured: the client role presents the server identity {} (it permits clientAuth)",
                    CertificateText.describe(identity.certificate()));
            } else {
                LOG.warn("No client identity configured: the client role presents the server identity {}, which lacks the clientAuth EKU;"
                    + " peers that check EKU (the JDK, Kamailio/OpenSSL, Expressway) will reject it when we dial out."
                    + " Set client.keystore or client.cert/client.key, or client.identity=server to silence this warning",
                    CertificateText.describe(identity.certificate()));
            }
        }
    }
}
