package dev.ekubridge.agent.cli;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The JDK's PKIX trust manager with its refusal of a client certificate for its EKU caught: the baseline of
 * {@code bench}'s relaxed path. Only that refusal; any other stands.
 */
final class IgnoringEkuRefusal extends InterceptingTrustManager {
    private static final String EKU_REFUSAL = "Extended key usage does not permit use for TLS client authentication";

    IgnoringEkuRefusal(X509ExtendedTrustManager delegate) {
        super(delegate);
    }

    @Override
    void check(boolean client, X509Certificate[] chain, Check check) throws CertificateException {
        try {
            check.run(delegate);
        } catch (CertificateException e) {
            if (!client || !String.valueOf(e.getMessage()).contains(EKU_REFUSAL)) {
                throw e;
            }
        }
    }
}
