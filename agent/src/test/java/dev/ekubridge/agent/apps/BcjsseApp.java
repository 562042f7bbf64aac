package dev.ekubridge.agent.apps;

import dev.ekubridge.testsupport.tls.Loopback;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.jsse.provider.BouncyCastleJsseProvider;

/**
 * (d) Bouncy Castle's JSSE as the TLS engine, with its own "PKIX" key and trust manager factories
 * (not installed as a JVM-wide provider). Arguments: KEYSTORE TRUSTSTORE PASSWORD.
 */
public final class BcjsseApp {
    private BcjsseApp() {
    }

    public static void main(String[] args) {
        Loopback.main("bcjsse", () -> {
            BouncyCastleJsseProvider bcjsse = new BouncyCastleJsseProvider(new BouncyCastleProvider());
            char[] secret = args[2].toCharArray();
            KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX", bcjsse);
            kmf.init(Loopback.load(args[0], secret), secret);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX", bcjsse);
            tmf.init(Loopback.load(args[1], secret));
            SSLContext context = SSLContext.getInstance("TLS", bcjsse);
            context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            System.out.println("CONTEXT_PROVIDER=" + context.getProvider().getName());
            return Loopback.exchange(context, context);
        });
    }
}
