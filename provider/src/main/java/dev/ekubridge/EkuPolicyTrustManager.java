package dev.ekubridge;

import dev.ekubridge.internal.CertificateText;
import dev.ekubridge.internal.Eku;
import dev.ekubridge.internal.ClientAuthTwin;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

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
 * the mode accepts without clientAuth goes to {@code checkClientTrusted} too, once, as its clientAuth twin
 * when the wrapped manager is SunJSSE's or BCJSSE's own ({@link ClientAuthTwin}): the same certificate
 * whose EKU list also names clientAuth, so that the engine runs every check it runs for a client (KeyUsage,
 * Netscape type, critical extensions, algorithm constraints, endpoint identification among them) and only
 * its EKU check sees clientAuth. Its verdict is the verdict. Another wrapped manager is asked about the real
 * chain: if it accepts (it does not check EKU), that stands; if it refuses, the refusal stands (fail
 * closed) and the message says what to do.
 *
 * <h2>Pinned leaves</h2>
 * A pinned leaf (the peer's certificate is itself a trust anchor) is decided as above: {@code strict}
 * refuses one without clientAuth under every engine, although SunJSSE alone would skip every end-entity
 * check for it (BCJSSE checks its EKU); in the relaxed modes the engine decides on its twin.
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
    private final X509TrustManager delegate;
    /** The EKU policy for peers that connect to us: a default, and maybe rules scoped by peer, port or issuer. */
    private final PolicyScope scope;
    private final boolean logDecisions;
    /** The verdicts of every trust manager of the same bridge (its policy scope's). */
    private final HandshakeCounters counters;
    /** The bridge's key manager, so that the decision log can name the alias of what we presented; may be null. */
    private volatile RoleAwareKeyManager presenter;

    EkuPolicyTrustManager(X509TrustManager delegate, EkuPolicy policy, boolean logDecisions) {
        this(delegate, PolicyScope.of(requireNonNull(policy, "policy")), logDecisions);
    }

    EkuPolicyTrustManager(X509TrustManager delegate, PolicyScope scope, boolean logDecisions) {
        if (delegate == null || scope == null) {
            throw new NullPointerException(delegate == null ? "delegate" : "scope");
        }
        this.delegate = delegate;
        this.scope = scope;
        this.counters = scope.counters;
        this.logDecisions = logDecisions;
    }

    private static <T> T requireNonNull(T value, String name) {
        if (value == null) {
            throw new NullPointerException(name);
        }
        return value;
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
            return wrapped.scope.defaultMode() == policy && !wrapped.scope.isScoped() && wrapped.logDecisions == logDecisions
                ? wrapped : new EkuPolicyTrustManager(wrapped.delegate, policy, logDecisions);
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
     * {@code policy} around a trust manager that a trust manager factory handed out. The agent may already have
     * wrapped it (it wraps what every factory hands out): then its delegate is wrapped, never a policy around a policy.
     */
    static X509TrustManager overFactoryManager(X509TrustManager manager, PolicyScope scope, boolean logDecisions) {
        X509TrustManager delegate = manager;
        if (manager instanceof EkuPolicyTrustManager) {
            delegate = ((EkuPolicyTrustManager) manager).delegate;
        } else if (manager instanceof PlainEkuPolicyTrustManager) {
            delegate = ((PlainEkuPolicyTrustManager) manager).delegate();
        }
        EkuPolicyTrustManager wrapped = new EkuPolicyTrustManager(delegate, scope, logDecisions);
        return delegate instanceof X509ExtendedTrustManager ? wrapped : new PlainEkuPolicyTrustManager(wrapped);
    }

    /** {@link #wrap(X509TrustManager, EkuPolicy, boolean)} with a scope of policies (the bridge's). */
    static X509TrustManager wrap(X509TrustManager delegate, PolicyScope scope, boolean logDecisions) {
        if (delegate instanceof EkuPolicyTrustManager) {
            EkuPolicyTrustManager wrapped = (EkuPolicyTrustManager) delegate;
            return new EkuPolicyTrustManager(wrapped.delegate, scope, logDecisions);
        }
        if (delegate instanceof X509ExtendedTrustManager) {
            return new EkuPolicyTrustManager(delegate, scope, logDecisions);
        }
        X509TrustManager plain = delegate instanceof PlainEkuPolicyTrustManager ? ((PlainEkuPolicyTrustManager) delegate).delegate() : delegate;
        return new PlainEkuPolicyTrustManager(new EkuPolicyTrustManager(plain, scope, logDecisions));
    }

    /** Whether {@code manager} already applies an EKU policy (so that wrapping again would stack two). */
    static boolean appliesPolicy(Object manager) {
        return manager instanceof EkuPolicyTrustManager || manager instanceof PlainEkuPolicyTrustManager;
    }

    /** The policy applied to peers that connect to us where no scoped rule ({@code inbound.eku.port...}) applies. */
    public EkuPolicy policy() {
        return scope.defaultMode();
    }

    /** Lets the decision log name which of {@code keyManager}'s identities we presented (set by the bridge). */
    EkuPolicyTrustManager presentedBy(RoleAwareKeyManager keyManager) {
        this.presenter = keyManager;
        return this;
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
        return counters.get(HandshakeCounters.Verdict.INBOUND_AUDITED);
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
        Deciding deciding = Deciding.current();
        boolean outermost = deciding.depth++ == 0;
        boolean enclosingLogs = deciding.logging;
        boolean enclosingAudits = deciding.auditing;
        boolean speaks = !enclosingLogs && logDecisions && DecisionLog.decisionsEnabled();
        deciding.logging = enclosingLogs || speaks;
        deciding.nestedDecided = false;
        boolean clientAuth = false;
        boolean audits = false;
        PolicyScope.Rule rule = null;
        HandshakeCounters.Verdict refusal = HandshakeCounters.Verdict.INBOUND_REFUSED_TRUST;
        try {
            EkuRule.requireArguments(chain, authType);
            rule = scope.ruleFor(chain[0], socket, engine);
            audits = !enclosingAudits && rule.mode == EkuPolicy.AUDIT;
            deciding.auditing = enclosingAudits || audits;
            refusal = HandshakeCounters.Verdict.INBOUND_REFUSED_EKU;
            clientAuth = EkuRule.permittedUsage(chain[0], rule);
            refusal = HandshakeCounters.Verdict.INBOUND_REFUSED_TRUST;
            if (clientAuth) {
                askClient(delegate, chain, authType, socket, engine);
            } else {
                checkWithoutClientAuth(chain, authType, socket, engine, rule, deciding);
            }
        } catch (CertificateException | RuntimeException e) {
            if (outermost) {
                counters.add(refusal);
            }
            if (speaks) {
                DecisionLog.decision("inbound", chain, socket, engine, "refused: " + e.getMessage(), ruleName(rule), presenter);
            }
            throw e;
        } finally {
            deciding.leave(outermost, enclosingLogs, enclosingAudits);
        }
        if (outermost) {
            counters.add(clientAuth ? HandshakeCounters.Verdict.INBOUND_ACCEPTED
                : rule.mode == EkuPolicy.AUDIT ? HandshakeCounters.Verdict.INBOUND_AUDITED
                : HandshakeCounters.Verdict.INBOUND_ACCEPTED_RELAXED);
        }
        if (audits && !clientAuth) {
            DecisionLog.audited(chain[0], socket != null ? socket : engine, rule);
        }
        if (speaks) {
            DecisionLog.decision("inbound", chain, socket, engine, clientAuth ? "accepted (clientAuth)"
                : rule.mode == EkuPolicy.SERVER_AUTH ? "accepted (serverAuth)" : "accepted (serverAuth instead of clientAuth)",
                ruleName(rule), presenter);
        }
    }

    private String ruleName(PolicyScope.Rule rule) {
        return rule != null ? rule.name : "inbound.eku=" + scope.defaultMode();
    }

    /**
     * A client whose leaf does not permit clientAuth, which the mode accepts: the engine's own trust manager is
     * asked for its client-direction verdict on the leaf's clientAuth twin ({@link ClientAuthTwin}), which is the
     * verdict. A wrapped manager that is no engine's is asked about the real chain: it may not check EKU at all;
     * if it refuses, that stands, since EKU Bridge cannot know why it refused.
     */
    private void checkWithoutClientAuth(X509Certificate[] chain, String authType, Socket socket, SSLEngine engine,
            PolicyScope.Rule rule, Deciding deciding) throws CertificateException {
        // decided per call: a reloaded trust store may put another manager behind a forwarding one
        X509ExtendedTrustManager engineManager = ClientAuthTwin.engineManagerIn(delegate);
        if (engineManager != null) {
            askClient(engineManager, ClientAuthTwin.of(chain), authType, socket, engine);
            return;
        }
        try {
            askClient(delegate, chain, authType, socket, engine);
        } catch (CertificateException refusal) {
            if (deciding.nestedDecided) {
                throw refusal; // a policy manager inside the wrapped one decided (see Deciding): its refusal is the verdict
            }
            throw new CertificateException(CertificateText.printable(refusal.getMessage()) + " [EKU Bridge: " + rule + " accepts this peer's "
                + CertificateText.describe(chain[0]) + " without clientAuth, but the wrapped trust manager "
                + delegate.getClass().getName() + " refused it, and EKU Bridge relaxes the EKU rule only for the JDK's"
                + " (SunJSSE) and Bouncy Castle's (BCJSSE) own trust managers, which it can ask about the certificate's"
                + " clientAuth twin. Let EKU Bridge wrap the engine's trust manager itself: set truststore or truststore.pem,"
                + " or with the agent use the trust managers a TrustManagerFactory hands out]", refusal);
        }
    }

    /**
     * We connected to the peer (it is the TLS server). The wrapped manager decides first, so its verdict
     * and message are unchanged wherever it refuses; the serverAuth check after it only matters for a
     * wrapped manager that does not check EKU itself.
     */
    private void checkOutbound(X509Certificate[] chain, String authType, Socket socket, SSLEngine engine)
            throws CertificateException {
        Deciding deciding = Deciding.current();
        boolean outermost = deciding.depth++ == 0;
        boolean enclosingLogs = deciding.logging;
        boolean speaks = !enclosingLogs && logDecisions && DecisionLog.decisionsEnabled();
        deciding.logging = enclosingLogs || speaks;
        HandshakeCounters.Verdict refusal = HandshakeCounters.Verdict.OUTBOUND_REFUSED_TRUST;
        try {
            askServer(delegate, chain, authType, socket, engine);
            refusal = HandshakeCounters.Verdict.OUTBOUND_REFUSED_EKU;
            EkuRule.requireServerAuth(chain);
        } catch (CertificateException | RuntimeException e) {
            if (outermost) {
                counters.add(refusal);
            }
            if (speaks) {
                DecisionLog.decision("outbound", chain, socket, engine, "refused: " + e.getMessage(), null, presenter);
            }
            throw e;
        } finally {
            deciding.leave(outermost, enclosingLogs, deciding.auditing);
        }
        if (outermost) {
            counters.add(HandshakeCounters.Verdict.OUTBOUND_ACCEPTED);
        }
        if (speaks) {
            DecisionLog.decision("outbound", chain, socket, engine, "accepted (serverAuth)", null, presenter);
        }
    }

    private static void askClient(X509TrustManager manager, X509Certificate[] chain, String authType, Socket socket,
            SSLEngine engine) throws CertificateException {
        if (!(manager instanceof X509ExtendedTrustManager)) {
            manager.checkClientTrusted(chain, authType);
        } else if (engine != null) {
            ((X509ExtendedTrustManager) manager).checkClientTrusted(chain, authType, engine);
        } else if (socket != null) {
            ((X509ExtendedTrustManager) manager).checkClientTrusted(chain, authType, socket);
        } else {
            manager.checkClientTrusted(chain, authType);
        }
    }

    private static void askServer(X509TrustManager manager, X509Certificate[] chain, String authType, Socket socket,
            SSLEngine engine) throws CertificateException {
        if (!(manager instanceof X509ExtendedTrustManager)) {
            manager.checkServerTrusted(chain, authType);
        } else if (engine != null) {
            ((X509ExtendedTrustManager) manager).checkServerTrusted(chain, authType, engine);
        } else if (socket != null) {
            ((X509ExtendedTrustManager) manager).checkServerTrusted(chain, authType, socket);
        } else {
            manager.checkServerTrusted(chain, authType);
        }
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return delegate.getAcceptedIssuers();
    }
}
