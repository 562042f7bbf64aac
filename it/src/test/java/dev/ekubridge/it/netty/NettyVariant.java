package dev.ekubridge.it.netty;

import dev.ekubridge.testsupport.process.Jdk;
import java.util.Map;

/**
 * How a Netty fixture application runs: its JDK, its {@code SslProvider}, and the one TLS version the stock JDK
 * peer enables (the Netty side enables its defaults, TLS 1.2 and 1.3). Together the four cover each JDK with each
 * provider, and each provider with each TLS version.
 */
enum NettyVariant {
    OPENSSL_17(Jdk.JDK_17, "TLSv1.3"),
    JDK_17(Jdk.JDK_17, "TLSv1.2"),
    OPENSSL_25(Jdk.JDK_25, "TLSv1.2"),
    JDK_25(Jdk.JDK_25, "TLSv1.3");

    final Jdk jdk;
    /** The {@code SslProvider}: the constant's first word. */
    final String provider = name().substring(0, name().indexOf('_'));
    final String protocol;

    NettyVariant(Jdk jdk, String protocol) {
        this.jdk = jdk;
        this.protocol = protocol;
    }

    /**
     * Fails unless the application ran the provider it was asked for: with {@code OPENSSL}, BoringSSL loaded and an
     * OpenSSL context ({@code OpenSslServerContext}/{@code OpenSslClientContext}, shaded or not), else the JDK's.
     */
    void assertEngine(Map<String, String> printed, String transcript) {
        String context = printed.get("SSL_CONTEXT");
        boolean openSsl = context != null && context.contains(".OpenSsl");
        boolean ok = provider.equals("OPENSSL") ? "true".equals(printed.get("OPENSSL_AVAILABLE")) && openSsl
            : context != null && context.contains(".Jdk") && !openSsl;
        if (!ok) {
            throw new AssertionError("the application did not run SslProvider." + provider + ": SSL_CONTEXT=" + context
                + " OPENSSL_AVAILABLE=" + printed.get("OPENSSL_AVAILABLE") + "\n" + transcript);
        }
    }

    @Override
    public String toString() {
        return "JDK " + jdk.feature() + "/" + provider + "/" + protocol;
    }
}
