package dev.ekubridge;

import dev.ekubridge.internal.KeyTypes;
import java.security.Principal;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.security.auth.x500.X500Principal;

/**
 * The identities of one role, indexed when they are loaded so that choosing one during a handshake
 * is a few hash look-ups, whatever the number of identities: by key type, then by the peer's
 * acceptable issuers and (server role) by the SNI host name. Lower rank wins; rank is the order the
 * identities were given in. Immutable and thread-safe.
 */
final class RoleSelector {
    private final Role role;
    private final Identity[] identities;
    private final String[] aliases;
    /** Every issuer DN in each identity's chain, for matching the peer's acceptable issuers. */
    private final List<Set<X500Principal>> issuersByRank;
    private final List<Set<String>> keyTypesByRank;
    /** When each identity stops being usable: the earliest notAfter of its chain, in epoch milliseconds. */
    private final long[] expiresAt;
    private final Map<String, Candidates> byKeyType;

    /** The candidates for one key type; every map holds the best (lowest) rank for its key. */
    private static final class Candidates {
        final int first;
        final Map<X500Principal, Integer> byIssuer = new HashMap<>();
        final Map<String, Integer> byHost = new HashMap<>();
        final Map<String, Integer> byWildcardParent = new HashMap<>();

        Candidates(int first) {
            this.first = first;
        }
    }

    RoleSelector(Role role, List<Identity> ranked) {
        this.role = role;
        this.identities = ranked.toArray(new Identity[0]);
        this.aliases = new String[identities.length];
        this.issuersByRank = new java.util.ArrayList<>(identities.length);
        this.keyTypesByRank = new java.util.ArrayList<>(identities.length);
        this.expiresAt = new long[identities.length];
        Map<String, Candidates> index = new HashMap<>();
        for (int rank = 0; rank < identities.length; rank++) {
            Identity identity = identities[rank];
            aliases[rank] = role + ":" + rank + ":" + identity.name();
            X509Certificate[] chain = identity.chain();
            Set<X500Principal> issuers = new HashSet<>();
            for (X509Certificate certificate : chain) {
                issuers.add(certificate.getIssuerX500Principal());
            }
            issuersByRank.add(issuers);
            Set<String> keyTypes = KeyTypes.of(chain);
            keyTypesByRank.add(keyTypes);
            long expiry = Long.MAX_VALUE;
            for (X509Certificate certificate : chain) {
                expiry = Math.min(expiry, certificate.getNotAfter().getTime());
            }
            expiresAt[rank] = expiry;
            Collection<String> hosts = role == Role.SERVER ? hostNames(chain[0]) : Collections.<String>emptyList();
            for (String keyType : keyTypes) {
                Candidates candidates = index.get(keyType);
                if (candidates == null) {
                    candidates = new Candidates(rank);
                    index.put(keyType, candidates);
                }
                for (X500Principal issuer : issuers) {
                    candidates.byIssuer.putIfAbsent(issuer, rank);
                }
                for (String host : hosts) {
                    if (host.startsWith("*.")) {
                        candidates.byWildcardParent.putIfAbsent(host.substring(2), rank);
                    } else {
                        candidates.byHost.putIfAbsent(host, rank);
                    }
                }
            }
        }
        this.byKeyType = index;
    }

    Role role() {
        return role;
    }

    int size() {
        return identities.length;
    }

    Identity identity(int rank) {
        return identities[rank];
    }

    String alias(int rank) {
        return aliases[rank];
    }

    /**
     * The rank of the identity to present, or -1 when none has this key type (or, when the peer
     * named acceptable issuers, none chains to one of them; the JDK's key managers are as strict).
     * An SNI match wins over rank; without one the best-ranked candidate is used, as the JDK does.
     * An identity that has expired since it was loaded gives way to the best one still valid, if any.
     */
    int choose(String keyType, Principal[] issuers, String sniHost) {
        int rank = chooseIgnoringExpiry(keyType, issuers, sniHost);
        if (rank >= 0 && expiresAt[rank] < System.currentTimeMillis()) {
            return bestValid(keyType, issuers, rank);
        }
        return rank;
    }

    /** The rare path: the chosen identity expired while in service. */
    private int bestValid(String keyType, Principal[] issuers, int expired) {
        long now = System.currentTimeMillis();
        boolean anyIssuer = !namesUsableIssuer(issuers);
        for (int rank = 0; rank < identities.length; rank++) {
            if (expiresAt[rank] >= now && keyTypesByRank.get(rank).contains(keyType) && (anyIssuer || issuedByAny(rank, issuers))) {
                return rank;
            }
        }
        return expired;
    }

