package dev.ekubridge.testsupport.tls;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.Consumer;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;

/**
 * A real TLS handshake between two in-memory {@link SSLEngine}s (no sockets), in the style of the JSSE
 * {@code SSLEngineSimpleDemo} loop.
 *
 * <p>After the handshake the client sends one small application record and the server answers only once it
 * has received it, so {@link HandshakeResult#succeeded()} means: both engines completed the handshake, the server
 * processed everything the client sent (in TLS 1.3 the client believes it is done before the server has
 * judged its certificate), and application data flowed in both directions.
 *
 * <p>When one side throws, its exception is recorded, its pending alert is delivered to the other side so
 * that the peer records its own failure, and the run stops.
 *
 * <pre>{@code
 * HandshakeResult r = Handshake.run(clientCtx, serverCtx, "TLSv1.3", true);
 * assertThat(r.succeeded()).as(r.toString()).isTrue();
 * }</pre>
 */
public final class Handshake {

    /** Host name given to the client engine (and so the session's peer host). */
    public static final String PEER_HOST = "peer.example";
    /** Port given to the client engine. */
    public static final int PEER_PORT = 443;
    /** Upper bound on loop iterations, so a broken engine cannot spin forever. */
    public static final int MAX_ITERATIONS = 200;

    private static final int MAX_IDLE_ITERATIONS = 5;
    private static final byte[] CLIENT_MESSAGE = "ping from client".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SERVER_MESSAGE = "pong from server".getBytes(StandardCharsets.US_ASCII);
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private Handshake() {
    }

    // ------------------------------------------------------------------------------------------------
    // running
    // ------------------------------------------------------------------------------------------------

    /** Runs a handshake with default engine settings. */
    public static HandshakeResult run(SSLContext clientCtx, SSLContext serverCtx, String protocol, boolean needClientAuth) {
        return run(clientCtx, serverCtx, protocol, needClientAuth, null, null);
    }

    /**
     * Runs a handshake; the customizers (either may be null) are applied to the engines after the defaults
     * (protocol, client mode, need-client-auth) so they can override them, e.g. to set SNI or endpoint
     * identification through {@code SSLParameters}.
     */
    public static HandshakeResult run(SSLContext clientCtx, SSLContext serverCtx, String protocol, boolean needClientAuth,
                             Consumer<SSLEngine> clientCustomizer, Consumer<SSLEngine> serverCustomizer) {
        return run(clientCtx, serverCtx, protocol, needClientAuth, PEER_HOST, null, clientCustomizer, serverCustomizer);
    }

    /**
     * As {@link #run(SSLContext, SSLContext, String, boolean, Consumer, Consumer)}, with the peer host each
     * engine is created with (what {@code SSLEngine.getPeerHost()} returns on that side; {@code null} for the
     * server engine means none, as an acceptor that does not know its peer's name).
     */
    public static HandshakeResult run(SSLContext clientCtx, SSLContext serverCtx, String protocol, boolean needClientAuth,
                             String clientPeerHost, String serverPeerHost,
                             Consumer<SSLEngine> clientCustomizer, Consumer<SSLEngine> serverCustomizer) {
        Objects.requireNonNull(protocol, "protocol");
        SSLEngine clientEngine = clientCtx.createSSLEngine(clientPeerHost, PEER_PORT);
        clientEngine.setUseClientMode(true);
        clientEngine.setEnabledProtocols(new String[] {protocol});
        SSLEngine serverEngine = serverPeerHost == null ? serverCtx.createSSLEngine() : serverCtx.createSSLEngine(serverPeerHost, 5061);
        serverEngine.setUseClientMode(false);
        serverEngine.setEnabledProtocols(new String[] {protocol});
        serverEngine.setNeedClientAuth(needClientAuth);
        if (clientCustomizer != null) {
            clientCustomizer.accept(clientEngine);
        }
        if (serverCustomizer != null) {
            serverCustomizer.accept(serverEngine);
        }
        return new Loop(new Side("client", clientEngine, CLIENT_MESSAGE), new Side("server", serverEngine, null)).run(protocol);
    }

    /** One engine with its buffers. */
    private static final class Side {
        final String name;
        final SSLEngine engine;
        /** Application data to send (read mode). */
        ByteBuffer appOut;
        /** Application data received (write mode). */
        ByteBuffer appIn;
        /** Records produced by this side, not yet consumed by the peer (write mode). */
        ByteBuffer netOut;
        Throwable failure;
        boolean sawFinished;

