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
import java.util.Map;
import java.util.Objects;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509KeyManager;

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
    private final RoleAwareKeyManager keyManager;
    /** The identities (and the configured trust store's manager) in service: one generation, replaced whole by a reload. */
    private final LiveMaterial live;
    /** The inbound EKU policy: a default, and maybe rules scoped by peer, local port or issuer. */
    private final PolicyScope scope;
    /** Built on first use when it wraps the JDK default trust store: the agent never needs it (it wraps the application's). */
    private volatile EkuPolicyTrustManager trustManager;
    /** The trust manager was given or built from a trust store, rather than being the JDK default. */
    private final boolean ownTrust;
    private final boolean logHandshakes;
    /** Reloads the configuration's files; {@code null} for a bridge built from identities given as objects. */
    private final Reloader reloader;

    private EkuBridge(RoleAwareKeyManager keyManager, LiveMaterial live, PolicyScope scope, EkuPolicyTrustManager trustManager,
            boolean ownTrust, boolean logHandshakes, Reloader reloader) {
        this.keyManager = keyManager;
        this.live = live;
        this.scope = scope;
        this.trustManager = trustManager;
        this.ownTrust = ownTrust;
        this.logHandshakes = logHandshakes;
        this.reloader = reloader;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Loads every file a configuration names and checks it, or throws one {@link EkuBridgeException}
     * naming the key, its source and the file; nothing is half-loaded.
     */
    public static EkuBridge fromConfig(EkuBridgeConfig config) {
        return ConfiguredBridge.build(config, false);
    }

    /**
     * Loads the files of the configuration again, and when any changed (key stores, PEM files, password files, the trust
     * store), checks them as at start and puts them in service: both roles' identities and the trust store together,
     * in one step. Contexts made before keep working and present the new identities from their next handshake on;
     * handshakes in flight finish with the identity they chose. What {@code reload.seconds} does on a timer.
     *
     * @return what changed, or that nothing did
     * @throws EkuBridgeException naming the file and what is wrong with it (garbage, wrong password, refused by a check,
     *     half-written); the material in service stays, and {@link #reloadFailures()} counts it (once per content)
     */
    public ReloadResult reload() {
        if (reloader == null) {
            throw new EkuBridgeException(Reason.UNSUPPORTED, "this bridge was built from identities given to its builder, not"
                + " from files: there is nothing to reload (build it with EkuBridge.fromConfig to reload its files)");
        }
        return reloader.check(true);
    }

    /** How many times new files were refused by a reload (each content once), since this bridge was built. */
    public long reloadFailures() {
        return reloader == null ? 0 : reloader.failures();
    }

    /** How many reloads put new material in service since this bridge was built. */
    public long reloads() {
        return reloader == null ? 0 : reloader.reloads();
    }

    /**
     * Stops the {@code reload.seconds} checker thread, if there is one ({@link #reload()} still works). The thread is a
     * daemon that also ends by itself once nothing uses this bridge or its managers any more.
     */
    public void stopReloading() {
        if (reloader != null) {
            reloader.stop();
        }
    }

    /** The checker thread, or {@code null}. */
    Thread reloadThread() {
        return reloader == null ? null : reloader.checker();
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
     * identities in service, the policy, reloads) on the platform MBean server as
     * {@code dev.ekubridge:type=EkuBridge} ({@code ,name=2}... for more bridges in one JVM). The agent does this itself.
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
        return live.current().keys.clientIsUpgradeDefault;
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
        private ClientPeers clientPeers;
        /** The configuration whose files the identities and trust store came from, or {@code null}. */
        private EkuBridgeConfig files;
        private Map<String, Reloader.Observed> filesBefore;

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

        /**
         * Presents the client identities only to these peers ({@code client.peers}); elsewhere the client role is the
         * application's key manager when EKU Bridge retrofits one (the agent), otherwise no client certificate is sent.
         * Each peer is a host name (matched only against a name the application connected to, never looked up), an IP
         * address or a CIDR network, each with or without a port ({@code sip.example.com}, {@code 192.0.2.0/24},
         * {@code sip.example.com:5061}, {@code [2001:db8::1]:5061}), or a port alone ({@code :5061}). The role still
         * comes from the JSSE callback; the peer from the socket (remote address, port, host name connected to) or the
         * engine ({@code getPeerHost()}, {@code getPeerPort()}). A handshake whose peer is unknown is not to a named peer.
         *
         * @throws EkuBridgeException BAD_VALUE naming an entry that is none of these
         */
        public Builder clientPeers(Collection<String> peers) {
            try {
                clientPeers = ClientPeers.parse(peers);
            } catch (IllegalArgumentException e) {
                throw new EkuBridgeException(Reason.BAD_VALUE, "client.peers: " + e.getMessage(), e);
            }
            return this;
        }

        /** As {@link #clientPeers(Collection)}. */
        public Builder clientPeers(String... peers) {
            return clientPeers(Arrays.asList(peers));
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
            Objects.requireNonNull(issuer, "issuer");
            scope.issuer(issuer, requireMode(policy), "inbound.eku.issuer." + label);
            return this;
        }

        private static EkuPolicy requireMode(EkuPolicy policy) {
            return Objects.requireNonNull(policy, "policy");
        }

        /** Log one line per handshake decision on {@code ekubridge.handshakes} ({@code log.handshakes}). */
        public Builder logHandshakes(boolean enabled) {
            logHandshakes = enabled;
            return this;
        }

        /** For an agent that keeps the application's key manager for a role the configuration names no identity for. */
        Builder retrofit(boolean enabled) {
            retrofit = enabled;
            return this;
        }

        /** Adds the configuration's inbound EKU rules scoped by peer, port or issuer. */
        Builder scopedRules(EkuBridgeConfig config) {
            config.applyScopedRules(scope);
            return this;
        }

        /**
         * The identities and trust store came from {@code config}'s files, which looked as {@code before} when they were
         * read: the bridge gets a {@link Reloader} for them.
         */
        Builder files(EkuBridgeConfig config, Map<String, Reloader.Observed> before) {
            files = config;
            filesBefore = before;
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
            KeyState keys = KeyState.admit(server, client, clientUsesServerIdentity, clientFallback != null, at, !retrofit);
            boolean ownTrust = trustManager != null || trustStore != null;
            PolicyScope policies = scope.build();
            LiveMaterial live;
            EkuPolicyTrustManager policy;
            Reloader reloader = null;
            if (files != null) {
                // from files: a reload replaces the identities and the trust store's manager together
                X509ExtendedTrustManager trust = trustStore == null ? null : DefaultTrust.manager(trustStore);
                live = new LiveMaterial(new LiveMaterial.Generation(keys, trust, 0), true);
                policy = trust == null ? null : DefaultTrust.policyOverLive(new LiveTrust(live), policies, logHandshakes);
                reloader = new Reloader(files, retrofit, live, filesBefore);
                live.owner = reloader;
            } else {
                live = LiveMaterial.fixed(keys);
                policy = trustManager != null
                    ? (EkuPolicyTrustManager) EkuPolicyTrustManager.wrap(trustManager, policies, logHandshakes)
                    : trustStore != null ? DefaultTrust.policyOver(trustStore, policies, logHandshakes) : null;
            }
            RoleAwareKeyManager keyManager = new RoleAwareKeyManager(live, serverFallback, clientFallback, false, clientPeers,
                logHandshakes);
            EkuBridge bridge = new EkuBridge(keyManager, live, policies, policy == null ? null : policy.presentedBy(keyManager), ownTrust,
                logHandshakes, reloader);
            if (reloader != null && files.reloadSeconds() > 0) {
                reloader.start(files.reloadSeconds());
            }
            return bridge;
        }
    }
}