    private int chooseIgnoringExpiry(String keyType, Principal[] issuers, String sniHost) {
        Candidates candidates = keyType == null ? null : byKeyType.get(keyType);
        if (candidates == null) {
            return -1;
        }
        boolean anyIssuer = !namesUsableIssuer(issuers);
        if (sniHost != null) {
            int rank = hostRank(candidates, sniHost);
            if (rank >= 0 && (anyIssuer || issuedByAny(rank, issuers))) {
                return rank;
            }
        }
        if (anyIssuer) {
            return candidates.first;
        }
        int best = -1;
        for (Principal issuer : issuers) {
            X500Principal name = asX500(issuer);
            Integer rank = name == null ? null : candidates.byIssuer.get(name);
            if (rank != null && (best < 0 || rank < best)) {
                best = rank;
            }
        }
        return best;
    }

    /** Every rank usable for this key type and these issuers, best first (for {@code get*Aliases}). */
    List<Integer> all(String keyType, Principal[] issuers) {
        List<Integer> ranks = new java.util.ArrayList<>();
        if (keyType == null || !byKeyType.containsKey(keyType)) {
            return ranks;
        }
        boolean anyIssuer = !namesUsableIssuer(issuers);
        for (int rank = 0; rank < identities.length; rank++) {
            if (keyTypesByRank.get(rank).contains(keyType) && (anyIssuer || issuedByAny(rank, issuers))) {
                ranks.add(rank);
            }
        }
        return ranks;
    }

    private static int hostRank(Candidates candidates, String sniHost) {
        String host = sniHost.toLowerCase(Locale.ROOT);
        Integer rank = candidates.byHost.get(host);
        if (rank == null && !candidates.byWildcardParent.isEmpty()) {
            int dot = host.indexOf('.');
            if (dot > 0) {
                rank = candidates.byWildcardParent.get(host.substring(dot + 1));
            }
        }
        return rank == null ? -1 : rank;
    }

    private boolean issuedByAny(int rank, Principal[] issuers) {
        Set<X500Principal> mine = issuersByRank.get(rank);
        for (Principal issuer : issuers) {
            X500Principal name = asX500(issuer);
            if (name != null && mine.contains(name)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the peer's acceptable issuers restrict the choice: at least one is an X.500 name. Entries that
     * are not (a {@code Principal} whose name is not a DN, or {@code null}) are skipped, as the JDK's key
     * managers skip them, so a list of only such entries restricts nothing. Allocates nothing when the first
     * entry is an {@link X500Principal}, which is what the JDK and BCJSSE pass.
     */
    private static boolean namesUsableIssuer(Principal[] issuers) {
        if (issuers == null) {
            return false;
        }
        for (Principal issuer : issuers) {
            if (asX500(issuer) != null) {
                return true;
            }
        }
        return false;
    }

    /** The principal as an X.500 name, or {@code null} when it is none and its name does not parse as one. */
    private static X500Principal asX500(Principal principal) {
        if (principal instanceof X500Principal) {
            return (X500Principal) principal;
        }
        if (principal == null) {
            return null;
        }
        try {
            String name = principal.getName();
            return name == null ? null : new X500Principal(name);
        } catch (RuntimeException e) {
            return null; // not a DN: skipped
        }
    }

    /** DNS subject alternative names, lower case; the CN only when there is no DNS name, as RFC 6125 allows. */
    static Collection<String> hostNames(X509Certificate certificate) {
        Set<String> names = new HashSet<>();
        try {
            Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
            if (alternatives != null) {
                for (List<?> alternative : alternatives) {
                    if (Integer.valueOf(2).equals(alternative.get(0)) && alternative.get(1) instanceof String) {
                        names.add(((String) alternative.get(1)).toLowerCase(Locale.ROOT));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            return names;
        }
        if (names.isEmpty()) {
            String cn = commonName(certificate.getSubjectX500Principal());
            if (cn != null) {
                names.add(cn.toLowerCase(Locale.ROOT));
            }
        }
        return names;
    }

    private static String commonName(X500Principal subject) {
        for (String part : subject.getName(X500Principal.RFC2253).split(",")) {
            if (part.regionMatches(true, 0, "CN=", 0, 3)) {
                return part.substring(3);
            }
        }
        return null;
    }
}
