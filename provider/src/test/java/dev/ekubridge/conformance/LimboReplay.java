package dev.ekubridge.conformance;

import dev.ekubridge.conformance.LimboCases.LimboCase;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.UnaryOperator;

import javax.net.ssl.CertPathTrustManagerParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

import org.bouncycastle.jsse.provider.BouncyCastleJsseProvider;

/**
 * Replays one x509-limbo case through a stock PKIX {@link X509TrustManager}, optionally wrapped.
 *
 * <p>The trust manager's anchors are the case's trusted certificates, its validation date the
 * case's {@code validation_time} (when the case has none, the date is left unset, i.e. "now";
 * all generated limbo certificates are valid from 1970 to 2969), revocation checking is off. The
 * presented chain is {@code [peer, intermediates...]} in file order.
 *
 * <p>Out of scope: host name verification. The verdict comes from the two-argument
 * {@link X509TrustManager#checkServerTrusted(X509Certificate[], String)}, which does no
 * endpoint identification (that needs the socket/engine variants of
 * {@code X509ExtendedTrustManager} with an identification algorithm set), so
 * {@code expected_peer_name(s)} is not checked and the name-matching cases ({@code webpki::san::*}
 * and similar) cannot agree with their expected FAILURE through this path. Neither are
 * {@code max_chain_depth}, {@code key_usage} or {@code extended_key_usage} of a case applied:
 * the stock trust manager has its own, fixed, TLS-server end-entity checks.
 */
final class LimboReplay {

    /** BCJSSE, not installed as a JCA provider: used only through getInstance(..., Provider). */
    private static final BouncyCastleJsseProvider BCJSSE = new BouncyCastleJsseProvider();

    /** The JSSE implementation whose PKIX TrustManagerFactory builds the stock trust manager. */
    enum Stack {
        SUN_JSSE {
            @Override
            TrustManagerFactory newFactory() throws GeneralSecurityException {
                return TrustManagerFactory.getInstance("PKIX", "SunJSSE");
            }
        },
        BC_JSSE {
            @Override
            TrustManagerFactory newFactory() throws GeneralSecurityException {
                return TrustManagerFactory.getInstance("PKIX", BCJSSE);
            }
        };

        abstract TrustManagerFactory newFactory() throws GeneralSecurityException;
    }

    /**
     * Outcome of one {@code checkServerTrusted} call. {@code exceptionClass} and {@code message}
     * are null when accepted.
     */
    record Verdict(boolean accepted, String exceptionClass, String message) {

        static final Verdict ACCEPTED = new Verdict(true, null, null);

        static Verdict refused(Throwable t) {
            return new Verdict(false, t.getClass().getName(), String.valueOf(t.getMessage()));
        }

        /** Same accept/refuse outcome and, when refused, the same exception class. */
        boolean sameOutcomeAs(Verdict other) {
            return accepted == other.accepted && Objects.equals(exceptionClass, other.exceptionClass);
        }

        @Override
        public String toString() {
            return accepted ? "accepted" : "refused(" + exceptionClass + ": " + message + ")";
        }
    }

    private LimboReplay() {
    }

    /** The key-exchange auth type a TLS 1.2 client would pass for this peer key. */
    static String authType(X509Certificate peer) {
        PublicKey key = peer.getPublicKey();
        switch (key.getAlgorithm()) {
            case "RSA":
                return "ECDHE_RSA";
            case "EC":
                return "ECDHE_ECDSA";
            default:
                return "UNKNOWN"; // e.g. the DSA leaves of webpki::forbidden-dsa-spki-leaf
        }
    }

    /** A fresh, unwrapped PKIX trust manager of {@code stack} configured for {@code c}. */
    static X509TrustManager stockTrustManager(LimboCase c, Stack stack) throws GeneralSecurityException {
        if (!c.parsable()) {
            throw new IllegalArgumentException(c.id() + ": JDK cannot parse " + c.jdkParseFailures());
        }
        Set<TrustAnchor> anchors = new LinkedHashSet<>();
        for (X509Certificate t : c.trustedCerts()) {
            anchors.add(new TrustAnchor(t, null));
        }
        PKIXBuilderParameters params = new PKIXBuilderParameters(anchors, null);
        c.validationTime().ifPresent(t -> params.setDate(Date.from(t)));
        params.setRevocationEnabled(false);

        TrustManagerFactory tmf = stack.newFactory();
        tmf.init(new CertPathTrustManagerParameters(params));
        for (TrustManager tm : tmf.getTrustManagers()) {
            if (tm instanceof X509TrustManager) {
                return (X509TrustManager) tm;
            }
        }
        throw new IllegalStateException(stack + ": PKIX TrustManagerFactory returned no X509TrustManager");
    }

    /**
     * Replays {@code c}: builds the stock trust manager of {@code stack}, passes it through
     * {@code wrapper} ({@link UnaryOperator#identity()} for the stock run) and calls
     * {@code checkServerTrusted([peer, intermediates...], authType)} on the result.
     *
     * <p>A case with a certificate the JDK {@link java.security.cert.CertificateFactory} cannot
     * parse is refused with that parse error, without building or wrapping a trust manager: a JSSE
     * peer (SunJSSE, and BCJSSE, which also converts the chain with the JCA CertificateFactory)
     * fails such a handshake while decoding the Certificate message, before any trust manager is
     * asked, so no wrapper can change that verdict.
     *
     * @throws GeneralSecurityException if the stock trust manager cannot be set up (a harness
     *     problem, not a verdict)
     */
    static Verdict replay(LimboCase c, Stack stack, UnaryOperator<X509TrustManager> wrapper)
            throws GeneralSecurityException {
        if (!c.parsable()) {
            LimboCases.ParseFailure f = c.jdkParseFailures().get(0);
            return new Verdict(false, f.exceptionClass(), "not parsed, " + f.where() + ": " + f.message());
        }
        X509TrustManager tm = Objects.requireNonNull(wrapper.apply(stockTrustManager(c, stack)),
                "wrapper returned null");
        X509Certificate[] chain = c.presentedChain().toArray(new X509Certificate[0]);
        try {
            tm.checkServerTrusted(chain, authType(c.peerCertificate()));
            return Verdict.ACCEPTED;
        } catch (CertificateException | RuntimeException e) {
            return Verdict.refused(e);
        }
    }
}
