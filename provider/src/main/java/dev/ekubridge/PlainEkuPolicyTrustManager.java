package dev.ekubridge;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.X509TrustManager;

/**
 * The EKU policy around a plain {@link X509TrustManager}. It is deliberately not an
 * {@code X509ExtendedTrustManager}: the JSSE engine then wraps it and adds the host name and
 * algorithm-constraint checks that it adds around the application's plain trust manager today.
 */
final class PlainEkuPolicyTrustManager implements X509TrustManager {
    private final EkuPolicyTrustManager policy;

    PlainEkuPolicyTrustManager(EkuPolicyTrustManager policy) {
        this.policy = policy;
    }

    X509TrustManager delegate() {
        return policy.delegate();
    }

    EkuPolicyTrustManager policy() {
        return policy;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        policy.checkClientTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        policy.checkServerTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return policy.getAcceptedIssuers();
    }
}
