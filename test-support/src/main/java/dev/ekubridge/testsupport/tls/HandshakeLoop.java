package dev.ekubridge.testsupport.tls;

import java.nio.ByteBuffer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;

/**
 * One full mutual-TLS handshake between a client and a server {@link SSLEngine}, records passed
 * through two byte buffers (no sockets), in the style of Netty's {@code SslEngineHandshakeBenchmark}.
 *
 * <p>The loop ends when both engines are done <em>and</em> every record has been read: in TLS 1.3 the
 * client is done before the server has judged the client's certificate, and the server sends its
 * session tickets after that, so stopping at the client's FINISHED would measure half a handshake.
 *
 * <p>Engines are created without a peer host, so a client has no cached session to offer and every
 * handshake is a full one (SunJSSE and BCJSSE look client sessions up by host and port).
 *
 * <p>Buffers are reused across handshakes; one instance per thread. This is the loop the benchmarks measure: no
 * application data and no diagnostics. A test that wants to know why a handshake failed uses {@link Handshake}.
 */
public final class HandshakeLoop {
    private static final int MAX_ROUNDS = 50;
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final String protocol;
    private final ByteBuffer clientToServer;
    private final ByteBuffer serverToClient;
    private final ByteBuffer clientApp;
    private final ByteBuffer serverApp;

    public HandshakeLoop(String protocol) {
        this.protocol = protocol;
        // room for a whole flight: with RSA 2048 the server's flight is a few kilobytes
        this.clientToServer = ByteBuffer.allocate(64 * 1024);
        this.serverToClient = ByteBuffer.allocate(64 * 1024);
        this.clientApp = ByteBuffer.allocate(32 * 1024);
        this.serverApp = ByteBuffer.allocate(32 * 1024);
    }

    /** Runs one handshake with new engines from the two contexts; returns the server's session. */
    public SSLSession run(SSLContext clientContext, SSLContext serverContext) throws SSLException {
        SSLEngine client = clientContext.createSSLEngine();
        client.setUseClientMode(true);
        client.setEnabledProtocols(new String[] {protocol});
        SSLEngine server = serverContext.createSSLEngine();
        server.setUseClientMode(false);
        server.setNeedClientAuth(true);
        server.setEnabledProtocols(new String[] {protocol});
        return run(client, server);
    }

    public SSLSession run(SSLEngine client, SSLEngine server) throws SSLException {
        clientToServer.clear();
        serverToClient.clear();
        client.beginHandshake();
        server.beginHandshake();
        for (int round = 0; round < MAX_ROUNDS; round++) {
            wrap(client, clientToServer);
            wrap(server, serverToClient);
            clientToServer.flip();
            serverToClient.flip();
            unwrap(client, serverToClient, clientApp);
            unwrap(server, clientToServer, serverApp);
            clientToServer.compact();
            serverToClient.compact();
            if (done(client) && done(server) && clientToServer.position() == 0 && serverToClient.position() == 0) {
                return server.getSession();
            }
        }
        throw new SSLException("handshake did not finish in " + MAX_ROUNDS + " rounds: client " + client.getHandshakeStatus()
            + ", server " + server.getHandshakeStatus());
    }

    private static boolean done(SSLEngine engine) {
        HandshakeStatus status = engine.getHandshakeStatus();
        return status == HandshakeStatus.NOT_HANDSHAKING || status == HandshakeStatus.FINISHED;
    }

    private static void wrap(SSLEngine engine, ByteBuffer out) throws SSLException {
        while (true) {
            runTasks(engine);
            if (engine.getHandshakeStatus() != HandshakeStatus.NEED_WRAP) {
                return;
            }
            if (engine.wrap(EMPTY, out).bytesProduced() == 0 && engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
                throw new SSLException("wrap made no progress (" + engine.getHandshakeStatus() + ")");
            }
        }
    }

    private static void unwrap(SSLEngine engine, ByteBuffer in, ByteBuffer app) throws SSLException {
        while (in.hasRemaining()) {
            app.clear();
            int consumed = engine.unwrap(in, app).bytesConsumed();
            runTasks(engine);
            if (consumed == 0) {
                return; // a partial record: the rest comes in the next round
            }
        }
    }

    private static void runTasks(SSLEngine engine) {
        Runnable task;
        while (engine.getHandshakeStatus() == HandshakeStatus.NEED_TASK && (task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }
}
