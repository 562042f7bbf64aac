package dev.ekubridge;

import dev.ekubridge.internal.CertificateText;
import dev.ekubridge.internal.Eku;
import dev.ekubridge.internal.EngineEkuRefusal;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
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
    /** The EKU policy for peers that connect to us: a default, and maybe rules scoped by peer, port or issuer. */
    private final PolicyScope scope;
    private final boolean logDecisions;
    /** The verdicts of every trust manager of the same bridge (its policy scope's). */
    private final HandshakeCounters counters;
    /** The bridge's key manager, so that the decision log can name the alias of what we presented; may be null. */
    private volatile RoleAwareKeyManager presenter;

    EkuPolicyTrustManager(X509TrustManager delegate, EkuPolicy policy, boolean logDecisions) {
        this(delegate, policy, logDecisions, null);
    }

    /**
     * @param factoryAlgorithm the trust manager factory algorithm {@code delegate} came from, when EKU Bridge
     *     made it (SunJSSE's PKIX and SunX509 managers are one class that judges a leaf's critical extensions
     *     differently), or {@code null}
     */
    EkuPolicyTrustManager(X509TrustManager delegate, EkuPolicy policy, boolean logDecisions, String factoryAlgorithm) {
        this(delegate, PolicyScope.of(requireNonNull(policy, "policy")), logDecisions, factoryAlgorithm);
    }

    EkuPolicyTrustManager(X509TrustManager delegate, PolicyScope scope, boolean logDecisions, String factoryAlgorithm) {
        if (delegate == null || scope == null) {
            throw new NullPointerException(delegate == null ? "delegate" : "scope");
        }
        this.delegate = delegate;
        this.extendedDelegate = delegate instanceof X509ExtendedTrustManager ? (X509ExtendedTrustManager) delegate : null;
        this.engine = EngineEkuRefusal.of(delegate, factoryAlgorithm);
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
                ? wrapped : new EkuPolicyTrustManager(wrapped.delegate, policy, logDecisions, wrapped.factoryAlgorithm());
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
    static X509TrustManager overFactoryManager(X509TrustManager manager, String factoryAlgorithm, PolicyScope scope,
            boolean logDecisions) {
        X509TrustManager delegate = manager;
        if (manager instanceof EkuPolicyTrustManager) {
            delegate = ((EkuPolicyTrustManager) manager).delegate;
        } else if (manager instanceof PlainEkuPolicyTrustManager) {
            delegate = ((PlainEkuPolicyTrustManager) manager).delegate();
        }
        EkuPolicyTrustManager wrapped = new EkuPolicyTrustManager(delegate, scope, logDecisions, factoryAlgorithm);
        return delegate instanceof X509ExtendedTrustManager ? wrapped : new PlainEkuPolicyTrustManager(wrapped);
    }

    /** {@link #wrap(X509TrustManager, EkuPolicy, boolean)} with a scope of policies (the bridge's). */
    static X509TrustManager wrap(X509TrustManager delegate, PolicyScope scope, boolean logDecisions) {
        if (delegate instanceof EkuPolicyTrustManager) {
            EkuPolicyTrustManager wrapped = (EkuPolicyTrustManager) delegate;
            return new EkuPolicyTrustManager(wrapped.delegate, scope, logDecisions, wrapped.factoryAlgorithm());
        }
        if (delegate instanceof X509ExtendedTrustManager) {
            return new EkuPolicyTrustManager(delegate, scope, logDecisions, null);
        }
        X509TrustManager plain = delegate instanceof PlainEkuPolicyTrustManager ? ((PlainEkuPolicyTrustManager) delegate).delegate() : delegate;
        return new PlainEkuPolicyTrustManager(new EkuPolicyTrustManager(plain, scope, logDecisions, null));
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

    /** The same wrapped manager under another scope of policies (the builder's, with its rules). */
    EkuPolicyTrustManager withScope(PolicyScope newScope) {
        return new EkuPolicyTrustManager(delegate, newScope, logDecisions, factoryAlgorithm());
    }

    private String factoryAlgorithm() {
        return engine == EngineEkuRefusal.SUN_JSSE_PKIX ? "PKIX" : null;
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
        boolean clientAuth = false;
        PolicyScope.Rule rule = null;
        HandshakeCounters.Verdict refusal = HandshakeCounters.Verdict.INBOUND_REFUSED_TRUST;
        try {
            requireArguments(chain, authType);
            rule = scope.ruleFor(chain[0], socket, engine);
            refusal = HandshakeCounters.Verdict.INBOUND_REFUSED_EKU;
            clientAuth = permittedUsage(chain[0], rule);
            refusal = HandshakeCounters.Verdict.INBOUND_REFUSED_TRUST;
            if (clientAuth) {
                delegateClient(chain, authType, socket, engine);
                counters.add(HandshakeCounters.Verdict.INBOUND_ACCEPTED);
            } else {
                checkWithoutClientAuth(chain, authType, socket, engine, rule);
                counters.add(rule.mode == EkuPolicy.AUDIT ? HandshakeCounters.Verdict.INBOUND_AUDITED
                    : HandshakeCounters.Verdict.INBOUND_ACCEPTED_RELAXED);
                audit(chain, socket != null ? socket : engine, rule);
            }
        } catch (CertificateException | RuntimeException e) {
            counters.add(refusal);
            if (logDecisions && DECISION_LOG.isInfoEnabled()) {
                logDecision("inbound", chain, socket, engine, "refused: " + e.getMessage(), rule);
            }
            throw e;
        }
        if (logDecisions && DECISION_LOG.isInfoEnabled()) {
            logDecision("inbound", chain, socket, engine, clientAuth ? "accepted (clientAuth)"
                : rule.mode == EkuPolicy.SERVER_AUTH ? "accepted (serverAuth)" : "accepted (serverAuth instead of clientAuth)", rule);
        }
    }

    /**
     * A client whose leaf does not permit clientAuth, which the mode accepts: the wrapped manager validates it
     * in the client direction; only its recognised EKU refusal is overridden, and the end-entity checks that
     * refusal skipped are applied instead.
     */
    private void checkWithoutClientAuth(X509Certificate[] chain, String authType, Socket socket, SSLEngine engine,
            PolicyScope.Rule rule) throws CertificateException {
        try {
            delegateClient(chain, authType, socket, engine);
        } catch (CertificateException refusal) {
            if (this.engine == null) {
                throw new CertificateException(CertificateText.printable(refusal.getMessage()) + " [EKU Bridge: " + rule + " accepts this peer's "
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
                    + " relax the EKU rule (" + rule + ")");
            }
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
        HandshakeCounters.Verdict refusal = HandshakeCounters.Verdict.OUTBOUND_REFUSED_TRUST;
        try {
            delegateServer(chain, authType, socket, engine);
            refusal = HandshakeCounters.Verdict.OUTBOUND_REFUSED_EKU;
            requireServerAuth(chain);
            counters.add(HandshakeCounters.Verdict.OUTBOUND_ACCEPTED);
        } catch (CertificateException | RuntimeException e) {
            counters.add(refusal);
            if (logDecisions && DECISION_LOG.isInfoEnabled()) {
                logDecision("outbound", chain, socket, engine, "refused: " + e.getMessage(), null);
            }
            throw e;
        }
        if (logDecisions && DECISION_LOG.isInfoEnabled()) {
            logDecision("outbound", chain, socket, engine, "accepted (serverAuth)", null);
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

    private void logDecision(String direction, X509Certificate[] chain, Socket socket, SSLEngine engine, String verdict,
            PolicyScope.Rule rule) {
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
        // The mode, and the rule that chose it, matter only inbound; our own refusals already name it.
        String name = rule != null ? rule.name : "inbound.eku=" + scope.defaultMode();
        String mode = "inbound".equals(direction) && !verdict.contains("(" + name + ")") ? " (" + name + ")" : "";
        // The verdict may carry the wrapped manager's own message, which can quote the peer's certificate.
        DECISION_LOG.info("{} peer {}{}{}: {}{}{}", direction, peer, Peers.describe(socket != null ? socket : engine), ekus,
            CertificateText.printable(verdict), mode, presented(socket, engine));
    }

    /**
     * {@code "; we presented 'alias' serial 1A2B"}: our certificate in this handshake, when it is already chosen (as
     * the server it is; as the client ours is chosen after the server's is checked, and the key manager's own line
     * names it), else an empty string. Only when the decision log is on.
     */
    private String presented(Socket socket, SSLEngine engine) {
        javax.net.ssl.SSLSession session = engine != null ? engine.getHandshakeSession()
            : socket instanceof SSLSocket ? ((SSLSocket) socket).getHandshakeSession() : null;
        java.security.cert.Certificate[] local = session == null ? null : session.getLocalCertificates();
        if (local == null || local.length == 0 || !(local[0] instanceof X509Certificate)) {
            return "";
        }
        X509Certificate ours = (X509Certificate) local[0];
        RoleAwareKeyManager keys = presenter;
        String alias = keys == null ? null : keys.aliasOf(ours);
        return "; we presented " + (alias == null ? "the application's certificate" : "'" + CertificateText.printable(alias) + "'")
            + " serial " + CertificateText.serial(ours);
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
    private boolean permittedUsage(X509Certificate leaf, PolicyScope.Rule rule) throws CertificateException {
        List<String> ekus = Eku.of(leaf);
        boolean clientAuth = Eku.permits(ekus, Eku.CLIENT_AUTH);
        switch (rule.mode) {
            case STRICT:
                if (clientAuth) {
                    return true;
                }
                throw refused(leaf, ekus, "TLS client authentication (clientAuth)", rule);
            case LENIENT:
            case AUDIT:
                if (clientAuth || Eku.permits(ekus, Eku.SERVER_AUTH)) {
                    return clientAuth;
                }
                throw refused(leaf, ekus, "TLS client or server authentication (clientAuth or serverAuth)", rule);
            case SERVER_AUTH:
                if (Eku.permits(ekus, Eku.SERVER_AUTH)) {
                    return clientAuth;
                }
                throw refused(leaf, ekus, "TLS server authentication (serverAuth)", rule);
            default:
                throw new AssertionError(rule.mode);
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

    private static CertificateException refused(X509Certificate leaf, List<String> ekus, String wanted, PolicyScope.Rule rule) {
        return new CertificateException("Extended key usage does not permit use for " + wanted + ": peer "
            + CertificateText.describe(leaf) + " has " + Eku.describe(ekus) + " (" + rule + ")");
    }

    private void audit(X509Certificate[] chain, Object transport, PolicyScope.Rule rule) throws CertificateException {
        if (rule.mode != EkuPolicy.AUDIT) {
            return;
        }
        if (AUDIT_LOG.isWarnEnabled()) {
            X509Certificate leaf = chain[0];
            AUDIT_LOG.warn("{}: accepted peer {}{} with {}; strict would refuse it (no clientAuth)", rule,
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
