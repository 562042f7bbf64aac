package dev.ekubridge;

import dev.ekubridge.internal.CertificateText;
import dev.ekubridge.internal.Eku;
import dev.ekubridge.internal.EngineEkuRefusal;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wraps a trust manager and changes exactly one rule: which Extended Key Usage the peer's
 * end-entity certificate must carry. Path building, trust anchors, pinned certificates, validity,
 * signatures, KeyUsage, revocation, algorithm constraints and host name verification stay the
 * wrapped trust manager's own.
 *
 * <h2>The rule</h2>
 * In every mode, the verdict on a peer that connected to us (the TLS client) is the wrapped manager's
 * <em>client-direction</em> verdict ({@code checkClientTrusted}) on the same chain as if the leaf's EKU
 * permitted clientAuth, except that {@code strict} refuses a leaf without clientAuth and
 * {@code server-auth} also demands serverAuth. A peer is never validated in the server direction: the two
 * directions of a trust manager may differ in anchors, in the Netscape certificate type, in algorithm
 * constraints ({@code usage TLSClient}) and in distrust policies.
 *
 * <h2>How, with one validation</h2>
 * The policy reads the leaf's EKU and decides first (refusing here what the mode never accepts). A leaf
 * that permits clientAuth goes to {@code checkClientTrusted} exactly as without EKU Bridge. A leaf that
 * the mode accepts without clientAuth goes to {@code checkClientTrusted} too, once; if the wrapped manager
 * accepts it (it does not check EKU), that stands. If it refuses, the refusal is overridden only when it is
 * recognised exactly as the EKU refusal of SunJSSE's or BCJSSE's own trust manager, and then the
 * end-entity checks that engine skipped because its EKU check came first are applied here
 * ({@link EngineEkuRefusal}). Any other refusal stands (fail closed); when the wrapped manager is not one
 * whose refusal can be recognised, the message says so and what to do.
 *
 * <h2>Pinned leaves</h2>
 * A pinned leaf (the peer's certificate is itself a trust anchor) is decided as above: {@code strict}
 * refuses one without clientAuth under every engine, although SunJSSE alone would skip every end-entity
 * check for it (BCJSSE checks its EKU); in the relaxed modes it is accepted when the wrapped manager
 * accepts it or refuses it only for its EKU.
 *
 * <h2>Plain trust managers</h2>
 * A JSSE engine adds its own host name and algorithm-constraint checks around a trust manager that
 * is not an {@link X509ExtendedTrustManager}. So that wrapping never removes them, a plain delegate is
 * wrapped in a plain {@link X509TrustManager} ({@link #wrap(X509TrustManager, EkuPolicy)}), and the
 * engine keeps adding them. (BCJSSE's additions include its own clientAuth check for inbound peers,
 * so with a plain delegate under BCJSSE the relaxed modes cannot take effect.)
 *
 * <p>Thread-safe and immutable apart from the audit counter.
 */
public final class EkuPolicyTrustManager extends X509ExtendedTrustManager {
    /** Audit lines go to this logger so that an operator can route them on their own. */
    static final Logger AUDIT_LOG = LoggerFactory.getLogger("ekubridge.audit");
    /** One line per handshake decision when {@code log.handshakes=true}. */
    static final Logger DECISION_LOG = LoggerFactory.getLogger("ekubridge.handshakes");

    private final X509TrustManager delegate;
    private final X509ExtendedTrustManager extendedDelegate;
    /** The engine whose EKU refusal the relaxed modes may override, or {@code null}: then none is. */
    private final EngineEkuRefusal engine;
    private final EkuPolicy policy;
    private final boolean logDecisions;
    private final AtomicLong audited = new AtomicLong();

    /**
     * The decision this thread is making, while an {@code EkuPolicyTrustManager} decides. A policy manager reached
     * through another one (with someone else's trust manager in between, so that neither can see the other) is
     * <em>nested</em>: it still decides, but leaves the decision line and the audit line to the outer one when that
     * one writes them, and the outer one passes the nested verdict on as it is. The agent meets this when a framework wraps what a factory handed out before its
     * {@code SSLContext.init}: Netty's {@code SslProvider.JDK} server context puts each factory trust manager (which the
     * agent has already retrofitted) inside its own {@code EnhancingX509ExtendedTrustManager}, and the agent's
     * {@code SSLContext.init} retrofit then wraps that. Without this, every verdict was logged twice and audited twice.
     */
    private static final ThreadLocal<Deciding> DECIDING = new ThreadLocal<Deciding>();

    /** One manager's decision in progress; see {@link #DECIDING}. */
    private static final class Deciding {
        /** Whether this decision writes the decision line, and the audit line. */
        final boolean logs;
        final boolean audits;
        /** Whether a policy manager nested in this one decided meanwhile. */
        boolean nested;

        Deciding(boolean logs, boolean audits) {
            this.logs = logs;
            this.audits = audits;
        }
    }

    EkuPolicyTrustManager(X509TrustManager delegate, EkuPolicy policy, boolean logDecisions) {
        this(delegate, policy, logDecisions, null);
    }

    /**
     * @param factoryAlgorithm the trust manager factory algorithm {@code delegate} came from, when EKU Bridge
     *     made it (SunJSSE's PKIX and SunX509 managers are one class that judges a leaf's critical extensions
     *     differently), or {@code null}
     */
    EkuPolicyTrustManager(X509TrustManager delegate, EkuPolicy policy, boolean logDecisions, String factoryAlgorithm) {
        if (delegate == null || policy == null) {
            throw new NullPointerException(delegate == null ? "delegate" : "policy");
        }
        this.delegate = delegate;
        this.extendedDelegate = delegate instanceof X509ExtendedTrustManager ? (X509ExtendedTrustManager) delegate : null;
        this.engine = EngineEkuRefusal.of(delegate, factoryAlgorithm);
        this.policy = policy;
        this.logDecisions = logDecisions;
    }

    /**
     * Wraps {@code delegate} with {@code policy}. Wrapping an {@code EkuPolicyTrustManager} again
     * replaces its policy rather than stacking two policies.
     */
    public static EkuPolicyTrustManager wrap(X509ExtendedTrustManager delegate, EkuPolicy policy) {
        return wrap(delegate, policy, false);
    }

    /**
     * As {@link #wrap(X509ExtendedTrustManager, EkuPolicy)}; with {@code logDecisions} every verdict
     * is logged on {@code ekubridge.handshakes} (direction, peer, serial, EKUs, verdict, mode).
     */
    public static EkuPolicyTrustManager wrap(X509ExtendedTrustManager delegate, EkuPolicy policy, boolean logDecisions) {
        if (delegate instanceof EkuPolicyTrustManager) {
            EkuPolicyTrustManager wrapped = (EkuPolicyTrustManager) delegate;
            return wrapped.policy == policy && wrapped.logDecisions == logDecisions
                ? wrapped : new EkuPolicyTrustManager(wrapped.delegate, policy, logDecisions, wrapped.engine == EngineEkuRefusal.SUN_JSSE_PKIX ? "PKIX" : null);
        }
        return new EkuPolicyTrustManager(delegate, policy, logDecisions);
    }

    /**
     * Wraps any trust manager: an {@link X509ExtendedTrustManager} as above; a plain one in a plain
     * {@link X509TrustManager}, so that the JSSE engine still adds its host name and algorithm
     * checks around it (see the class comment).
     */
    public static X509TrustManager wrap(X509TrustManager delegate, EkuPolicy policy) {
        return wrap(delegate, policy, false);
    }

    /** As {@link #wrap(X509TrustManager, EkuPolicy)}, with the decision log. */
    public static X509TrustManager wrap(X509TrustManager delegate, EkuPolicy policy, boolean logDecisions) {
        if (delegate instanceof X509ExtendedTrustManager) {
            return wrap((X509ExtendedTrustManager) delegate, policy, logDecisions);
        }
        X509TrustManager plain = delegate instanceof PlainEkuPolicyTrustManager ? ((PlainEkuPolicyTrustManager) delegate).delegate() : delegate;
        return new PlainEkuPolicyTrustManager(new EkuPolicyTrustManager(plain, policy, logDecisions));
    }

    /**
     * {@code policy} around a trust manager that the trust manager factory of {@code factoryAlgorithm} handed out.
     * The agent may already have wrapped it (it wraps what every factory hands out): then its delegate is wrapped,
     * never a policy around a policy.
     */
    static X509TrustManager overFactoryManager(X509TrustManager manager, String factoryAlgorithm, EkuPolicy policy,
            boolean logDecisions) {
        X509TrustManager delegate = manager;
        if (manager instanceof EkuPolicyTrustManager) {
            delegate = ((EkuPolicyTrustManager) manager).delegate;
        } else if (manager instanceof PlainEkuPolicyTrustManager) {
            delegate = ((PlainEkuPolicyTrustManager) manager).delegate();
        }
        EkuPolicyTrustManager wrapped = new EkuPolicyTrustManager(delegate, policy, logDecisions, factoryAlgorithm);
        return delegate instanceof X509ExtendedTrustManager ? wrapped : new PlainEkuPolicyTrustManager(wrapped);
    }

    /** Whether {@code manager} already applies an EKU policy (so that wrapping again would stack two). */
    static boolean appliesPolicy(Object manager) {
        return manager instanceof EkuPolicyTrustManager || manager instanceof PlainEkuPolicyTrustManager;
    }

    /** The policy applied to peers that connect to us. */
    public EkuPolicy policy() {
        return policy;
    }

    /** The trust manager that decides everything but the EKU rule. */
    public X509TrustManager delegate() {
        return delegate;
    }

    /**
     * How many handshakes this trust manager accepted that {@link EkuPolicy#STRICT} would have
     * refused for lack of clientAuth (counted in {@code audit} mode only).
     */
    public long auditedCount() {
        return audited.get();
    }

    // All six callbacks meet in checkInbound and checkOutbound.

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        checkInbound(chain, authType, null, null);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        checkInbound(chain, authType, socket, null);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        checkInbound(chain, authType, null, engine);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        checkOutbound(chain, authType, null, null);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        checkOutbound(chain, authType, socket, null);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        checkOutbound(chain, authType, null, engine);
    }

    /** The peer connected to us (it is the TLS client): the mode's EKU rule, then one client-direction validation. */
    private void checkInbound(X509Certificate[] chain, String authType, Socket socket, SSLEngine engine)
            throws CertificateException {
        Deciding outer = DECIDING.get();
        Deciding deciding = enter(outer, policy == EkuPolicy.AUDIT);
        boolean speaks = deciding.logs;
        boolean clientAuth = false;
        try {
            requireArguments(chain, authType);
            clientAuth = permittedUsage(chain[0]);
            if (clientAuth) {
                delegateClient(chain, authType, socket, engine);
            } else {
                checkWithoutClientAuth(chain, authType, socket, engine, deciding);
                if (deciding.audits) {
                    audit(chain, socket != null ? socket : engine);
                }
            }
        } catch (CertificateException | RuntimeException e) {
            if (speaks) {
                logDecision("inbound", chain, socket, engine, "refused: " + e.getMessage());
            }
            throw e;
        } finally {
            leave(outer);
        }
        if (speaks) {
            logDecision("inbound", chain, socket, engine, clientAuth ? "accepted (clientAuth)"
                : policy == EkuPolicy.SERVER_AUTH ? "accepted (serverAuth)" : "accepted (serverAuth instead of clientAuth)");
        }
    }

    /**
     * A client whose leaf does not permit clientAuth, which the mode accepts: the wrapped manager validates it
     * in the client direction; only its recognised EKU refusal is overridden, and the end-entity checks that
     * refusal skipped are applied instead.
     */
    private void checkWithoutClientAuth(X509Certificate[] chain, String authType, Socket socket, SSLEngine engine,
            Deciding deciding) throws CertificateException {
        try {
            delegateClient(chain, authType, socket, engine);
        } catch (CertificateException refusal) {
            if (deciding.nested) {
                // a policy manager inside the wrapped one decided (see DECIDING): its refusal is the verdict
                throw refusal;
            }
            if (this.engine == null) {
                throw new CertificateException(CertificateText.printable(refusal.getMessage()) + " [EKU Bridge: inbound.eku=" + policy + " accepts this peer's "
                    + CertificateText.describe(chain[0]) + " without clientAuth, but the wrapped trust manager "
                    + delegate.getClass().getName() + " refused it, and EKU Bridge overrides only the EKU refusal of the JDK's"
                    + " (SunJSSE) and Bouncy Castle's (BCJSSE) own trust managers, which it can recognise exactly. Let EKU Bridge"
                    + " wrap the engine's trust manager itself: set truststore or truststore.pem, or with the agent use the"
                    + " trust managers a TrustManagerFactory hands out]", refusal);
            }
            if (!this.engine.isEkuOnly(refusal)) {
                throw refusal;
            }
            SSLParameters parameters = engine != null ? engine.getSSLParameters()
                : socket instanceof SSLSocket && socket.isConnected() ? ((SSLSocket) socket).getSSLParameters() : null;
            this.engine.checkSkipped(chain[0], parameters);
            String identification = parameters == null ? null : parameters.getEndpointIdentificationAlgorithm();
            if (identification != null && !identification.isEmpty()) {
                // Both engines would now check the client's certificate against its host; EKU Bridge does not
                // imitate that check (the JDK refuses every client certificate under HTTPS anyway): fail closed.
                throw new CertificateException("peer " + CertificateText.describe(chain[0]) + " lacks clientAuth, and this server"
                    + " side sets endpoint identification algorithm " + identification + ", under which EKU Bridge does not"
                    + " relax the EKU rule (inbound.eku=" + policy + ")");
            }
        }
    }

    /**
     * Starts this manager's decision inside {@code outer} (or none, {@code null}; see {@link #DECIDING}): it writes the
     * decision line when asked to and the outer decision does not, and the audit line likewise.
     */
    private Deciding enter(Deciding outer, boolean audits) {
        boolean logs = logDecisions && DECISION_LOG.isInfoEnabled();
        Deciding deciding = outer == null ? new Deciding(logs, audits) : new Deciding(logs && !outer.logs, audits && !outer.audits);
        if (outer != null) {
            outer.nested = true;
        }
        DECIDING.set(deciding);
        return deciding;
    }

    private static void leave(Deciding outer) {
        if (outer == null) {
            DECIDING.remove();
        } else {
            DECIDING.set(outer);
        }
    }

    /** The checks the JDK's and Bouncy Castle's trust managers make before anything else. */
    private static void requireArguments(X509Certificate[] chain, String authType) {
        if (chain == null || chain.length == 0) {
            throw new IllegalArgumentException("null or zero-length certificate chain");
        }
        if (authType == null || authType.isEmpty()) {
            throw new IllegalArgumentException("null or zero-length authentication type");
        }
    }

    /**
     * We connected to the peer (it is the TLS server). The wrapped manager decides first, so its verdict
     * and message are unchanged wherever it refuses; the serverAuth check after it only matters for a
     * wrapped manager that does not check EKU itself.
     */
    private void checkOutbound(X509Certificate[] chain, String authType, Socket socket, SSLEngine engine)
            throws CertificateException {
        Deciding outer = DECIDING.get();
        boolean speaks = enter(outer, false).logs;
        try {
            delegateServer(chain, authType, socket, engine);
            requireServerAuth(chain);
        } catch (CertificateException | RuntimeException e) {
            if (speaks) {
                logDecision("outbound", chain, socket, engine, "refused: " + e.getMessage());
            }
            throw e;
        } finally {
            leave(outer);
        }
        if (speaks) {
            logDecision("outbound", chain, socket, engine, "accepted (serverAuth)");
        }
    }

    private void delegateClient(X509Certificate[] chain, String authType, Socket socket, SSLEngine engine)
            throws CertificateException {
        if (extendedDelegate == null) {
            delegate.checkClientTrusted(chain, authType);
        } else if (engine != null) {
            extendedDelegate.checkClientTrusted(chain, authType, engine);
        } else if (socket != null) {
            extendedDelegate.checkClientTrusted(chain, authType, socket);
        } else {
            extendedDelegate.checkClientTrusted(chain, authType);
        }
    }

    private void delegateServer(X509Certificate[] chain, String authType, Socket socket, SSLEngine engine)
            throws CertificateException {
        if (extendedDelegate == null) {
            delegate.checkServerTrusted(chain, authType);
        } else if (engine != null) {
            extendedDelegate.checkServerTrusted(chain, authType, engine);
        } else if (socket != null) {
            extendedDelegate.checkServerTrusted(chain, authType, socket);
        } else {
            extendedDelegate.checkServerTrusted(chain, authType);
        }
    }

    private void logDecision(String direction, X509Certificate[] chain, Socket socket, SSLEngine engine, String verdict) {
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
        // The mode matters only inbound, and our own refusals already name it.
        String mode = "inbound".equals(direction) && !verdict.contains("(inbound.eku=") ? " (inbound.eku=" + policy + ")" : "";
        // The verdict may carry the wrapped manager's own message, which can quote the peer's certificate.
        DECISION_LOG.info("{} peer {}{}{}: {}{}", direction, peer, Peers.describe(socket != null ? socket : engine), ekus,
            CertificateText.printable(verdict), mode);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return delegate.getAcceptedIssuers();
    }

    /**
     * The EKU decision for a peer that connected to us: {@code true} when its leaf permits clientAuth and the
     * mode accepts that, {@code false} when the mode accepts it without clientAuth. Throws when the mode
     * accepts neither.
     */
    private boolean permittedUsage(X509Certificate leaf) throws CertificateException {
        List<String> ekus = Eku.of(leaf);
        boolean clientAuth = Eku.permits(ekus, Eku.CLIENT_AUTH);
        switch (policy) {
            case STRICT:
                if (clientAuth) {
                    return true;
                }
                throw refused(leaf, ekus, "TLS client authentication (clientAuth)");
            case LENIENT:
            case AUDIT:
                if (clientAuth || Eku.permits(ekus, Eku.SERVER_AUTH)) {
                    return clientAuth;
                }
                throw refused(leaf, ekus, "TLS client or server authentication (clientAuth or serverAuth)");
            case SERVER_AUTH:
                if (Eku.permits(ekus, Eku.SERVER_AUTH)) {
                    return clientAuth;
                }
                throw refused(leaf, ekus, "TLS server authentication (serverAuth)");
            default:
                throw new AssertionError(policy);
        }
    }

    private void requireServerAuth(X509Certificate[] chain) throws CertificateException {
        X509Certificate leaf = leaf(chain);
        List<String> ekus = Eku.of(leaf);
        if (!Eku.permitsTlsServer(ekus)) {
            throw new CertificateException("Extended key usage does not permit use for TLS server authentication: peer "
                + CertificateText.describe(leaf) + " has " + Eku.describe(ekus));
        }
    }

    private CertificateException refused(X509Certificate leaf, List<String> ekus, String wanted) {
        return new CertificateException("Extended key usage does not permit use for " + wanted + ": peer "
            + CertificateText.describe(leaf) + " has " + Eku.describe(ekus) + " (inbound.eku=" + policy + ")");
    }

    private void audit(X509Certificate[] chain, Object transport) throws CertificateException {
        if (policy != EkuPolicy.AUDIT) {
            return;
        }
        audited.incrementAndGet();
        if (AUDIT_LOG.isWarnEnabled()) {
            X509Certificate leaf = chain[0];
            AUDIT_LOG.warn("inbound.eku=audit: accepted peer {}{} with {}; strict would refuse it (no clientAuth)",
                CertificateText.describe(leaf), Peers.describe(transport), Eku.describe(Eku.of(leaf)));
        }
    }

    private static X509Certificate leaf(X509Certificate[] chain) {
        if (chain == null || chain.length == 0) {
            throw new IllegalArgumentException("the peer's certificate chain is empty");
        }
        return chain[0];
    }
}
