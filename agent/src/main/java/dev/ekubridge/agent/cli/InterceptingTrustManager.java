package dev.ekubridge.agent.cli;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * A trust manager around another whose six checks all pass through {@link #check}: a subclass that records or
 * filters what its delegate decides says so once, rather than once per overload.
 */
abstract class InterceptingTrustManager extends X509ExtendedTrustManager {
    /** One of the delegate's checks, its arguments bound. */
    interface Check {
        void run(X509ExtendedTrustManager delegate) throws CertificateException;
    }

    final X509ExtendedTrustManager delegate;

    InterceptingTrustManager(X509ExtendedTrustManager delegate) {
        this.delegate = delegate;
    }

    /**
     * Runs (or not) one check of the delegate.
     *
     * @param client whether {@code chain} is a client's ({@code checkClientTrusted}) rather than a server's
     */
    abstract void check(boolean client, X509Certificate[] chain, Check check) throws CertificateException;

    // each overload, a client's chain then a server's
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(true, chain, d -> d.checkClientTrusted(chain, authType));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(false, chain, d -> d.checkServerTrusted(chain, authType));
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        check(true, chain, d -> d.checkClientTrusted(chain, authType, socket));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        check(false, chain, d -> d.checkServerTrusted(chain, authType, socket));
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        check(true, chain, d -> d.checkClientTrusted(chain, authType, engine));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        check(false, chain, d -> d.checkServerTrusted(chain, authType, engine));
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return delegate.getAcceptedIssuers();
    }
}
