package dev.ekubridge;

import dev.ekubridge.EkuBridgeException.Reason;
import dev.ekubridge.internal.Eku;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Date;
import java.util.List;

/**
 * One key store whose entries serve both roles, each entry assigned by its EKU: {@code KeyManagerFactory.EkuBridge}
 * over {@code javax.net.ssl.keyStore} ({@link #ranked}) and the configuration's {@code server.keystore} when nothing is
 * said about the client role ({@link #byEku}). Within a role, entries are ranked: permitting the role first, then
 * dedicated to it (an entry that permits only this role before one that permits both), then valid now, then in alias
 * order.
 */
final class SingleStore {
    private SingleStore() {
    }

    /** Each role's entries when a store's entries are assigned by EKU. */
    static final class Assignment {
        final List<Identity> server;
        final List<Identity> client;

        Assignment(List<Identity> server, List<Identity> client) {
            this.server = server;
            this.client = client;
        }
    }

    /** Every entry, ranked for {@code role} (the factory: an entry that does not permit the role is a last resort). */
    static List<Identity> ranked(List<Identity> identities, final Role role, final Date now) {
        final Role other = role == Role.SERVER ? Role.CLIENT : Role.SERVER;
        List<Identity> ranked = new ArrayList<>(identities);
        Collections.sort(ranked, new Comparator<Identity>() {
            @Override
            public int compare(Identity a, Identity b) {
                int byEku = Boolean.compare(!a.permits(role), !b.permits(role));
                if (byEku != 0) {
                    return byEku;
                }
                int dedicated = Boolean.compare(a.permits(other), b.permits(other));
                return dedicated != 0 ? dedicated : Boolean.compare(!validAt(a, now), !validAt(b, now));
            }
        });
        return ranked;
    }

    private static boolean validAt(Identity identity, Date now) {
        return !now.before(identity.certificate().getNotBefore()) && !now.after(identity.certificate().getNotAfter());
    }

    /**
     * The configuration's single store: when its entries differ in the roles their EKU permits (one permits serverAuth
     * but not clientAuth, or the reverse), the entries that permit serverAuth serve the server role and those that permit
     * clientAuth the client role, each ranked as above. {@code null} when every entry permits the same roles (all both,
     * all serverAuth only): then the store serves the server role as it always did, and the client role follows the
     * upgrade default.
     *
     * @throws EkuBridgeException MISSING_EKU for an entry that permits neither role, or when no entry permits serverAuth
     */
    static Assignment byEku(List<Identity> entries, Date now) {
        boolean differ = false;
        for (Identity entry : entries) {
            differ |= entry.permits(Role.SERVER) != entry.permits(Role.CLIENT);
        }
        if (!differ) {
            return null;
        }
        List<Identity> server = new ArrayList<>();
        List<Identity> client = new ArrayList<>();
        for (Identity entry : entries) {
            if (entry.permits(Role.SERVER)) {
                server.add(entry);
            }
            if (entry.permits(Role.CLIENT)) {
                client.add(entry);
            }
            if (!entry.permits(Role.SERVER) && !entry.permits(Role.CLIENT)) {
                throw new EkuBridgeException(Reason.MISSING_EKU, entry.source() + ": " + dev.ekubridge.internal.CertificateText.describe(
                    entry.certificate()) + " permits neither TLS server nor client authentication (it has " + Eku.describe(
                    entry.extendedKeyUsage()) + "), so it can serve no role; remove it from the store, or name the entry to use with "
                    + Role.SERVER.configPrefix() + ".alias");
            }
        }
        if (server.isEmpty()) {
            throw new EkuBridgeException(Reason.MISSING_EKU, Admission.missingEkuMessage(entries.get(0), Role.SERVER)
                + "; no entry of the store permits serverAuth, and the server role needs one");
        }
        return new Assignment(ranked(server, Role.SERVER, now), ranked(client, Role.CLIENT, now));
    }
}
