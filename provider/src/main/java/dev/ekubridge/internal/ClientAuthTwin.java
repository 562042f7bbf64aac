package dev.ekubridge.internal;

import java.math.BigInteger;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.NoSuchProviderException;
import java.security.Principal;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SignatureException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.Set;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.security.auth.x500.X500Principal;

/**
 * A client's leaf as its twin that permits clientAuth: the same certificate in every respect (encoding,
 * signature, key, names, validity, every extension's bytes) except that {@link #getExtendedKeyUsage()} also
 * lists id-kp-clientAuth. Internal.
 *
 * <p>This is how a relaxed EKU policy asks the engine's own trust manager (SunJSSE's, BCJSSE's) for its
 * client-direction verdict on the twin: both engines read a client leaf's EKU through
 * {@code getExtendedKeyUsage()} (SunJSSE's {@code EndEntityChecker.checkEKU}, BCJSSE's
 * {@code ProvAlgorithmChecker.supportsExtendedKeyUsage}), and everything else (path, signatures, anchors,
 * revocation, algorithm constraints, KeyUsage, Netscape type, critical extensions, endpoint identification)
 * from the certificate itself, the signature checks through the real certificate's {@code verify}. So the
 * engine runs every check it runs for a client, in its own order, and only its EKU check sees clientAuth. An
 * engine that read the EKU from the encoding instead would refuse the twin for its EKU: fail closed.
 *
 * <p>The twin is handed only to that trust manager, for one call; the handshake's peer certificates stay the
 * real ones. Equality and hash are the real certificate's (equal encodings), so a pinned leaf is still found
 * among the trust anchors.
 */
public final class ClientAuthTwin extends X509Certificate {
    private static final long serialVersionUID = 1L;

    private static final String SUN_MANAGER = "sun.security.ssl.X509TrustManagerImpl";
    /**
     * Built at run time: the agent's jar relocates Bouncy Castle, and the shading would rewrite a
     * constant that names a Bouncy Castle class; this must name the application's own BCJSSE.
     */
    private static final String BC_MANAGER = String.join(".", "org", "bouncycastle", "jsse", "provider", "ExportX509TrustManager_7");

    /** The JDK's own certificate class: {@link #getExtensionValue} answers an absent extension for it. */
    private static final String JDK_CERTIFICATE = "sun.security.x509.X509CertImpl";
    /**
     * Whether that class finds an absent extension by catching an exception: it does where it still has its
     * string-keyed {@code get(String)} (JDK 8 to 17 at least), through which its {@code getExtensionValue} looks up
     * an extension the JDK has a name for. Newer JDKs answer {@code null} directly, and there asking the leaf is
     * cheaper than listing its extensions.
     */
    private static final boolean ABSENT_EXTENSION_THROWS = hasStringKeyedGet();

    private final X509Certificate leaf;

    private ClientAuthTwin(X509Certificate leaf) {
        this.leaf = leaf;
    }

    /**
     * The engine's own trust manager that {@code manager} is (SunJSSE's {@code X509TrustManagerImpl}, from the PKIX
     * or the SunX509 factory; BCJSSE's), or that it forwards to now when it is a {@link ForwardingTrustManager}
     * (read once: ask the manager returned, not {@code manager}, so a reload in between cannot swap it); {@code null}
     * for any other manager, whose verdict on a twin would mean nothing EKU Bridge can vouch for.
     */
    public static X509ExtendedTrustManager engineManagerIn(Object manager) {
        Object candidate = manager instanceof ForwardingTrustManager ? ((ForwardingTrustManager) manager).current() : manager;
        String type = candidate.getClass().getName();
        return SUN_MANAGER.equals(type) || BC_MANAGER.equals(type) ? (X509ExtendedTrustManager) candidate : null;
    }

    /** {@code chain} with its leaf replaced by the leaf's clientAuth twin (a new array; {@code chain} is not changed). */
    public static X509Certificate[] of(X509Certificate[] chain) {
        X509Certificate[] twin = chain.clone();
        twin[0] = new ClientAuthTwin(chain[0]);
        return twin;
    }

    @Override
    public List<String> getExtendedKeyUsage() throws CertificateParsingException {
        List<String> usages = leaf.getExtendedKeyUsage();
        if (usages == null || usages.contains(Eku.CLIENT_AUTH)) {
            return usages;
        }
        List<String> twin = new ArrayList<>(usages.size() + 1);
        twin.addAll(usages);
        twin.add(Eku.CLIENT_AUTH);
        return Collections.unmodifiableList(twin);
    }

    @Override
    public boolean equals(Object other) {
        return other == this || leaf.equals(other);
    }

    @Override
    public int hashCode() {
        return leaf.hashCode();
    }

    @Override
    public String toString() {
        return leaf.toString();
    }

    // Everything else is the real certificate's.

    @Override
    public byte[] getEncoded() throws CertificateEncodingException {
        return leaf.getEncoded();
    }

    @Override
    public void verify(PublicKey key) throws CertificateException, NoSuchAlgorithmException, InvalidKeyException,
            NoSuchProviderException, SignatureException {
        leaf.verify(key);
    }

    @Override
    public void verify(PublicKey key, String sigProvider) throws CertificateException, NoSuchAlgorithmException,
            InvalidKeyException, NoSuchProviderException, SignatureException {
        leaf.verify(key, sigProvider);
    }

