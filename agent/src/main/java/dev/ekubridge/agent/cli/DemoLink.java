package dev.ekubridge.agent.cli;

import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.X509TrustManager;

/**
 * One TLS connection of a scenario: which endpoint dials which, whether the server requires a client
 * certificate, and the outcome the source document says it must have.
 */
final class DemoLink {
    static final boolean UP = true;
    static final boolean DOWN = false;

    final String name;
    final Endpoint client;
    final Endpoint server;
    final boolean needClientAuth;
    final boolean expectUp;
    /** Shown for a link that is up, e.g. that the client presented its server identity by the upgrade default. */
    final String note;

    DemoLink(String name, Endpoint client, Endpoint server, boolean needClientAuth, boolean expectUp, String note) {
        this.name = name;
        this.client = client;
        this.server = server;
        this.needClientAuth = needClientAuth;
        this.expectUp = expectUp;
        this.note = note;
    }

    /** One side of a link: its name in the table, its key manager (may be null: no certificate) and trust manager. */
    static final class Endpoint {
        final String name;
        final X509KeyManager keyManager;
        final X509ExtendedTrustManager trustManager;
        /** Named in the reason when a refusal message does not say which check refused. */
        final String check;

        Endpoint(String name, X509KeyManager keyManager, X509TrustManager trustManager, String check) {
            this.name = name;
            this.keyManager = keyManager;
            if (!(trustManager instanceof X509ExtendedTrustManager)) {
                throw new IllegalArgumentException(name + ": expected an X509ExtendedTrustManager, got " + trustManager);
            }
            this.trustManager = (X509ExtendedTrustManager) trustManager;
            this.check = check;
        }
    }
}
