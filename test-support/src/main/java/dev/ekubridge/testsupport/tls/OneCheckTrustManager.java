package dev.ekubridge.testsupport.tls;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * A trust manager for tests and benchmarks whose six check methods meet in one, {@link #check}, as BCJSSE's key
 * manager funnels its six callbacks into one: a test manager that records, counts or routes calls writes that once.
 * {@link #ask} hands a call on through the overload it came in by.
 */
public abstract class OneCheckTrustManager extends X509ExtendedTrustManager {

    /** The overload a check came in by: the two-argument one, or the one with a socket or with an engine. */
    public enum Via {
        NONE, SOCKET, ENGINE
    }

    /**
     * One check: {@code client} for {@code checkClientTrusted}; {@code socket} is set only via {@link Via#SOCKET},
     * {@code engine} only via {@link Via#ENGINE} (either may be {@code null} there, as the caller passed it).
     */
    protected abstract void check(boolean client, X509Certificate[] chain, String authType, Via via, Socket socket, SSLEngine engine)
        throws CertificateException;

    /** Asks {@code manager} the same question through the same overload. */
    public static void ask(X509ExtendedTrustManager manager, boolean client, X509Certificate[] chain, String authType, Via via,
            Socket socket, SSLEngine engine) throws CertificateException {
        switch (via) {
            case SOCKET:
                if (client) {
                    manager.checkClientTrusted(chain, authType, socket);
                } else {
                    manager.checkServerTrusted(chain, authType, socket);
                }
                break;
            case ENGINE:
                if (client) {
                    manager.checkClientTrusted(chain, authType, engine);
                } else {
                    manager.checkServerTrusted(chain, authType, engine);
                }
                break;
            default:
                if (client) {
                    manager.checkClientTrusted(chain, authType);
                } else {
                    manager.checkServerTrusted(chain, authType);
                }
        }
    }

    @Override
    public final void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(true, chain, authType, Via.NONE, null, null);
    }

    @Override
    public final void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        check(true, chain, authType, Via.SOCKET, socket, null);
    }

    @Override
    public final void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        check(true, chain, authType, Via.ENGINE, null, engine);
    }

    @Override
    public final void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(false, chain, authType, Via.NONE, null, null);
    }

    @Override
    public final void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        check(false, chain, authType, Via.SOCKET, socket, null);
    }

    @Override
    public final void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        check(false, chain, authType, Via.ENGINE, null, engine);
    }
}
