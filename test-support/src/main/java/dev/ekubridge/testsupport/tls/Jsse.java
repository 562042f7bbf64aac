package dev.ekubridge.testsupport.tls;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.Security;
import java.util.Objects;

import javax.net.ssl.KeyManager;
import javax.net.ssl.ManagerFactoryParameters;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.jsse.provider.BouncyCastleJsseProvider;

/** The two JSSE implementations the product must work with. */
public enum Jsse {
    /** The JDK's SunJSSE. */
    SUN("SunJSSE"),
    /**
     * Bouncy Castle's BCJSSE, a private provider instance (never registered globally) whose TLS crypto runs on a
     * private {@link BouncyCastleProvider} instance. With the no-argument constructor BCJSSE would use the JDK's
     * crypto providers, which lack the "SHA256WITHRSAANDMGF1" signature it asks for, so TLS 1.3 with RSA keys
     * (RSASSA-PSS) fails with "found no selectable cipher suite".
     */
    BC("BCJSSE");

    private static final Provider BCJSSE = new BouncyCastleJsseProvider(new BouncyCastleProvider());

    private final String providerName;

    Jsse(String providerName) {
        this.providerName = providerName;
    }

    /** The implementation whose provider is called {@code providerName}: "SunJSSE" or "BCJSSE". */
    public static Jsse named(String providerName) {
        for (Jsse jsse : values()) {
            if (jsse.providerName.equals(providerName)) {
                return jsse;
            }
        }
        throw new IllegalArgumentException("the JSSE provider must be SunJSSE or BCJSSE, not " + providerName);
    }

    /** The provider's name: "SunJSSE" or "BCJSSE". */
    public String providerName() {
        return providerName;
    }

    /** The provider object; SunJSSE from the installed providers, BCJSSE as a shared private instance. */
    public Provider provider() {
        if (this == SUN) {
            return Objects.requireNonNull(Security.getProvider("SunJSSE"), "SunJSSE not installed");
        }
        return BCJSSE;
    }

    /** This implementation's {@code algorithm} ("PKIX", "SunX509"...) trust manager over {@code trustStore}. */
    public X509ExtendedTrustManager trustManager(String algorithm, KeyStore trustStore) {
        return trustManager(algorithm, factory -> factory.init(trustStore));
    }

    /** This implementation's {@code algorithm} trust manager made from {@code parameters} (e.g. PKIX builder parameters). */
    public X509ExtendedTrustManager trustManager(String algorithm, ManagerFactoryParameters parameters) {
        return trustManager(algorithm, factory -> factory.init(parameters));
    }

    private interface Init {
        void init(TrustManagerFactory factory) throws GeneralSecurityException;
    }

    private X509ExtendedTrustManager trustManager(String algorithm, Init init) {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(algorithm, provider());
            init.init(factory);
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509ExtendedTrustManager) {
                    return (X509ExtendedTrustManager) manager;
                }
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a " + this + " " + algorithm + " trust manager", e);
        }
        throw new IllegalStateException("no X509ExtendedTrustManager from " + this + " " + algorithm);
    }

    /**
     * A "TLS" {@link SSLContext} of this implementation initialised with the given managers (either may be null for
     * the implementation's defaults) and a fresh {@link SecureRandom}.
     */
    public SSLContext context(KeyManager[] keyManagers, TrustManager[] trustManagers) {
        try {
            SSLContext context = SSLContext.getInstance("TLS", provider());
            // never null: BCJSSE with a null SecureRandom asks for SecureRandom "DEFAULT", which only
            // exists when Bouncy Castle is registered globally ("DEFAULT SecureRandom not available")
            context.init(keyManagers, trustManagers, new SecureRandom());
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot create " + this + " SSLContext", e);
        }
    }
}
