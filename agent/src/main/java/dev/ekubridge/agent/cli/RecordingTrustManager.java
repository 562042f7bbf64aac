package dev.ekubridge.agent.cli;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.X509ExtendedTrustManager;

/** Records the chain each side of a demo link was shown, and the refusal its trust manager threw, then delegates. */
final class RecordingTrustManager extends InterceptingTrustManager {
    volatile X509Certificate[] inboundChain;
    volatile X509Certificate[] outboundChain;
    volatile CertificateException refusal;

    RecordingTrustManager(X509ExtendedTrustManager delegate) {
        super(delegate);
    }

    @Override
    void check(boolean client, X509Certificate[] chain, Check check) throws CertificateException {
        if (client) {
            inboundChain = chain;
        } else {
            outboundChain = chain;
        }
        try {
            check.run(delegate);
        } catch (CertificateException e) {
            refusal = e;
            throw e;
        }
    }
}
