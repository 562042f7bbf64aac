package dev.ekubridge;

import dev.ekubridge.internal.CertificateText;
import dev.ekubridge.internal.Eku;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLEngine;
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
 * <h2>How the EKU rule is applied without validating twice</h2>
 * The JDK and BCJSSE trust managers have two variants that differ in the EKU they demand:
 * {@code checkClientTrusted} (clientAuth) and {@code checkServerTrusted} (serverAuth). Both demand
 * KeyUsage digitalSignature when the server's key exchange is signature based, which is what the
 * {@code "UNKNOWN"} auth type (TLS 1.3) selects. So the policy reads the leaf's EKU first, decides,
 * and then makes <em>one</em> call to the variant whose EKU rule matches its decision:
 * <ul>
 * <li>peer is the TLS client and may use clientAuth: {@code checkClientTrusted}, as without EKU Bridge;</li>
 * <li>peer is the TLS client, the policy accepts serverAuth instead ({@code lenient}, {@code audit},
 *     {@code server-auth}) and the leaf permits serverAuth: {@code checkServerTrusted(chain, "UNKNOWN", ...)};</li>
 * <li>the leaf permits neither usage the policy accepts: refused here, naming the certificate and the mode;</li>
 * <li>peer is the TLS server: {@code checkServerTrusted} as usual, and serverAuth is required in every mode.</li>
 * </ul>
 * <h2>Pinned leaves</h2>
 * A pinned leaf (the peer's certificate is itself a trust anchor) is accepted only when the wrapped
 * trust manager accepts it <em>and</em> it satisfies this policy's EKU rule, under every engine alike.
 * This is a decision: BCJSSE checks the EKU of a pinned leaf itself, but SunJSSE skips all end-entity
 * checks for one ({@code Validator.validate} omits them when the leaf is an anchor), so without EKU
 * Bridge the two engines disagree; with it, the mode's EKU rule holds for pinned peers too.
 *
 * <h2>Plain trust managers</h2>
 * A JSSE engine adds its own host name and algorithm-constraint checks around a trust manager that
 * is not an {@link X509ExtendedTrustManager}. So that wrapping never removes them, a plain delegate is
 * wrapped in a plain {@link X509TrustManager} ({@link #wrap(X509TrustManager, EkuPolicy)}), and the
 * engine keeps adding them. (BCJSSE's additions include its own clientAuth check for inbound peers,
 * so with a plain delegate under BCJSSE the relaxed modes cannot take effect.)
 *
 * <h2>Endpoint identification on the server side</h2>
 * The serverAuth variant checks endpoint identity as for a server (the SNI name first). When the
 * application sets an endpoint identification algorithm on its <em>server</em> sockets, the relaxed
 * path is therefore not taken: such a peer is refused with a message naming the setting, as the JDK
 * refuses client certificates under it in the first place.
 *
 * <p>Thread-safe and immutable apart from the audit counter.
 */
public final class EkuPolicyTrustManager extends X509ExtendedTrustManager {
    /** Audit lines go to this logger so that an operator can route them on their own. */
    static final Logger AUDIT_LOG = LoggerFactory.getLogger("ekubridge.audit");
    /** One line per handshake decision when {@code log.handshakes=true}. */
    static final Logger DECISION_LOG = LoggerFactory.getLogger("ekubridge.handshakes");

    /** The auth type that makes {@code checkServerTrusted} demand digitalSignature, as for a TLS client. */
    private static final String SIGNATURE_AUTH_TYPE = "UNKNOWN";

    private final X509TrustManager delegate;
    private final X509ExtendedTrustManager extendedDelegate;
    private final EkuPolicy policy;
    private final boolean logDecisions;
    private final AtomicLong audited = new AtomicLong();

    EkuPolicyTrustManager(X509TrustManager delegate, EkuPolicy policy, boolean logDecisions) {
        if (delegate == null || policy == null) {
            throw new NullPointerException(delegate == null ? "delegate" : "policy");
        }
        this.delegate = delegate;
        this.extendedDelegate = delegate instanceof X509ExtendedTrustManager ? (X509ExtendedTrustManager) delegate : null;
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

    /** The peer connected to us (it is the TLS client): the policy's EKU rule, then one delegate call. */
    private void checkInbound(X509Certificate[] chain, String authType, Socket socket, SSLEngine engine)
            throws CertificateException {
        boolean asClient = false;
        try {
            asClient = acceptAsClient(chain);
            if (asClient) {
                delegateClient(chain, authType, socket, engine);
            } else {
                refuseUnderServerSideEndpointIdentification(chain, socket, engine);
                delegateServer(chain, SIGNATURE_AUTH_TYPE, socket, engine);
                audit(chain, socket != null ? socket : engine);
            }
        } catch (CertificateException | RuntimeException e) {
            if (logDecisions && DECISION_LOG.isInfoEnabled()) {
                logDecision("inbound", chain, socket, engine, "refused: " + e.getMessage());
            }
            throw e;
        }
        if (logDecisions && DECISION_LOG.isInfoEnabled()) {
            logDecision("inbound", chain, socket, engine, asClient ? "accepted (clientAuth)"
                : policy == EkuPolicy.SERVER_AUTH ? "accepted (serverAuth)" : "accepted (serverAuth instead of clientAuth)");
        }
    }

    /**
     * We connected to the peer (it is the TLS server). The wrapped manager decides first, so its verdict
     * and message are unchanged wherever it refuses; the serverAuth check after it only matters for a
     * wrapped manager that does not check EKU itself.
     */
    private void checkOutbound(X509Certificate[] chain, String authType, Socket socket, SSLEngine engine)
            throws CertificateException {
        try {
            delegateServer(chain, authType, socket, engine);
            requireServerAuth(chain);
        } catch (CertificateException | RuntimeException e) {
            if (logDecisions && DECISION_LOG.isInfoEnabled()) {
                logDecision("outbound", chain, socket, engine, "refused: " + e.getMessage());
            }
            throw e;
        }
        if (logDecisions && DECISION_LOG.isInfoEnabled()) {
            logDecision("outbound", chain, socket, engine, "accepted (serverAuth)");
        }
    }

    /** See the class comment: the serverAuth variant would check the peer against our own SNI name. */
    private void refuseUnderServerSideEndpointIdentification(X509Certificate[] chain, Socket socket, SSLEngine engine)
            throws CertificateException {
        String algorithm = null;
        if (engine != null) {
            algorithm = engine.getSSLParameters().getEndpointIdentificationAlgorithm();
        } else if (socket instanceof SSLSocket) {
            algorithm = ((SSLSocket) socket).getSSLParameters().getEndpointIdentificationAlgorithm();
        }
        if (algorithm != null && !algorithm.isEmpty()) {
            throw new CertificateException("peer " + CertificateText.describe(chain[0]) + " would be validated with the serverAuth"
                + " rule, but this server side sets endpoint identification algorithm " + algorithm + ", under which EKU Bridge"
                + " does not take that path (inbound.eku=" + policy + ")");
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
        DECISION_LOG.info("{} peer {}{}{}: {}{}", direction, peer, Peers.describe(socket != null ? socket : engine), ekus, verdict, mode);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return delegate.getAcceptedIssuers();
    }

    /**
     * The EKU decision for a peer that connected to us: {@code true} to validate it as a TLS client
     * (its certificate permits clientAuth and the policy accepts that), {@code false} to validate it
     * with the serverAuth rule instead. Throws when the policy accepts neither.
     */
    private boolean acceptAsClient(X509Certificate[] chain) throws CertificateException {
        X509Certificate leaf = leaf(chain);
        List<String> ekus = Eku.of(leaf);
        switch (policy) {
            case STRICT:
                if (Eku.permits(ekus, Eku.CLIENT_AUTH)) {
                    return true;
                }
                throw refused(leaf, ekus, "TLS client authentication (clientAuth)");
            case LENIENT:
            case AUDIT:
                if (Eku.permits(ekus, Eku.CLIENT_AUTH)) {
                    return true;
                }
                if (Eku.permits(ekus, Eku.SERVER_AUTH)) {
                    return false;
                }
                throw refused(leaf, ekus, "TLS client or server authentication (clientAuth or serverAuth)");
            case SERVER_AUTH:
                if (Eku.permits(ekus, Eku.SERVER_AUTH)) {
                    return false;
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
