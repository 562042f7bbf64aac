package dev.ekubridge.agent.apps;

import dev.ekubridge.testsupport.tls.Loopback;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * (a) The most common way: {@code SSLContext.getInstance("TLS").init(kmf.getKeyManagers(),
 * tmf.getTrustManagers(), null)} with the default-algorithm factories.
 * Arguments: KEYSTORE TRUSTSTORE PASSWORD.
 */
public final class ExplicitInitApp {
    private ExplicitInitApp() {
    }

    public static void main(String[] args) {
        Loopback.main("explicit-init", () -> {
            SSLContext context = context(args[0], args[1], args[2]);
            return Loopback.exchange(context, context);
        });
    }

    public static SSLContext context(String keyStore, String trustStore, String password) throws Exception {
        char[] secret = password.toCharArray();
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(Loopback.load(keyStore, secret), secret);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(Loopback.load(trustStore, secret));
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return context;
    }
}
