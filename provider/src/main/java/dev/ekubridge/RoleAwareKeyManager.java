package dev.ekubridge;

import dev.ekubridge.internal.CertificateText;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.StandardConstants;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509KeyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A key manager that presents one set of identities when this JVM is the TLS server and another
 * when it is the TLS client. The role comes from the JSSE callback ({@code choose*ServerAlias}
 * versus {@code choose*ClientAlias}); all six callbacks meet in {@link #chooseAlias}.
 *
 * <p>Aliases are the store's own wherever they are unambiguous (an identity's key store alias, or
 * its PEM certificate file name), so that frameworks which look an alias up in their own key store
 * (Jetty's SNI key manager and configured certificate alias, Tomcat's and Spring Boot's key alias)
 * find it. Where two different identities bear the same name (two stores that both call their entry
 * {@code 1}), theirs are namespaced by role and rank ({@code server:0:1}, {@code client:0:1}). An
 * identity that serves both roles has one alias. Either way {@link #getPrivateKey} and
 * {@link #getCertificateChain} return the pair that was chosen, also when a reload replaced the
 * identities in between ({@link LiveMaterial}).
 *
 * <p>A role with no identities of its own can be served by another key manager (the application's,
 * when the agent retrofits it); its aliases are passed through as they are, unless one is also an
 * alias of ours: that one is prefixed {@code app-server:}/{@code app-client:}. With {@code client.peers},
 * the client identity is presented only to the peers named there, and the application's key manager
 * (or none) serves every other peer.
 *
 * <p>Everything a handshake needs is indexed when the identities are loaded. Thread-safe; the identities are
 * one immutable generation, which a reload replaces whole.
 */
public final class RoleAwareKeyManager extends X509ExtendedKeyManager {
    private static final Logger DECISION_LOG = LoggerFactory.getLogger("ekubridge.handshakes");
    private static final String SERVER_FALLBACK = "app-server:";
    private static final String CLIENT_FALLBACK = "app-client:";

    private final LiveMaterial live;
    private final X509KeyManager serverFallback;
    private final X509KeyManager clientFallback;
    /**
     * Made for an application that has key managers of its own (the agent's retrofit): a client role that would only
     * present the server identity by the upgrade default is the application's instead.
     */
    private final boolean applicationServesUpgradeDefault;
    /** The peers the client identity is presented to, or {@code null}: every peer. */
    private final ClientPeers clientPeers;
    private final boolean logDecisions;

    RoleAwareKeyManager(RoleSelector server, X509KeyManager serverFallback, RoleSelector client, X509KeyManager clientFallback) {
        this(server, serverFallback, client, clientFallback, false);
    }

    RoleAwareKeyManager(RoleSelector server, X509KeyManager serverFallback, RoleSelector client, X509KeyManager clientFallback,
            boolean logDecisions) {
        this(LiveMaterial.fixed(new KeyState(server, client, false)), serverFallback, clientFallback, false, null, logDecisions);
    }

    RoleAwareKeyManager(LiveMaterial live, X509KeyManager serverFallback, X509KeyManager clientFallback,
            boolean applicationServesUpgradeDefault, ClientPeers clientPeers, boolean logDecisions) {
        this.live = live;
        this.serverFallback = serverFallback;
        this.clientFallback = clientFallback;
        this.applicationServesUpgradeDefault = applicationServesUpgradeDefault;
        this.clientPeers = clientPeers;
        this.logDecisions = logDecisions;
    }

    /**
     * Whether this key manager answers namespaced aliases: when the application's key manager serves a role beside
     * ours, its aliases pass unchanged (they are its framework's store aliases) and cannot all be listed, so none of
     * ours is known to be unambiguous next to them: the agent's {@code client.keystore} entry {@code mykey} is then
     * {@code client:0:mykey}, and the application's server entry {@code mykey} stays {@code mykey}.
     */
    private boolean namespaced(KeyState keys) {
        return selector(keys, Role.SERVER) == null && serverFallback != null || selector(keys, Role.CLIENT) == null && clientFallback != null;
    }

    /** The identities this key manager presents in {@code role} now, or {@code null} when another key manager serves it. */
    private RoleSelector selector(KeyState keys, Role role) {
        if (role == Role.SERVER) {
            return keys.server;
        }
        return applicationServesUpgradeDefault && keys.clientIsUpgradeDefault ? null : keys.client;
    }

    boolean hasIdentities() {
        KeyState keys = live.current().keys;
        return keys.server != null || keys.client != null;
    }

    /** The material this key manager reads (shared with the bridge's other key managers and trust manager). */
    LiveMaterial material() {
        return live;
    }

    /**
     * The same identities (and every reload of them), with {@code application} serving each role that has none, and the
     * client role too when it would present the server identity only by the upgrade default.
     */
    RoleAwareKeyManager withFallback(X509KeyManager application) {
        return new RoleAwareKeyManager(live, application, application, true, clientPeers, logDecisions);
    }

    /** The identities presented in {@code role} now, best first; empty when another key manager serves it. */
    public List<Identity> identities(Role role) {
        KeyState keys = live.current().keys;
        return selector(keys, role) == null ? Collections.<Identity>emptyList() : keys.identities(role);
    }

    /** The alias of our identity whose leaf is {@code certificate} (in service now), or {@code null} when it is not ours. */
    String aliasOf(X509Certificate certificate) {
        KeyState keys = live.current().keys;
        return keys.aliasOf(certificate, namespaced(keys));
    }

    /** The identity behind an alias this key manager returned (of the identities in service now), or {@code null}. */
    public Identity identity(String alias) {
        KeyState keys = live.current().keys;
        return alias == null ? null : keys.identity(alias, namespaced(keys));
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return chooseAlias(Role.SERVER, keyType, null, issuers, socket, null);
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return chooseAlias(Role.SERVER, keyType, null, issuers, null, engine);
    }

    @Override
    public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
        return chooseAlias(Role.CLIENT, null, keyTypes, issuers, socket, null);
    }

    @Override
    public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
        return chooseAlias(Role.CLIENT, null, keyTypes, issuers, null, engine);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return aliases(Role.SERVER, keyType, issuers);
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return aliases(Role.CLIENT, keyType, issuers);
    }

    /**
     * The one selection path: the role says which identities, then key type, issuers and SNI pick one.
     * The server callbacks pass their one key type as {@code keyType}, the client callbacks their list
     * as {@code keyTypes}: no array is made per handshake.
     */
    private String chooseAlias(Role role, String keyType, String[] keyTypes, Principal[] issuers, Socket socket,
            SSLEngine engine) {
        KeyState keys = live.current().keys;
        RoleSelector selector = selector(keys, role);
        if (selector == null) {
            return chooseFallbackAlias(keys, role, keyType, keyTypes, issuers, socket, engine);
        }
        if (role == Role.CLIENT && clientPeers != null && !clientPeers.names(socket, engine)) {
            if (logDecisions) {
                DECISION_LOG.info("client role: {} is not in client.peers: {}", ClientPeers.describe(socket, engine),
                    clientFallback == null ? "no client certificate" : "the application's key manager chooses");
            }
            return chooseFallbackAlias(keys, role, keyType, keyTypes, issuers, socket, engine);
        }
        String sniHost = role == Role.SERVER ? requestedHost(socket, engine) : null;
        int count = keyTypes == null ? 1 : keyTypes.length;
        for (int i = 0; i < count; i++) {
            String type = keyTypes == null ? keyType : keyTypes[i];
            int rank = selector.choose(type, issuers, sniHost);
            if (rank >= 0) {
                String alias = keys.alias(role, rank, namespaced(keys));
                if (logDecisions) {
                    // The SNI name is the peer's choice: never raw in a log line.
                    DECISION_LOG.info("{} role: presenting {} as {} (key type {}{})", role, selector.identity(rank),
                        CertificateText.printable(alias), CertificateText.printable(type),
                        sniHost == null ? "" : ", SNI " + CertificateText.printable(sniHost));
                }
                live.chose(keys, alias, null);
                return alias;
            }
        }
        if (logDecisions) {
            // A miss against the peer's acceptable issuers is worth a line; a key type we have no identity
            // for is not (BCJSSE asks for one key type at a time, so most of those are expected).
            boolean issuersNamed = issuers != null && issuers.length > 0;
            String line = "{} role: no identity for key types {} and the peer's acceptable issuers";
            String types = CertificateText.printable(keyTypes == null ? keyType : Arrays.toString(keyTypes));
            if (issuersNamed) {
                DECISION_LOG.info(line, role, types);
            } else {
                DECISION_LOG.debug(line, role, types);
            }
        }
        return null;
    }

    private String chooseFallbackAlias(KeyState keys, Role role, String keyType, String[] keyTypes, Principal[] issuers,
            Socket socket, SSLEngine engine) {
        X509KeyManager fallback = role == Role.SERVER ? serverFallback : clientFallback;
        if (fallback == null) {
            return null;
        }
        String alias;
        if (role == Role.SERVER) {
            alias = engine != null && fallback instanceof X509ExtendedKeyManager
                ? ((X509ExtendedKeyManager) fallback).chooseEngineServerAlias(keyType, issuers, engine)
                : fallback.chooseServerAlias(keyType, issuers, socket);
        } else {
            alias = engine != null && fallback instanceof X509ExtendedKeyManager
                ? ((X509ExtendedKeyManager) fallback).chooseEngineClientAlias(keyTypes, issuers, engine)
                : fallback.chooseClientAlias(keyTypes, issuers, socket);
        }
        if (alias == null) {
            return null;
        }
        if (logDecisions && DECISION_LOG.isInfoEnabled()) {
            X509Certificate[] chain = fallback.getCertificateChain(alias);
            DECISION_LOG.info("{} role: presenting the application's '{}'{}", role, CertificateText.printable(alias),
                chain == null || chain.length == 0 ? "" : " (" + CertificateText.describe(chain[0]) + ")");
        }
        String passed = passThrough(keys, role, alias);
        live.chose(keys, passed, fallback);
        return passed;
    }

    /** The fallback's alias as it is, unless it is also one of ours: then prefixed, so that the pair stays the fallback's. */
    private String passThrough(KeyState keys, Role role, String alias) {
        return keys.isAlias(alias, namespaced(keys)) || alias.startsWith(SERVER_FALLBACK) || alias.startsWith(CLIENT_FALLBACK)
            ? (role == Role.SERVER ? SERVER_FALLBACK : CLIENT_FALLBACK) + alias : alias;
    }

    private String[] aliases(Role role, String keyType, Principal[] issuers) {
        live.forgetChoice();
        KeyState keys = live.current().keys;
        RoleSelector selector = selector(keys, role);
        List<String> aliases = new ArrayList<>();
        if (selector != null) {
            for (int rank : selector.all(keyType, issuers)) {
                aliases.add(keys.alias(role, rank, namespaced(keys)));
            }
        } else {
            X509KeyManager fallback = role == Role.SERVER ? serverFallback : clientFallback;
            String[] theirs = fallback == null ? null
                : role == Role.SERVER ? fallback.getServerAliases(keyType, issuers) : fallback.getClientAliases(keyType, issuers);
            if (theirs != null) {
                for (String alias : theirs) {
                    aliases.add(passThrough(keys, role, alias));
                }
            }
        }
        return aliases.isEmpty() ? null : aliases.toArray(new String[0]);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return material(alias, LiveMaterial.Choice.CHAIN, Identity::chain, X509KeyManager::getCertificateChain);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return material(alias, LiveMaterial.Choice.KEY, Identity::privateKey, X509KeyManager::getPrivateKey);
    }

    /**
     * One part ({@link LiveMaterial.Choice#CHAIN} or {@link LiveMaterial.Choice#KEY}) of what {@code alias} names: from
     * the application's key manager that chose it in this handshake, else from our identity, else from the application's
     * key manager the alias belongs to; {@code null} when none has it.
     */
    private <T> T material(String alias, int part, Function<Identity, T> ours, BiFunction<X509KeyManager, String, T> theirs) {
        if (alias == null) {
            return null;
        }
        KeyState keys;
        X509KeyManager chooser = null;
        LiveMaterial.Choice choice = live.resolve(alias, part);
        if (choice == null) {
            keys = live.current().keys;
        } else {
            keys = choice.keys;
            chooser = choice.fallback;
            choice.served(part);
        }
        if (chooser != null) {
            return theirs.apply(chooser, unprefixed(alias));
        }
        Identity identity = keys.identity(alias, namespaced(keys));
        if (identity != null) {
            return ours.apply(identity);
        }
        X509KeyManager fallback = fallbackFor(alias);
        return fallback == null ? null : theirs.apply(fallback, unprefixed(alias));
    }

    /** The application's key manager an alias that is not ours belongs to (both roles' are the same one when the agent set them). */
    private X509KeyManager fallbackFor(String alias) {
        if (alias == null) {
            return null;
        }
        if (alias.startsWith(SERVER_FALLBACK)) {
            return serverFallback;
        }
        if (alias.startsWith(CLIENT_FALLBACK)) {
            return clientFallback;
        }
        if (serverFallback == null || clientFallback == null || serverFallback == clientFallback) {
            return serverFallback != null ? serverFallback : clientFallback;
        }
        return serverFallback.getCertificateChain(alias) != null ? serverFallback : clientFallback;
    }

    private static String unprefixed(String alias) {
        return alias.startsWith(SERVER_FALLBACK) ? alias.substring(SERVER_FALLBACK.length())
            : alias.startsWith(CLIENT_FALLBACK) ? alias.substring(CLIENT_FALLBACK.length()) : alias;
    }

    /** The SNI host name the client asked for, when the handshake session carries one. */
    private static String requestedHost(Socket socket, SSLEngine engine) {
        SSLSession session = null;
        if (engine != null) {
            session = engine.getHandshakeSession();
        } else if (socket instanceof SSLSocket) {
            session = ((SSLSocket) socket).getHandshakeSession();
        }
        if (!(session instanceof ExtendedSSLSession)) {
            return null;
        }
        for (SNIServerName name : ((ExtendedSSLSession) session).getRequestedServerNames()) {
            if (name.getType() == StandardConstants.SNI_HOST_NAME) {
                if (name instanceof SNIHostName) {
                    return ((SNIHostName) name).getAsciiName();
                }
                try {
                    return new SNIHostName(name.getEncoded()).getAsciiName();
                } catch (IllegalArgumentException e) {
                    return null; // not a host name the JDK accepts: choose as if none was sent
                }
            }
        }
        return null;
    }

    @Override
    public String toString() {
        KeyState keys = live.current().keys;
        return "RoleAwareKeyManager[server=" + describe(selector(keys, Role.SERVER), serverFallback) + ", client="
            + describe(selector(keys, Role.CLIENT), clientFallback) + (clientPeers == null ? "" : " for client.peers " + clientPeers) + "]";
    }

    private static String describe(RoleSelector selector, X509KeyManager fallback) {
        if (selector != null) {
            return selector.size() + " identities";
        }
        return fallback == null ? "none" : "application's key manager";
    }
}
