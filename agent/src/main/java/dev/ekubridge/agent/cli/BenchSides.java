package dev.ekubridge.agent.cli;

import dev.ekubridge.EkuPolicyTrustManager;
import dev.ekubridge.Identity;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The four contexts {@code bench} alternates: EKU Bridge's client and server (the configured managers), the JDK's
 * client and server (SunX509 and PKIX over the same identities and anchors).
 */
final class BenchSides {
    final SSLContext ekuClient;
    final SSLContext ekuServer;
    final SSLContext jdkClient;
    final SSLContext jdkServer;

    private BenchSides(SSLContext ekuClient, SSLContext ekuServer, SSLContext jdkClient, SSLContext jdkServer) {
        this.ekuClient = ekuClient;
        this.ekuServer = ekuServer;
        this.jdkClient = jdkClient;
        this.jdkServer = jdkServer;
    }

    static BenchSides of(Configuration loaded, Identity server, Identity client, boolean relaxed)
            throws GeneralSecurityException, IOException {
        EkuPolicyTrustManager policy = loaded.bridge.trustManager();
        // the configured managers, without the per-handshake decision log (log.handshakes) that would flood the terminal
        EkuPolicyTrustManager ekuTrust = EkuPolicyTrustManager.wrap(policy, policy.policy(), false);
        KeyManager[] ekuKeys = {loaded.bridge.keyManager()};
        X509ExtendedTrustManager pkix = pkix(policy.delegate(), loaded);
        X509ExtendedTrustManager serverSide = relaxed ? new IgnoringEkuRefusal(pkix) : pkix;
        return new BenchSides(context(ekuKeys, ekuTrust), context(ekuKeys, ekuTrust), context(sunX509(client, "client"), pkix),
            context(sunX509(server, "server"), serverSide));
    }

    /**
     * One handshake with each side's managers, checking that each side saw the other's configured certificate.
     *
     * @return the JDK client's session, for the protocol and cipher suite agreed
     */
    SSLSession verify(EngineLoop loop, Identity server, Identity client) throws SSLException {
        verify(loop, ekuClient, ekuServer, server, client, "EKU Bridge's");
        return verify(loop, jdkClient, jdkServer, server, client, "the JDK's")[0].getSession();
    }

    /** The JDK's PKIX trust manager over the same anchors: the one EKU Bridge wraps, when it is one. */
    private static X509ExtendedTrustManager pkix(X509TrustManager wrapped, Configuration loaded) throws GeneralSecurityException,
            IOException {
        if (wrapped instanceof X509ExtendedTrustManager && wrapped.getClass().getName().startsWith("sun.security.ssl.")) {
            return (X509ExtendedTrustManager) wrapped;
        }
        KeyStore anchors = KeyStore.getInstance("PKCS12");
        anchors.load(null, null);
        X509Certificate[] certificates = loaded.anchors();
        for (int i = 0; i < certificates.length; i++) {
            anchors.setCertificateEntry("anchor-" + i, certificates[i]);
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
        factory.init(anchors);
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509ExtendedTrustManager) {
                return (X509ExtendedTrustManager) manager;
            }
        }
        throw new GeneralSecurityException("the JDK's PKIX trust manager factory made no X509ExtendedTrustManager");
    }

    /** SunX509 over an in-memory store holding this one identity: it decrypts the key once, at init. */
    private static KeyManager[] sunX509(Identity identity, String alias) throws GeneralSecurityException, IOException {
        char[] password = new char[16];
        SecureRandom random = new SecureRandom();
        for (int i = 0; i < password.length; i++) {
            password[i] = (char) ('a' + random.nextInt(26));
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry(alias, identity.privateKey(), password, identity.chain());
        KeyManagerFactory factory = KeyManagerFactory.getInstance("SunX509");
        factory.init(store, password);
        Arrays.fill(password, '\0');
        return factory.getKeyManagers();
    }

    private static SSLContext context(KeyManager[] keys, X509ExtendedTrustManager trust) throws GeneralSecurityException {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys, new TrustManager[] {trust}, null);
        return context;
    }

    /** One handshake, checking that each side saw the other's configured certificate. */
    private static SSLEngine[] verify(EngineLoop loop, SSLContext client, SSLContext server, Identity serverIdentity,
            Identity clientIdentity, String whose) throws SSLException {
        SSLEngine[] engines;
        try {
            engines = loop.run(client, server);
        } catch (SSLException e) {
            throw new SSLException("a handshake with " + whose + " managers failed: " + e.getMessage(), e);
        }
        Certificate[] serverSaw = engines[1].getSession().getPeerCertificates();
        Certificate[] clientSaw = engines[0].getSession().getPeerCertificates();
        if (!clientIdentity.certificate().equals(serverSaw[0]) || !serverIdentity.certificate().equals(clientSaw[0])) {
            throw new IllegalStateException("with " + whose + " managers the sides did not present the configured identities");
        }
        return engines;
    }
}