    @Override
    public void verify(PublicKey key, Provider sigProvider) throws CertificateException, NoSuchAlgorithmException,
            InvalidKeyException, SignatureException {
        leaf.verify(key, sigProvider);
    }

    @Override
    public PublicKey getPublicKey() {
        return leaf.getPublicKey();
    }

    @Override
    public void checkValidity() throws CertificateExpiredException, CertificateNotYetValidException {
        leaf.checkValidity();
    }

    @Override
    public void checkValidity(Date date) throws CertificateExpiredException, CertificateNotYetValidException {
        leaf.checkValidity(date);
    }

    @Override
    public int getVersion() {
        return leaf.getVersion();
    }

    @Override
    public BigInteger getSerialNumber() {
        return leaf.getSerialNumber();
    }

    @Override
    @SuppressWarnings("deprecation")
    public Principal getIssuerDN() {
        return leaf.getIssuerDN();
    }

    @Override
    @SuppressWarnings("deprecation")
    public Principal getSubjectDN() {
        return leaf.getSubjectDN();
    }

    @Override
    public X500Principal getIssuerX500Principal() {
        return leaf.getIssuerX500Principal();
    }

    @Override
    public X500Principal getSubjectX500Principal() {
        return leaf.getSubjectX500Principal();
    }

    @Override
    public Date getNotBefore() {
        return leaf.getNotBefore();
    }

    @Override
    public Date getNotAfter() {
        return leaf.getNotAfter();
    }

    @Override
    public byte[] getTBSCertificate() throws CertificateEncodingException {
        return leaf.getTBSCertificate();
    }

    @Override
    public byte[] getSignature() {
        return leaf.getSignature();
    }

    @Override
    public String getSigAlgName() {
        return leaf.getSigAlgName();
    }

    @Override
    public String getSigAlgOID() {
        return leaf.getSigAlgOID();
    }

    @Override
    public byte[] getSigAlgParams() {
        return leaf.getSigAlgParams();
    }

    @Override
    public boolean[] getIssuerUniqueID() {
        return leaf.getIssuerUniqueID();
    }

    @Override
    public boolean[] getSubjectUniqueID() {
        return leaf.getSubjectUniqueID();
    }

    @Override
    public boolean[] getKeyUsage() {
        return leaf.getKeyUsage();
    }

    @Override
    public int getBasicConstraints() {
        return leaf.getBasicConstraints();
    }

    @Override
    public Collection<List<?>> getSubjectAlternativeNames() throws CertificateParsingException {
        return leaf.getSubjectAlternativeNames();
    }

    @Override
    public Collection<List<?>> getIssuerAlternativeNames() throws CertificateParsingException {
        return leaf.getIssuerAlternativeNames();
    }

    @Override
    public boolean hasUnsupportedCriticalExtension() {
        return leaf.hasUnsupportedCriticalExtension();
    }

    @Override
    public Set<String> getCriticalExtensionOIDs() {
        return leaf.getCriticalExtensionOIDs();
    }

    @Override
    public Set<String> getNonCriticalExtensionOIDs() {
        return leaf.getNonCriticalExtensionOIDs();
    }

    /**
     * The leaf's value, except that for a JDK certificate ({@code X509CertImpl}) on a JDK where it finds an absent
     * extension by catching an exception ({@link #ABSENT_EXTENSION_THROWS}) an extension among neither its
     * critical nor its non-critical extensions (which include those that did not parse) is answered {@code null}
     * without asking it: JDK 17's {@code X509CertImpl.getExtensionValue} finds an absent extension by catching an
     * exception it builds with a stack trace, and SunJSSE asks a certificate that is not its own class for the
     * Netscape certificate type, absent from nearly every certificate, in every relaxed handshake. Only an OID in
     * canonical dotted form is answered so: the JDK also finds {@code 2.5.29.037}, which those sets do not list.
     */
    @Override
    public byte[] getExtensionValue(String oid) {
        if (ABSENT_EXTENSION_THROWS && JDK_CERTIFICATE.equals(leaf.getClass().getName()) && canonical(oid)) {
            Set<String> critical = leaf.getCriticalExtensionOIDs();
            Set<String> nonCritical = leaf.getNonCriticalExtensionOIDs();
            if (critical != null && nonCritical != null && !critical.contains(oid) && !nonCritical.contains(oid)) {
                return null;
            }
        }
        return leaf.getExtensionValue(oid);
    }

    private static boolean hasStringKeyedGet() {
        try {
            Class.forName(JDK_CERTIFICATE).getMethod("get", String.class);
            return true;
        } catch (ReflectiveOperationException | LinkageError | RuntimeException absentOrNotVisible) {
            return false; // then every extension value is asked of the leaf
        }
    }

    /** Digits in two or more components separated by dots, no component with a leading zero. */
    static boolean canonical(String oid) {
        if (oid == null || oid.isEmpty()) {
            return false;
        }
        int components = 0;
        int start = 0;
        while (start <= oid.length()) {
            int end = oid.indexOf('.', start);
            if (end < 0) {
                end = oid.length();
            }
            if (end == start || end - start > 1 && oid.charAt(start) == '0') {
                return false;
            }
            for (int i = start; i < end; i++) {
                char c = oid.charAt(i);
                if (c < '0' || c > '9') {
                    return false;
                }
            }
            components++;
            start = end + 1;
        }
        return components >= 2;
    }
}
