package dev.ekubridge.agent.cli;

import java.nio.ByteBuffer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;

/**
 * One full mutual-TLS handshake between a client and a server {@link SSLEngine}, records passed through two
 * byte buffers (no sockets), for {@code bench}. The same loop as the benchmarks' (test-support's
 * {@code HandshakeLoop}), kept here because the agent jar carries no test code: it ends when both engines are
 * done and every record has been read (in TLS 1.3 the server judges the client's certificate and sends its
 * session tickets after the client is done), and engines are made without a peer host, so every handshake is
 * a full one. Buffers are reused; one instance per thread.
 */
final class EngineLoop {
    private static final int MAX_ROUNDS = 50;
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final ByteBuffer clientToServer = ByteBuffer.allocate(64 * 1024);
    private final ByteBuffer serverToClient = ByteBuffer.allocate(64 * 1024);
    private final ByteBuffer clientApp = ByteBuffer.allocate(32 * 1024);
    private final ByteBuffer serverApp = ByteBuffer.allocate(32 * 1024);

    /** One handshake with new engines from the two contexts; returns them, done (client first). */
    SSLEngine[] run(SSLContext clientContext, SSLContext serverContext) throws SSLException {
        SSLEngine client = clientContext.createSSLEngine();
        client.setUseClientMode(true);
        SSLEngine server = serverContext.createSSLEngine();
        server.setUseClientMode(false);
        server.setNeedClientAuth(true);
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
                return new SSLEngine[] {client, server};
            }
        }
        throw new SSLException("the handshake did not finish in " + MAX_ROUNDS + " rounds: client " + client.getHandshakeStatus()
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
