package dev.ekubridge;

import dev.ekubridge.EkuBridgeException.Reason;
import dev.ekubridge.internal.Admission;
import dev.ekubridge.internal.CertificateText;
import dev.ekubridge.internal.FileBytes;
import dev.ekubridge.internal.KeyStoreFiles;
import dev.ekubridge.internal.PemFiles;
import dev.ekubridge.internal.RoleSelector;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Provider;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.X509TrustManager;
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
    private static final Logger LOG = LoggerFactory.getLogger(EkuBridge.class);

    private final RoleAwareKeyManager keyManager;
    private final EkuPolicy inboundEku;
    /** Built on first use when it wraps the JDK default trust store: the agent never needs it (it wraps the application's). */
    private volatile EkuPolicyTrustManager trustManager;
    /** The client role presents the server identity only because nothing was said about it (the upgrade default). */
    private final boolean clientFromUpgradeDefault;
    /** The trust manager was given or built from a trust store, rather than being the JDK default. */
    private final boolean ownTrust;
    private final boolean logHandshakes;

    private EkuBridge(RoleAwareKeyManager keyManager, EkuPolicy inboundEku, EkuPolicyTrustManager trustManager,
            boolean clientFromUpgradeDefault, boolean ownTrust, boolean logHandshakes) {
        this.keyManager = keyManager;
        this.inboundEku = inboundEku;
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

    private static EkuBridge fromConfig(EkuBridgeConfig config, boolean retrofit) {
        if (!retrofit) {
            config.logWarningsOnce(); // the agent prints them in its own log
        }
        if (config.reloadSeconds() > 0) {
            throw new EkuBridgeException(Reason.UNSUPPORTED, "reload.seconds=" + config.reloadSeconds() + " (from "
                + config.sourceOf("reload.seconds") + "): reloading certificate files is not available in this version;"
                + " leave it out or set 0, and restart to rotate certificates");
        }
        Builder builder = builder().inboundEku(config.inboundEku()).logHandshakes(config.logHandshakes());
        builder.retrofit = retrofit;
        if (config.hasIdentity(Role.SERVER)) {
            builder.serverIdentities(loadIdentities(config, Role.SERVER));
        }
        if (config.hasIdentity(Role.CLIENT)) {
            builder.clientIdentities(loadIdentities(config, Role.CLIENT));
        }
        if (config.clientUsesServerIdentity()) {
            builder.clientUsesServerIdentity();
        }
        if (config.has("truststore")) {
            char[] password = password(config, "truststore");
            try {
                builder.trustStore(requireAnchors(config, "truststore", loading(config, "truststore",
                    () -> KeyStoreFiles.load(config.label("truststore"), path(config, "truststore"), password))));
            } finally {
                if (password != null) {
                    Arrays.fill(password, '\0');
                }
            }
        } else if (config.has("truststore.pem")) {
            builder.trustStore(requireAnchors(config, "truststore.pem", loading(config, "truststore.pem", () -> pemTrustStore(config))));
        }
        return builder.build();
    }

    /**
     * Runs one loading step, so that nothing but an {@link EkuBridgeException} leaves {@link #fromConfig}: an
     * unexpected exception from a parser becomes one naming the key, its source and the file, and its type.
     */
    private static <T> T loading(EkuBridgeConfig config, String key, java.util.function.Supplier<T> step) {
        try {
            return step.get();
        } catch (EkuBridgeException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new EkuBridgeException(Reason.UNKNOWN_FORMAT, config.label(key) + ": cannot be used: the file is damaged or"
                + " not of this kind (" + e.getClass().getName() + ")", e);
        }
    }

    /** A trust store without a single certificate would make every handshake fail: refused at start instead. */
    private static KeyStore requireAnchors(EkuBridgeConfig config, String key, KeyStore store) {
        try {
            for (String alias : Collections.list(store.aliases())) {
                if (store.getCertificate(alias) != null) {
                    return store;
                }
            }
        } catch (java.security.KeyStoreException e) {
            throw new EkuBridgeException(Reason.UNKNOWN_FORMAT, config.label(key) + ": cannot list its entries: " + e, e);
        }
        throw new EkuBridgeException(Reason.EMPTY_STORE, config.label(key) + ": the trust store holds no certificate, so every"
            + " handshake would fail; add the CA certificates to trust, or leave " + key + " out to use the JDK's default trust store");
    }

    /**
     * As {@link #fromConfig}, for retrofitting an application that has key managers of its own (the
     * agent): a role the configuration names no identity for stays the application's, so the client
     * role is never given the server identity by the upgrade default and no warning says it would be.
     */
    public static EkuBridge fromConfigForRetrofit(EkuBridgeConfig config) {
        return fromConfig(config, true);
    }

    private static List<Identity> loadIdentities(EkuBridgeConfig config, Role role) {
        String p = role.configPrefix();
        char[] password = password(config, p);
        try {
            if (config.has(p + ".keystore")) {
                String label = config.label(p + ".keystore");
                return loading(config, p + ".keystore", () -> {
                    KeyStore store = KeyStoreFiles.load(label, path(config, p + ".keystore"), password);
                    return KeyStoreFiles.identities(label, store, password, config.get(p + ".alias"));
                });
            }
            return loading(config, p + ".cert", () -> Collections.singletonList(PemFiles.identity(config.label(p + ".cert"),
                path(config, p + ".cert"), config.label(p + ".key"), path(config, p + ".key"), password)));
        } finally {
            if (password != null) {
                Arrays.fill(password, '\0');
            }
        }
    }

    private static KeyStore pemTrustStore(EkuBridgeConfig config) {
        X509Certificate[] anchors = PemFiles.certificates(config.label("truststore.pem"), path(config, "truststore.pem"));
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            for (int i = 0; i < anchors.length; i++) {
                store.setCertificateEntry("anchor-" + i, anchors[i]);
            }
            return store;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new EkuBridgeException(Reason.UNSUPPORTED, config.label("truststore.pem") + ": cannot build a trust store: " + e, e);
        }
    }

    private static Path path(EkuBridgeConfig config, String key) {
        return config.path(key);
    }

    /** The password of {@code prefix} from {@code .password}, {@code .password.env} or {@code .password.file}, or {@code null}. */
    private static char[] password(EkuBridgeConfig config, String prefix) {
        if (config.has(prefix + ".password")) {
            return config.get(prefix + ".password").toCharArray();
        }
        if (config.has(prefix + ".password.env")) {
            String key = prefix + ".password.env";
            String variable = config.get(key).trim();
            String value = config.environment().get(variable);
            if (value == null) {
                throw new EkuBridgeException(Reason.MISSING_KEY, key + " (from " + config.sourceOf(key) + ") names environment variable "
                    + variable + ", which is not set");
            }
            return value.toCharArray();
        }
        if (config.has(prefix + ".password.file")) {
            String key = prefix + ".password.file";
            byte[] content = FileBytes.read(config.label(key), path(config, key), FileBytes.MAX_TEXT_SIZE);
            String text = new String(content, StandardCharsets.UTF_8);
            int end = text.length();
            while (end > 0 && (text.charAt(end - 1) == '\n' || text.charAt(end - 1) == '\r')) {
                end--;
            }
            Arrays.fill(content, (byte) 0);
            return text.substring(0, end).toCharArray();
        }
        return null;
    }

    /**
     * The key managers for a context that an application initialises with its own (the agent's use):
     * a role this bridge has identities for is served by them; a role it has none for keeps the
     * application's key manager (none, when it gave none), and so does the client role when it
     * would only have presented the server identity by the upgrade default. Idempotent: managers that are already EKU Bridge's
     * are returned unchanged. {@code application} may be {@code null} (the JSSE default).
     */
    public KeyManager[] retrofitKeyManagers(KeyManager[] application) {
        X509KeyManager applicationManager = firstOf(application, X509KeyManager.class);
        if (applicationManager instanceof RoleAwareKeyManager || !keyManager.hasIdentities()) {
            return application;
        }
        // With no key manager of its own the application presented no client certificate; that stays so.
        return new KeyManager[] {keyManager.withFallback(applicationManager, clientFromUpgradeDefault)};
    }

    /**
     * The trust managers for a context that an application initialises with its own: the
     * configured trust store when there is one, otherwise the application's trust manager (or the
     * JDK default when it gave none) wrapped with this bridge's policy. Idempotent.
     */
    public TrustManager[] retrofitTrustManagers(TrustManager[] application) {
        X509TrustManager applicationManager = firstOf(application, X509TrustManager.class);
        if (EkuPolicyTrustManager.appliesPolicy(applicationManager)) {
            return application;
        }
        if (ownTrust || applicationManager == null) {
            return new TrustManager[] {trustManager()};
        }
        return new TrustManager[] {EkuPolicyTrustManager.wrap(applicationManager, inboundEku, logHandshakes)};
    }

    private static <T> T firstOf(Object[] managers, Class<T> type) {
        if (managers != null) {
            for (Object manager : managers) {
                if (type.isInstance(manager)) {
                    return type.cast(manager);
                }
            }
        }
        return null;
    }

    /** Whether the client role presents the server identity only by the upgrade default (nothing was said about it). */
    public boolean clientRoleIsUpgradeDefault() {
        return clientFromUpgradeDefault;
    }

    /** Whether trust comes from the JDK default trust store, rather than a given trust manager or store. */
    public boolean usesDefaultTrust() {
        return !ownTrust;
    }

    /**
     * Writes the certificates in use as PEM files into {@code directory}, as Expressway's diagnostic
     * bundle does: each role's identities (their chains) and, when trust comes from a configured
     * store, its anchors. Never a private key. Files are named by role, rank and SHA-256 fingerprint.
     *
     * @throws EkuBridgeException naming the directory when it cannot be written
     */
    public void writeDiagnostics(Path directory) {
        Diagnostics.write("diagnostics.dir " + directory, directory, this);
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
                    manager = policyOverTrustStore(null, inboundEku, logHandshakes);
                    trustManager = manager;
                }
            }
        }
        return manager;
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

    /**
     * {@code policy} around the trust manager of the default algorithm ({@code ssl.TrustManagerFactory.algorithm},
     * normally PKIX) over {@code trustStore}, or over the JDK default trust store when {@code null}. PKIX
     * instead when the default algorithm is EkuBridge itself, which would wrap twice.
     */
    static EkuPolicyTrustManager policyOverTrustStore(KeyStore trustStore, EkuPolicy policy, boolean logDecisions) {
        String algorithm = TrustManagerFactory.getDefaultAlgorithm();
        if (algorithm == null || EkuBridgeProvider.NAME.equalsIgnoreCase(algorithm)) {
            algorithm = "PKIX";
        }
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(algorithm);
            factory.init(trustStore);
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509ExtendedTrustManager) {
                    return new EkuPolicyTrustManager((X509ExtendedTrustManager) manager, policy, logDecisions, algorithm);
                }
            }
            throw new EkuBridgeException(Reason.UNSUPPORTED, "the default trust manager factory returned no X509ExtendedTrustManager");
        } catch (GeneralSecurityException e) {
            throw new EkuBridgeException(Reason.UNSUPPORTED, "cannot create the default trust manager: " + e, e);
        }
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
        private EkuPolicy inboundEku = EkuPolicy.STRICT;
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
        public Builder serverFallback(X509KeyManager keyManager) {
            serverFallback = keyManager;
            return this;
        }

        /** The key manager that serves the client role when no client identity is given (the application's own). */
        public Builder clientFallback(X509KeyManager keyManager) {
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

        public Builder inboundEku(EkuPolicy policy) {
            if (policy == null) {
                throw new NullPointerException("policy");
            }
            inboundEku = policy;
            return this;
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
            EkuPolicyTrustManager policy = trustManager != null ? EkuPolicyTrustManager.wrap(trustManager, inboundEku, logHandshakes)
                : trustStore != null ? policyOverTrustStore(trustStore, inboundEku, logHandshakes) : null;
            return new EkuBridge(keyManager, inboundEku, policy, upgradeDefault, ownTrust, logHandshakes);
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