        Side(String name, SSLEngine engine, byte[] initialMessage) {
            this.name = name;
            this.engine = engine;
            SSLSession session = engine.getSession();
            this.appOut = initialMessage == null ? ByteBuffer.allocate(0) : ByteBuffer.wrap(initialMessage.clone());
            this.appIn = ByteBuffer.allocate(session.getApplicationBufferSize() + 64);
            this.netOut = ByteBuffer.allocate(session.getPacketBufferSize());
        }

        boolean received(byte[] expected) {
            if (appIn.position() < expected.length) {
                return false;
            }
            ByteBuffer view = appIn.duplicate();
            view.flip();
            byte[] got = new byte[expected.length];
            view.get(got);
            return java.util.Arrays.equals(got, expected);
        }

        void fail(Throwable t) {
            if (failure == null) {
                failure = t;
            }
        }
    }

    private record Loop(Side client, Side server) {
        HandshakeResult run(String protocol) {
            int iterations = 0;
            boolean stalled = false;
            boolean serverReplied = false;
            int idle = 0;
            while (iterations < MAX_ITERATIONS) {
                iterations++;
                boolean progress = false;
                progress |= wrap(client);
                progress |= wrap(server);
                progress |= unwrap(client, server.netOut);
                progress |= unwrap(server, client.netOut);

                if (!serverReplied && server.failure == null && server.received(CLIENT_MESSAGE)) {
                    serverReplied = true;
                    server.appOut = ByteBuffer.wrap(SERVER_MESSAGE.clone());
                    progress = true;
                }
                for (Side side : new Side[] {client, server}) {
                    if (side.failure == null && side.engine.isInboundDone()) {
                        surfaceDeferred(side);
                    }
                    failIfClosed(side);
                }
                if (client.failure != null || server.failure != null) {
                    settleAfterFailure();
                    break;
                }
                if (done()) {
                    break;
                }
                idle = progress ? 0 : idle + 1;
                if (idle >= MAX_IDLE_ITERATIONS) {
                    stalled = true;
                    break;
                }
            }
            if (iterations >= MAX_ITERATIONS && !done() && client.failure == null && server.failure == null) {
                stalled = true;
            }
            boolean serverGotData = server.received(CLIENT_MESSAGE);
            boolean clientGotData = client.received(SERVER_MESSAGE);
            return new HandshakeResult(protocol, client.failure, server.failure, stalled, iterations,
                    client.sawFinished, server.sawFinished, serverGotData, clientGotData,
                    client.engine.getSession(), server.engine.getSession());
        }

        private boolean done() {
            return client.failure == null && server.failure == null
                    && server.received(CLIENT_MESSAGE) && client.received(SERVER_MESSAGE);
        }

        /**
         * An engine whose inbound and outbound are both done without having thrown ended the connection on an
         * alert (nobody sends close_notify here): record that as its failure.
         */
        private void failIfClosed(Side side) {
            if (side.failure == null && side.engine.isInboundDone() && side.engine.isOutboundDone()) {
                side.fail(new EngineClosedException(side.name + " engine closed without throwing before the"
                        + " exchange completed (an alert was sent or received)"));
            }
        }

        /**
         * Lets each failed side flush its alert and the peer consume it, so that the peer records its own
         * failure. A BCJSSE engine that read or raised a fatal alert returns CLOSED/NEED_WRAP from unwrap and
         * throws the (deferred) exception from its next wrap, so closed-but-not-failed sides are wrapped too.
         */
        private void settleAfterFailure() {
            for (int round = 0; round < 4; round++) {
                boolean progress = false;
                for (Side side : new Side[] {client, server}) {
                    if (side.failure != null) {
                        progress |= flush(side);
                    } else if (side.engine.isInboundDone()) {
                        progress |= surfaceDeferred(side);
                    }
                }
                progress |= unwrap(client, server.netOut);
                progress |= unwrap(server, client.netOut);
                if (!progress) {
                    break;
                }
            }
            failIfClosed(client);
            failIfClosed(server);
        }

        /** Wraps a closed engine once more, even if its outbound is done, to surface a deferred exception. */
        private boolean surfaceDeferred(Side side) {
            try {
                SSLEngineResult r = side.engine.wrap(EMPTY, side.netOut);
                runTasks(side.engine);
                return r.bytesProduced() > 0;
            } catch (Exception e) {
                side.fail(e);
                return true;
            }
        }

