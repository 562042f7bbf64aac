package dev.ekubridge.internal;

import java.security.AlgorithmConstraints;
import java.security.CryptoPrimitive;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import javax.net.ssl.SSLParameters;

/**
 * A JSSE engine's own trust manager refusing a TLS client certificate for its Extended Key Usage
 * alone, recognised exactly, and the end-entity checks that the engine skipped because its EKU check
 * threw first. This is what lets a relaxed EKU policy validate a peer in the <em>client</em> direction
 * and ignore exactly the EKU refusal, as httpd's {@code SSLVerifyClientEKU off} does. Internal.
 *
 * <p>What each engine does, read from its sources (SunJSSE of JDK 8u, 11, 17, 21 and 25; BCJSSE 1.84)
 * and checked at run time by the differential tests:
 * <ul>
 * <li><b>SunJSSE</b> ({@code sun.security.ssl.X509TrustManagerImpl}, factories PKIX and SunX509): the whole
 * path validation runs first (anchors, signatures, validity, revocation, algorithm constraints for the
 * TLS-client variant); then {@code EndEntityChecker.checkTLSClient} checks KeyUsage, then the EKU, throwing
 * {@code sun.security.validator.ValidatorException} "Extended key usage does not permit use for TLS client
 * authentication" without a cause. Skipped after it: the Netscape certificate type (SSL client bit), for
 * SunX509 the leaf's remaining critical extensions, and endpoint identification. CA distrust policies
 * apply to TLS servers only. A pinned leaf never reaches the check.</li>
 * <li><b>BCJSSE</b> ({@code ExportX509TrustManager_7} around {@code ProvX509TrustManager}): path building
 * first; then {@code ProvAlgorithmChecker.checkEndEntity} checks the EKU first, throwing a
 * {@code CertificateException} "Unable to construct a valid chain" caused by a plain
 * {@code CertPathValidatorException} "Certificate doesn't support 'clientAuth' ExtendedKeyUsage". Skipped
 * after it: KeyUsage digitalSignature, the algorithm constraints on the leaf's public key, and endpoint
 * identification. A pinned leaf is refused the same way (BC checks its EKU too).</li>
 * </ul>
 * Both engines also skip endpoint identification, which a server side applies to client certificates
 * only when the application sets an endpoint identification algorithm on it: EKU Bridge does not
 * re-apply that one but refuses to relax there ({@code EkuPolicyTrustManager}, fail closed).
 */
public enum EngineEkuRefusal {
    /** SunJSSE's manager from the PKIX factory: path validation already judged every critical extension. */
    SUN_JSSE_PKIX,
    /** SunJSSE's manager from the SunX509 factory, or of unknown factory: the leaf's critical extensions are checked here. */
    SUN_JSSE,
    /** BCJSSE's manager. */
    BC_JSSE;

    private static final String SUN_MANAGER = "sun.security.ssl.X509TrustManagerImpl";
    private static final String SUN_REFUSAL = "sun.security.validator.ValidatorException";
    private static final String SUN_REFUSAL_MESSAGE = "Extended key usage does not permit use for TLS client authentication";
    /**
     * Built at run time: the agent's jar relocates Bouncy Castle, and the shading would rewrite a
     * constant that names a Bouncy Castle class; this must name the application's own BCJSSE.
     */
    private static final String BC_MANAGER = String.join(".", "org", "bouncycastle", "jsse", "provider", "ExportX509TrustManager_7");
    private static final String BC_REFUSAL_MESSAGE = "Unable to construct a valid chain";
    private static final String BC_CAUSE_MESSAGE = "Certificate doesn't support 'clientAuth' ExtendedKeyUsage";

    /** Critical extensions SunJSSE's end-entity checker accepts on a TLS client leaf. */
    private static final Set<String> SUN_UNDERSTOOD_CRITICAL = Collections.unmodifiableSet(new HashSet<>(Arrays.asList(
        "2.5.29.15", // keyUsage
        "2.5.29.37", // extendedKeyUsage
        NetscapeCertType.OID,
        "2.5.29.19", // basicConstraints
        "2.5.29.17"))); // subjectAltName

