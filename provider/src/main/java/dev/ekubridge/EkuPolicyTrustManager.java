package dev.ekubridge;

import dev.ekubridge.internal.CertificateText;
import dev.ekubridge.internal.Eku;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLEngine;
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
 * <li>peer is the TLS server: serverAuth is required in every mode, then {@code checkServerTrusted} as usual.</li>
 * </ul>
 * A pinned leaf (the leaf itself is a trust anchor) is therefore accepted exactly when the wrapped
 * trust manager accepts it, and is still subject to this policy's EKU rule: both SunJSSE and BCJSSE
 * check the EKU of a trusted leaf.
 *
 * <p>When the wrapped trust manager is not an {@link X509ExtendedTrustManager}, the socket and engine
 * variants call its two-argument methods, as the JDK itself would.
 *
 * <p>Thread-safe and immutable apart from the audit counter.
 */
public final class EkuPolicyTrustManager extends X509ExtendedTrustManager {
    /** Audit lines go to this logger so that an operator can route them on their own. */
    static final Logger AUDIT_LOG = LoggerFactory.getLogger("dev.ekubridge.audit");

    /** The auth type that makes {@code checkServerTrusted} demand digitalSignature, as for a TLS client. */
    private static final String SIGNATURE_AUTH_TYPE = "UNKNOWN";

    private final X509TrustManager delegate;
    private final X509ExtendedTrustManager extendedDelegate;
    private final EkuPolicy policy;
    private final AtomicLong audited = new AtomicLong();

    private EkuPolicyTrustManager(X509TrustManager delegate, EkuPolicy policy) {
        if (delegate == null || policy == null) {
            throw new NullPointerException(delegate == null ? "delegate" : "policy");
        }
        this.delegate = delegate;
        this.extendedDelegate = delegate instanceof X509ExtendedTrustManager ? (X509ExtendedTrustManager) delegate : null;
        this.policy = policy;
    }

    /**
     * Wraps {@code delegate} with {@code policy}. Wrapping an {@code EkuPolicyTrustManager} again
     * replaces its policy rather than stacking two policies.
     */
    public static EkuPolicyTrustManager wrap(X509TrustManager delegate, EkuPolicy policy) {
        if (delegate instanceof EkuPolicyTrustManager) {
            EkuPolicyTrustManager wrapped = (EkuPolicyTrustManager) delegate;
            return wrapped.policy == policy ? wrapped : new EkuPolicyTrustManager(wrapped.delegate, policy);
        }
        return new EkuPolicyTrustManager(delegate, policy);
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

    // --- peer is the TLS client -------------------------------------------------------------

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        if (acceptAsClient(chain)) {
            delegate.checkClientTrusted(chain, authType);
        } else {
            delegate.checkServerTrusted(chain, SIGNATURE_AUTH_TYPE);
            audit(chain, null);
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        if (acceptAsClient(chain)) {
            if (extendedDelegate != null) {
                extendedDelegate.checkClientTrusted(chain, authType, socket);
            } else {
                delegate.checkClientTrusted(chain, authType);
            }
        } else {
            if (extendedDelegate != null) {
                extendedDelegate.checkServerTrusted(chain, SIGNATURE_AUTH_TYPE, socket);
            } else {
                delegate.checkServerTrusted(chain, SIGNATURE_AUTH_TYPE);
            }
            audit(chain, socket);
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        if (acceptAsClient(chain)) {
            if (extendedDelegate != null) {
                extendedDelegate.checkClientTrusted(chain, authType, engine);
            } else {
                delegate.checkClientTrusted(chain, authType);
            }
        } else {
            if (extendedDelegate != null) {
                extendedDelegate.checkServerTrusted(chain, SIGNATURE_AUTH_TYPE, engine);
            } else {
                delegate.checkServerTrusted(chain, SIGNATURE_AUTH_TYPE);
            }
            audit(chain, engine);
        }
    }

    // --- peer is the TLS server: serverAuth in every mode -----------------------------------

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        requireServerAuth(chain);
        delegate.checkServerTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        requireServerAuth(chain);
        if (extendedDelegate != null) {
            extendedDelegate.checkServerTrusted(chain, authType, socket);
        } else {
            delegate.checkServerTrusted(chain, authType);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        requireServerAuth(chain);
        if (extendedDelegate != null) {
            extendedDelegate.checkServerTrusted(chain, authType, engine);
        } else {
            delegate.checkServerTrusted(chain, authType);
        }
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
        if (!Eku.permits(ekus, Eku.SERVER_AUTH)) {
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