        /** Wraps whatever a failed engine still has to say (its fatal alert), ignoring further errors. */
        private boolean flush(Side side) {
            boolean produced = false;
            for (int i = 0; i < 5 && !side.engine.isOutboundDone(); i++) {
                try {
                    SSLEngineResult r = side.engine.wrap(EMPTY, side.netOut);
                    runTasks(side.engine);
                    if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                        side.netOut = grow(side.netOut, side.engine.getSession().getPacketBufferSize());
                        continue;
                    }
                    if (r.bytesProduced() == 0) {
                        break;
                    }
                    produced = true;
                } catch (Exception e) {
                    // a second exception after the recorded failure: nothing more to learn
                    continue;
                }
            }
            return produced;
        }

        /** One wrap step (repeated while the engine asks to wrap again); returns whether anything happened. */
        private boolean wrap(Side side) {
            if (side.failure != null || side.engine.isOutboundDone()) {
                return false;
            }
            boolean progress = false;
            try {
                for (int i = 0; i < 8; i++) {
                    SSLEngineResult r = side.engine.wrap(side.appOut, side.netOut);
                    if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                        side.netOut = grow(side.netOut, side.engine.getSession().getPacketBufferSize());
                        progress = true;
                        continue;
                    }
                    progress |= note(side, r);
                    progress |= runTasks(side.engine);
                    if (r.getStatus() != SSLEngineResult.Status.OK || r.bytesProduced() == 0
                            || side.engine.getHandshakeStatus() != SSLEngineResult.HandshakeStatus.NEED_WRAP) {
                        break;
                    }
                }
            } catch (Exception e) {
                side.fail(e);
                return true;
            }
            return progress;
        }

        /** Feeds the peer's records to this side until they are used up or more data is needed. */
        private boolean unwrap(Side side, ByteBuffer peerNetOut) {
            if (side.engine.isInboundDone()) {
                return false;
            }
            boolean progress = false;
            peerNetOut.flip();
            try {
                for (int i = 0; i < 32 && (peerNetOut.hasRemaining() || needsUnwrap(side)); i++) {
                    SSLEngineResult r = side.engine.unwrap(peerNetOut, side.appIn);
                    if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                        side.appIn = grow(side.appIn, side.engine.getSession().getApplicationBufferSize());
                        progress = true;
                        continue;
                    }
                    progress |= note(side, r);
                    progress |= runTasks(side.engine);
                    if (r.getStatus() != SSLEngineResult.Status.OK) {
                        // BUFFER_UNDERFLOW: wait for more data. CLOSED: an alert was read or raised; SunJSSE
                        // throws right away, BCJSSE defers its exception to the next wrap.
                        progress |= r.getStatus() == SSLEngineResult.Status.CLOSED;
                        break;
                    }
                    if (r.bytesConsumed() == 0 && r.bytesProduced() == 0 && !needsUnwrap(side)) {
                        break;
                    }
                    if (r.bytesConsumed() == 0 && !peerNetOut.hasRemaining()) {
                        break;
                    }
                }
            } catch (Exception e) {
                side.fail(e);
                progress = true;
            } finally {
                peerNetOut.compact();
            }
            return progress;
        }

        private static boolean needsUnwrap(Side side) {
            return side.engine.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_UNWRAP_AGAIN;
        }

        private static boolean note(Side side, SSLEngineResult r) {
            if (r.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.FINISHED) {
                side.sawFinished = true;
            }
            return r.bytesConsumed() > 0 || r.bytesProduced() > 0
                    || r.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.FINISHED;
        }
    }

    /**
     * Recorded as a side's failure when its engine closed (inbound and outbound done) without ever throwing
     * before the exchange completed. Neither SunJSSE nor BCJSSE is expected to do that, but a stack that
     * reports a fatal alert only as {@code Status.CLOSED} still shows up as a failure.
     */
    public static final class EngineClosedException extends SSLException {
        private static final long serialVersionUID = 1L;

        EngineClosedException(String message) {
            super(message);
        }
    }

    private static boolean runTasks(SSLEngine engine) {
        boolean ran = false;
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
            ran = true;
        }
        return ran;
    }

    /** A copy of a write-mode buffer with extra room. */
    private static ByteBuffer grow(ByteBuffer buffer, int atLeast) {
        ByteBuffer bigger = ByteBuffer.allocate(buffer.capacity() + Math.max(atLeast, 1024));
        buffer.flip();
        bigger.put(buffer);
        return bigger;
    }
}
