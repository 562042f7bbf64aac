package dev.ekubridge;

import dev.ekubridge.EkuBridgeException.Reason;
import dev.ekubridge.internal.CertificateText;
import java.util.Collections;
import java.security.cert.X509Certificate;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One generation of a key manager's identities: each role's {@link RoleSelector}, the alias of every identity and
 * the identity behind every alias. A reload builds a new one and swaps it in whole, so that a key is never paired
 * with another generation's chain. Immutable and thread-safe.
 *
 * <p>Aliases are the store's own wherever they are unambiguous (an identity's key store alias, or its PEM certificate
 * file name); where two different identities bear the same name they are namespaced by role and rank
 * ({@code server:0:1}, {@code client:0:1}). An identity that serves both roles has one alias.
 */
final class KeyState {
    private static final Logger LOG = LoggerFactory.getLogger("ekubridge.config");

    static final KeyState EMPTY = new KeyState(null, null, false);

    /** The server role's identities, or {@code null} when it has none. */
    final RoleSelector server;
    /** The client role's identities, or {@code null} when it has none. */
    final RoleSelector client;
    /** The client role presents the server identities only because nothing was said about it (the upgrade default). */
    final boolean clientIsUpgradeDefault;
    private final String[] serverAliases;
    private final String[] clientAliases;
    /** Every alias namespaced by role and rank ({@code server:0:sip}), for key managers beside the application's. */
    private final String[] serverNamespaced;
    private final String[] clientNamespaced;
    /** The identities by their plain aliases, and by their namespaced ones. */
    private final Map<String, Identity> byAlias;
    private final Map<String, Identity> byNamespaced;
    /** Each leaf's alias in both forms, for the decision log's "we presented". */
    private final Map<X509Certificate, String[]> aliasesByCertificate = new HashMap<>();

    KeyState(RoleSelector server, RoleSelector client, boolean clientIsUpgradeDefault) {
        this.server = server;
        this.client = client;
        this.clientIsUpgradeDefault = clientIsUpgradeDefault;
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
        Map<String, Identity> aliases = new HashMap<>();
        Map<String, Identity> namespaced = new HashMap<>();
        this.serverAliases = aliases(server, ambiguous, false, aliases);
        this.clientAliases = aliases(client, ambiguous, false, aliases);
        this.serverNamespaced = aliases(server, ambiguous, true, namespaced);
        this.clientNamespaced = aliases(client, ambiguous, true, namespaced);
        this.byAlias = aliases;
        this.byNamespaced = namespaced;
        for (Role role : Role.values()) {
            RoleSelector selector = selector(role);
            for (int rank = 0; selector != null && rank < selector.size(); rank++) {
                aliasesByCertificate.putIfAbsent(selector.identity(rank).certificate(),
                    new String[] {alias(role, rank, false), alias(role, rank, true)});
            }
        }
    }

    /**
     * The store's own name where no other identity bears it, else namespaced by role and rank; with
     * {@code namespaceAll}, every alias namespaced (see {@link RoleAwareKeyManager}: beside the application's key
     * manager, whose aliases must pass unchanged and cannot all be listed, none of ours is known to be unambiguous).
     */
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

    /**
     * Admits identities into their roles and applies the upgrade default: every server identity must permit
     * serverAuth and every client identity clientAuth, and all must be valid at {@code now}; with no client identity,
     * the client role presents the server identities when the operator chose so ({@code clientUsesServerIdentity}) or
     * when no other key manager serves it ({@code clientFallbackGiven} false), by the upgrade default.
     *
     * @param warnUpgradeDefault log the upgrade default's line on {@code ekubridge.config} when it applies
     * @throws EkuBridgeException naming the certificate and what it lacks
     */
    static KeyState admit(List<Identity> server, List<Identity> client, boolean clientUsesServerIdentity, boolean clientFallbackGiven,
            Date now, boolean warnUpgradeDefault) {
        if (clientUsesServerIdentity && !client.isEmpty()) {
            throw new EkuBridgeException(Reason.CONFLICTING_KEYS,
                "client identities are given and the server identity is to be used as the client identity: choose one");
        }
        for (Identity identity : server) {
            Admission.admit(identity, Role.SERVER, now);
        }
        for (Identity identity : client) {
            Admission.admit(identity, Role.CLIENT, now);
        }
        List<Identity> clientRole = client;
        boolean upgradeDefault = false;
        if (client.isEmpty() && !server.isEmpty() && (clientUsesServerIdentity || !clientFallbackGiven)) {
            clientRole = server;
            upgradeDefault = !clientUsesServerIdentity;
            if (upgradeDefault && warnUpgradeDefault) {
                warnUpgradeDefault(server.get(0));
            }
        }
        RoleSelector serverSelector = server.isEmpty() ? null : new RoleSelector(Role.SERVER, server);
        RoleSelector clientSelector = clientRole.isEmpty() ? null : new RoleSelector(Role.CLIENT, clientRole);
        return new KeyState(serverSelector, clientSelector, upgradeDefault);
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

    RoleSelector selector(Role role) {
        return role == Role.SERVER ? server : client;
    }

    String alias(Role role, int rank, boolean namespaced) {
        return (role == Role.SERVER ? namespaced ? serverNamespaced : serverAliases : namespaced ? clientNamespaced : clientAliases)[rank];
    }

    /** The alias of the identity whose leaf is {@code certificate}, or {@code null} when it is not one of this generation's. */
    String aliasOf(X509Certificate certificate, boolean namespaced) {
        String[] both = certificate == null ? null : aliasesByCertificate.get(certificate);
        return both == null ? null : both[namespaced ? 1 : 0];
    }

    /** The identity behind one of this generation's aliases (of the plain or the namespaced form), or {@code null}. */
    Identity identity(String alias, boolean namespaced) {
        return (namespaced ? byNamespaced : byAlias).get(alias);
    }

    boolean isAlias(String alias, boolean namespaced) {
        return (namespaced ? byNamespaced : byAlias).containsKey(alias);
    }

    /** The identities of {@code role}, best first. */
    List<Identity> identities(Role role) {
        RoleSelector selector = selector(role);
        if (selector == null) {
            return Collections.emptyList();
        }
        Identity[] identities = new Identity[selector.size()];
        for (int rank = 0; rank < identities.length; rank++) {
            identities[rank] = selector.identity(rank);
        }
        return Collections.unmodifiableList(java.util.Arrays.asList(identities));
    }
}
