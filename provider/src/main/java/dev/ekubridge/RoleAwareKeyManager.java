package dev.ekubridge;

import dev.ekubridge.internal.CertificateText;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * {@link #getCertificateChain} return the pair that was chosen.
 *
 * <p>A role with no identities of its own can be served by another key manager (the application's,
 * when the agent retrofits it). Its aliases are passed through as they are, because they are the ones
 * the application's framework finds in its own key store; ours cannot be known to be unambiguous then
 * (another key manager's aliases cannot all be listed), so in such a key manager all of ours are
 * namespaced: the agent's {@code client.keystore} entry {@code mykey} is {@code client:0:mykey}, and
 * the application's server entry {@code mykey} stays {@code mykey}. An application alias that is also
 * one of ours is prefixed {@code app-server:}/{@code app-client:}.
 *
 * <p>Everything a handshake needs is indexed when the key manager is built. Immutable and thread-safe.
 */
public final class RoleAwareKeyManager extends X509ExtendedKeyManager {
    private static final Logger DECISION_LOG = LoggerFactory.getLogger("ekubridge.handshakes");
    private static final String SERVER_FALLBACK = "app-server:";
    private static final String CLIENT_FALLBACK = "app-client:";

    private final RoleSelector server;
    private final RoleSelector client;
    private final X509KeyManager serverFallback;
    private final X509KeyManager clientFallback;
    /** Each role's alias by rank: the identity's own name where it is unambiguous, else namespaced. */
    private final String[] serverAliases;
    private final String[] clientAliases;
    private final Map<String, Identity> byAlias;
    /** Each identity's alias by its certificate, for the handshake log's "we presented" (an identity in both roles has one). */
    private final Map<X509Certificate, String> aliasByCertificate = new HashMap<>();
    private final boolean logDecisions;

    RoleAwareKeyManager(RoleSelector server, X509KeyManager serverFallback, RoleSelector client, X509KeyManager clientFallback) {
        this(server, serverFallback, client, clientFallback, false);
    }

    RoleAwareKeyManager(RoleSelector server, X509KeyManager serverFallback, RoleSelector client, X509KeyManager clientFallback,
            boolean logDecisions) {
        this.logDecisions = logDecisions;
        this.server = server;
        this.client = client;
        this.serverFallback = serverFallback;
        this.clientFallback = clientFallback;
        Map<String, Identity> named = new HashMap<>();
        Set<String> ambiguous = new HashSet<>();
        for (RoleSelector selector : new RoleSelector[] {server, client}) {
            for (int rank = 0; selector != null && rank < selector.size(); rank++) {
                Identity identity = selector.identity(rank);
                Identity earlier = named.put(identity.name(), identity);
                if (earlier != null && earlier != identity) {
                    ambiguous.add(identity.name());
                }
            }
        }
        // The application's key manager's aliases are its framework's store aliases and must pass unchanged;
        // we cannot list them all, so none of our names is known to be unambiguous next to them.
        boolean applicationServesARole = server == null && serverFallback != null || client == null && clientFallback != null;
        Map<String, Identity> aliases = new HashMap<>();
        this.serverAliases = aliases(server, ambiguous, applicationServesARole, aliases);
        this.clientAliases = aliases(client, ambiguous, applicationServesARole, aliases);
        this.byAlias = aliases;
        for (Map.Entry<String, Identity> entry : aliases.entrySet()) {
            aliasByCertificate.put(entry.getValue().certificate(), entry.getKey());
        }
    }

    /** The alias of the identity whose leaf is {@code certificate}, or {@code null} when it is not one of ours. */
    String aliasOf(X509Certificate certificate) {
        return certificate == null ? null : aliasByCertificate.get(certificate);
    }

    private static String[] aliases(RoleSelector selector, Set<String> ambiguous, boolean namespaceAll, Map<String, Identity> byAlias) {
        if (selector == null) {
            return new String[0];
        }
        String[] aliases = new String[selector.size()];
        for (int rank = 0; rank < aliases.length; rank++) {
            Identity identity = selector.identity(rank);
            String name = identity.name();
            aliases[rank] = namespaceAll || ambiguous.contains(name) ? selector.role() + ":" + rank + ":" + name : name;
            byAlias.put(aliases[rank], identity);
        }
        return aliases;
    }

    private String alias(Role role, int rank) {
        return (role == Role.SERVER ? serverAliases : clientAliases)[rank];
    }

    boolean hasIdentities() {
        return server != null || client != null;
    }

    /**
     * The same identities, with {@code application} serving each role that has none; with
     * {@code applicationServesClient} the application's key manager also replaces the client identities.
     */
    RoleAwareKeyManager withFallback(X509KeyManager application, boolean applicationServesClient) {
        RoleSelector clientSelector = applicationServesClient ? null : client;
        return new RoleAwareKeyManager(server, server == null ? application : null, clientSelector,
            clientSelector == null ? application : null, logDecisions);
    }

    /** The identities presented in {@code role}, best first; empty when another key manager serves it. */
    public List<Identity> identities(Role role) {
        RoleSelector selector = role == Role.SERVER ? server : client;
        if (selector == null) {
            return Collections.emptyList();
        }
        List<Identity> identities = new ArrayList<>(selector.size());
        for (int rank = 0; rank < selector.size(); rank++) {
            identities.add(selector.identity(rank));
        }
        return Collections.unmodifiableList(identities);
    }

    /** The identity behind an alias this key manager returned, or {@code null}. */
    public Identity identity(String alias) {
        return alias == null ? null : byAlias.get(alias);
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
        RoleSelector selector = role == Role.SERVER ? server : client;
        if (selector == null) {
            return chooseFallbackAlias(role, keyType, keyTypes, issuers, socket, engine);
        }
        String sniHost = role == Role.SERVER ? requestedHost(socket, engine) : null;
        int count = keyTypes == null ? 1 : keyTypes.length;
        for (int i = 0; i < count; i++) {
            String type = keyTypes == null ? keyType : keyTypes[i];
            int rank = selector.choose(type, issuers, sniHost);
            if (rank >= 0) {
                if (logDecisions) {
                    // The SNI name is the peer's choice: never raw in a log line.
                    DECISION_LOG.info("{} role: presenting {} as {} (key type {}{})", role, selector.identity(rank),
                        CertificateText.printable(alias(role, rank)), CertificateText.printable(type),
                        sniHost == null ? "" : ", SNI " + CertificateText.printable(sniHost));
                }
                return alias(role, rank);
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

    private String chooseFallbackAlias(Role role, String keyType, String[] keyTypes, Principal[] issuers, Socket socket,
            SSLEngine engine) {
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
        return passThrough(role, alias);
    }

    /** The fallback's alias as it is, unless it is also one of ours: then prefixed, so that the pair stays the fallback's. */
    private String passThrough(Role role, String alias) {
        return byAlias.containsKey(alias) || alias.startsWith(SERVER_FALLBACK) || alias.startsWith(CLIENT_FALLBACK)
            ? (role == Role.SERVER ? SERVER_FALLBACK : CLIENT_FALLBACK) + alias : alias;
    }

    private String[] aliases(Role role, String keyType, Principal[] issuers) {
        RoleSelector selector = role == Role.SERVER ? server : client;
        List<String> aliases = new ArrayList<>();
        if (selector != null) {
            for (int rank : selector.all(keyType, issuers)) {
                aliases.add(alias(role, rank));
            }
        } else {
            X509KeyManager fallback = role == Role.SERVER ? serverFallback : clientFallback;
            String[] theirs = fallback == null ? null
                : role == Role.SERVER ? fallback.getServerAliases(keyType, issuers) : fallback.getClientAliases(keyType, issuers);
            if (theirs != null) {
                for (String alias : theirs) {
                    aliases.add(passThrough(role, alias));
                }
            }
        }
        return aliases.isEmpty() ? null : aliases.toArray(new String[0]);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        Identity identity = identity(alias);
        if (identity != null) {
            return identity.chain();
        }
        X509KeyManager fallback = fallbackFor(alias);
        return fallback == null ? null : fallback.getCertificateChain(unprefixed(alias));
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        Identity identity = identity(alias);
        if (identity != null) {
            return identity.privateKey();
        }
        X509KeyManager fallback = fallbackFor(alias);
        return fallback == null ? null : fallback.getPrivateKey(unprefixed(alias));
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
        return "RoleAwareKeyManager[server=" + describe(server, serverFallback) + ", client=" + describe(client, clientFallback) + "]";
    }

    private static String describe(RoleSelector selector, X509KeyManager fallback) {
        if (selector != null) {
            return selector.size() + " identities";
        }
        return fallback == null ? "none" : "application's key manager";
    }
}
