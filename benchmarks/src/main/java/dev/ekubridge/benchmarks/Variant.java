package dev.ekubridge.benchmarks;

import dev.ekubridge.testsupport.tls.HandshakeLoop;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

/** One way of setting up both sides of an interleaved handshake, and the client certificate the server must see. */
record Variant(String name, SSLContext client, SSLContext server, X509Certificate expectedClient) {

    /** Before measuring: the variant completes full handshakes (new sessions) in which the server sees the expected client. */
    void verify(HandshakeLoop loop, String protocol) throws SSLException {
        Set<String> ids = new HashSet<>();
        Set<Object> sessions = Collections.newSetFromMap(new IdentityHashMap<>());
        int withId = 0;
        for (int i = 0; i < 3; i++) {
            var session = loop.run(client, server);
            if (!protocol.equals(session.getProtocol())) {
                throw new IllegalStateException(name + " negotiated " + session.getProtocol() + ", not " + protocol);
            }
            if (!session.getPeerCertificates()[0].equals(expectedClient)) {
                throw new IllegalStateException(name + ": the server saw another client certificate");
            }
            sessions.add(session);
            if (session.getId().length > 0) {
                withId++;
                ids.add(Arrays.toString(session.getId()));
            }
        }
        // TLS 1.3 has no session IDs: BCJSSE then gives an empty one; a resumed session would be the cached object
        if (ids.size() != withId || sessions.size() != 3) {
            throw new IllegalStateException(name + ": a session was resumed");
        }
    }

    /** Whether the server accepts the client in a handshake and sees the expected certificate. */
    boolean accepted(HandshakeLoop loop) {
        try {
            return loop.run(client, server).getPeerCertificates()[0].equals(expectedClient);
        } catch (SSLException refused) {
            if (Boolean.getBoolean("interleaved.debug")) {
                refused.printStackTrace();
            }
            return false;
        }
    }
}