    private static final Set<CryptoPrimitive> SIGNATURE = Collections.unmodifiableSet(EnumSet.of(CryptoPrimitive.SIGNATURE));

    /**
     * The engine whose manager {@code manager} is, or {@code null} when it is none EKU Bridge can
     * recognise: then no refusal of it is ever relaxed.
     *
     * @param factoryAlgorithm the trust manager factory algorithm it came from, or {@code null} when unknown
     */
    public static EngineEkuRefusal of(Object manager, String factoryAlgorithm) {
        Object engineManager = manager instanceof ForwardingTrustManager ? ((ForwardingTrustManager) manager).current() : manager;
        String type = engineManager.getClass().getName();
        if (SUN_MANAGER.equals(type)) {
            boolean pkix = factoryAlgorithm != null && ("PKIX".equalsIgnoreCase(factoryAlgorithm)
                || "X509".equalsIgnoreCase(factoryAlgorithm) || "X.509".equalsIgnoreCase(factoryAlgorithm));
            return pkix ? SUN_JSSE_PKIX : SUN_JSSE;
        }
        return BC_MANAGER.equals(type) ? BC_JSSE : null;
    }

    /** Whether {@code refusal}, thrown by this engine's manager for a client certificate, is its EKU refusal and nothing else. */
    public boolean isEkuOnly(CertificateException refusal) {
        if (this == BC_JSSE) {
            Throwable cause = refusal.getCause();
            return refusal.getClass() == CertificateException.class && BC_REFUSAL_MESSAGE.equals(refusal.getMessage())
                && cause != null && cause.getClass() == CertPathValidatorException.class && BC_CAUSE_MESSAGE.equals(cause.getMessage())
                && cause.getCause() == null && ((CertPathValidatorException) cause).getIndex() == -1;
        }
        return SUN_REFUSAL.equals(refusal.getClass().getName()) && SUN_REFUSAL_MESSAGE.equals(refusal.getMessage())
            && refusal.getCause() == null;
    }

    /** A refusal in the form BCJSSE gives it, so that the peer's operator reads the same text either way. */
    private static CertificateException bcRefusal(String reason) {
        return new CertificateException(BC_REFUSAL_MESSAGE, new CertPathValidatorException(reason));
    }

    /**
     * Applies the end-entity checks this engine skipped because its EKU check threw first, as the
     * engine would have applied them to the same leaf with clientAuth; throws as it would have.
     *
     * @param parameters the handshake's parameters (of the socket or engine the engine was given), or {@code null}
     */
    public void checkSkipped(X509Certificate leaf, SSLParameters parameters) throws CertificateException {
        if (this == BC_JSSE) {
            boolean[] keyUsage = leaf.getKeyUsage();
            if (keyUsage != null && (keyUsage.length == 0 || !keyUsage[0])) {
                throw bcRefusal("Certificate doesn't support 'digitalSignature' KeyUsage");
            }
            AlgorithmConstraints configured = parameters == null ? null : parameters.getAlgorithmConstraints();
            if ((configured != null && !configured.permits(SIGNATURE, leaf.getPublicKey()))
                    || !BcKeyConstraints.DEFAULT.permits(leaf.getPublicKey())) {
                throw bcRefusal("Public key not permitted for 'digitalSignature' KeyUsage");
            }
            return;
        }
        if (!NetscapeCertType.permitsSslClient(leaf)) {
            throw new CertificateException("Netscape cert type does not permit use for SSL client");
        }
        Set<String> critical = leaf.getCriticalExtensionOIDs();
        if (this == SUN_JSSE && critical != null && !SUN_UNDERSTOOD_CRITICAL.containsAll(critical)) {
            Set<String> unsupported = new TreeSet<>(critical);
            unsupported.removeAll(SUN_UNDERSTOOD_CRITICAL);
            throw new CertificateException("Certificate contains unsupported critical extensions: " + unsupported
                + " (the wrapped SunJSSE trust manager's factory is not known to EKU Bridge: a SunX509 one refuses them, so"
                + " EKU Bridge does too; a PKIX one judges them itself: give EKU Bridge the trust store instead, or use the"
                + " agent, and it knows the factory of the manager it wraps)");
        }
    }
}
