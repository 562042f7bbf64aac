package dev.ekubridge.testing;

import dev.ekubridge.testsupport.tls.OneCheckTrustManager;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * An application's own trust manager, of a class EKU Bridge cannot look inside (as Netty's
 * {@code EnhancingX509ExtendedTrustManager}): it hands client chains to one trust manager and server chains to
 * another, a {@code null} one accepting every chain, and records each call (method, auth type and, for the
 * three-argument methods, {@code socket} or {@code engine}) in {@link #calls}, except
 * {@link #acceptingEverything()}, which records nothing so that tests measuring allocation can use it.
 */
public final class RecordingTrustManager extends OneCheckTrustManager {
    /** The calls so far, e.g. {@code checkClientTrusted(EC)} or {@code checkServerTrusted(RSA, engine)}. */
    public final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    private final X509ExtendedTrustManager clients;
    private final X509ExtendedTrustManager servers;
    private final boolean recording;

    /** Checks clients with {@code clients} and servers with {@code servers}; a {@code null} one accepts every chain. */
    public RecordingTrustManager(X509ExtendedTrustManager clients, X509ExtendedTrustManager servers) {
        this(clients, servers, true);
    }

    private RecordingTrustManager(X509ExtendedTrustManager clients, X509ExtendedTrustManager servers, boolean recording) {
        this.clients = clients;
        this.servers = servers;
        this.recording = recording;
    }

    /** Hands every call to {@code target}. */
    public static RecordingTrustManager around(X509ExtendedTrustManager target) {
        return new RecordingTrustManager(target, target);
    }

    /** Accepts every chain, trusts no issuer, records nothing and allocates nothing: a delegate with no opinion. */
    public static RecordingTrustManager acceptingEverything() {
        return new RecordingTrustManager(null, null, false);
    }

    /** Notes the call when recording (its text is built only then) and hands it to the side's manager, if any. */
    @Override
    protected void check(boolean client, X509Certificate[] chain, String authType, Via via, Socket socket, SSLEngine engine)
            throws CertificateException {
        if (recording) {
            calls.add((client ? "checkClientTrusted(" : "checkServerTrusted(") + authType
                + (via == Via.NONE ? "" : ", " + via.name().toLowerCase(Locale.ROOT)) + ")");
        }
        X509ExtendedTrustManager target = client ? clients : servers;
        if (target != null) {
            ask(target, client, chain, authType, via, socket, engine);
        }
    }

    /** The client side's issuers (the side EKU Bridge's inbound policy wraps), or none. */
    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return clients == null ? new X509Certificate[0] : clients.getAcceptedIssuers();
    }
}
