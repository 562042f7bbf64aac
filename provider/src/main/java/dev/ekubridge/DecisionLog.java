package dev.ekubridge;

import dev.ekubridge.internal.CertificateText;
import dev.ekubridge.internal.Eku;
import java.net.Socket;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trust managers' log lines: one per handshake decision on {@code ekubridge.handshakes} when
 * {@code log.handshakes=true}, and one per peer that {@code audit} accepted and {@code strict} would refuse on
 * {@code ekubridge.audit}. Every peer-supplied text is escaped.
 */
final class DecisionLog {
    /** Audit lines go to this logger so that an operator can route them on their own. */
    static final Logger AUDIT = LoggerFactory.getLogger("ekubridge.audit");
    /** One line per handshake decision when {@code log.handshakes=true}. */
    static final Logger DECISIONS = LoggerFactory.getLogger("ekubridge.handshakes");

    private DecisionLog() {
    }

    static boolean decisionsEnabled() {
        return DECISIONS.isInfoEnabled();
    }

    /**
     * {@code inbound peer subject "..." serial N from HOST:PORT with EKUS: VERDICT (RULE); we presented 'ALIAS' serial M}.
     *
     * @param ruleName the rule that decided an inbound peer ({@code inbound.eku.port.5061=lenient}), or {@code null} outbound
     * @param presenter the bridge's key manager, to name our identity's alias; may be {@code null}
     */
    static void decision(String direction, X509Certificate[] chain, Socket socket, SSLEngine engine, String verdict, String ruleName,
            RoleAwareKeyManager presenter) {
        String peer = "(no certificate)";
        String ekus = "";
        if (chain != null && chain.length > 0) {
            peer = CertificateText.describe(chain[0]);
            try {
                ekus = " with " + Eku.describe(Eku.of(chain[0]));
            } catch (CertificateException e) {
                ekus = " with unreadable EKU";
            }
        }
        // our own refusals already name the rule
        String mode = ruleName != null && !verdict.contains("(" + ruleName + ")") ? " (" + ruleName + ")" : "";
        // the verdict may carry the wrapped manager's own message, which can quote the peer's certificate
        DECISIONS.info("{} peer {}{}{}: {}{}{}", direction, peer, Peers.describe(socket != null ? socket : engine), ekus,
            CertificateText.printable(verdict), mode, presented(socket, engine, presenter));
    }

    /**
     * {@code "; we presented 'alias' serial 1A2B"}: our certificate in this handshake, when it is already chosen (as
     * the server it is; as the client ours is chosen after the server's is checked, and the key manager's own line
     * names it), else an empty string.
     */
    private static String presented(Socket socket, SSLEngine engine, RoleAwareKeyManager presenter) {
        SSLSession session = engine != null ? engine.getHandshakeSession()
            : socket instanceof SSLSocket ? ((SSLSocket) socket).getHandshakeSession() : null;
        Certificate[] local = session == null ? null : session.getLocalCertificates();
        if (local == null || local.length == 0 || !(local[0] instanceof X509Certificate)) {
            return "";
        }
        X509Certificate ours = (X509Certificate) local[0];
        String alias = presenter == null ? null : presenter.aliasOf(ours);
        return "; we presented " + (alias == null ? "the application's certificate" : "'" + CertificateText.printable(alias) + "'")
            + " serial " + CertificateText.serial(ours);
    }

    /** A peer that {@code audit} accepted and {@code strict} would have refused. */
    static void audited(X509Certificate leaf, Object transport, PolicyScope.Rule rule) throws CertificateException {
        if (AUDIT.isWarnEnabled()) {
            AUDIT.warn("{}: accepted peer {}{} with {}; strict would refuse it (no clientAuth)", rule,
                CertificateText.describe(leaf), Peers.describe(transport), Eku.describe(Eku.of(leaf)));
        }
    }
}
