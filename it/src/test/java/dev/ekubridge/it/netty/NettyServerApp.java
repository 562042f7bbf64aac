package dev.ekubridge.it.netty;

import dev.ekubridge.testsupport.tls.Loopback;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.string.StringDecoder;
import io.netty.handler.codec.string.StringEncoder;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLSession;

/**
 * An unmodified Netty 4.2 TLS server, as applications write one: {@code SslContextBuilder.forServer(kmf)
 * .trustManager(tmf).clientAuth(ClientAuth.REQUIRE)} over its own key store (its public, serverAuth-only
 * certificate) and trust store, with {@code SslProvider.OPENSSL} (BoringSSL, netty-tcnative) or {@code JDK}. It
 * listens on 127.0.0.1 (an ephemeral port), answers each line with {@code echo LINE}, and serves until its standard
 * input ends.
 *
 * <p>Arguments: {@code --provider OPENSSL|JDK --keystore P12 --truststore P12 --password PW}. It prints
 * {@code KEY=value} lines as {@link Loopback} does: first {@code PROVIDER}, {@code OPENSSL_AVAILABLE},
 * {@code SSL_CONTEXT} (the context's class), {@code PORT}, then {@code READY=true}; then for the Nth connection,
 * when its handshake has ended, {@code CONN<N>_PROTOCOL}, {@code CONN<N>_SERVER_PRESENTED},
 * {@code CONN<N>_SERVER_SAW_CLIENT_SERIAL}, {@code CONN<N>_SERVER_FAILURE} (the exception and its causes) and last
 * {@code CONN<N>_RESULT=OK} or {@code CONN<N>_RESULT=FAIL reason}.
 */
public final class NettyServerApp {
    private NettyServerApp() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> named = AppTls.arguments(args);
        SslProvider provider = SslProvider.valueOf(AppTls.required(named, "provider"));
        char[] password = AppTls.required(named, "password").toCharArray();
        System.out.println("PROVIDER=" + provider);
        System.out.println("OPENSSL_AVAILABLE=" + OpenSsl.isAvailable()
            + (OpenSsl.isAvailable() ? "" : " " + Loopback.describe(OpenSsl.unavailabilityCause())));
        SslContext context = SslContextBuilder.forServer(AppTls.keyManagerFactory(AppTls.required(named, "keystore"), password))
            .trustManager(AppTls.trustManagerFactory(AppTls.required(named, "truststore"), password))
            .clientAuth(ClientAuth.REQUIRE)
            .sslProvider(provider)
            .build();
        System.out.println("SSL_CONTEXT=" + context.getClass().getName());

        AtomicInteger connections = new AtomicInteger();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        int number = connections.incrementAndGet();
                        SslHandler tls = context.newHandler(channel.alloc());
                        channel.pipeline().addLast(tls, new LineBasedFrameDecoder(1024),
                            new StringDecoder(StandardCharsets.UTF_8), new StringEncoder(StandardCharsets.UTF_8), new Echo());
                        tls.handshakeFuture().addListener(done -> report(number, tls, done.isSuccess() ? null : done.cause()));
                    }
                })
                .bind("127.0.0.1", 0).sync().channel();
            System.out.println("PORT=" + ((InetSocketAddress) server.localAddress()).getPort());
            System.out.println("READY=true");
            System.out.flush();
            awaitEndOfInput();
            server.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
        System.exit(0);
    }

    private static synchronized void report(int number, SslHandler tls, Throwable failure) {
        String prefix = "CONN" + number + "_";
        SSLSession session = tls.engine().getSession();
        if (failure == null) {
            Loopback.print(prefix + "PROTOCOL", session.getProtocol());
            Loopback.print(prefix + "SERVER_PRESENTED", Loopback.serial(session.getLocalCertificates()));
            try {
                Loopback.print(prefix + "SERVER_SAW_CLIENT_SERIAL", Loopback.serial(session.getPeerCertificates()));
            } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
                Loopback.print(prefix + "SERVER_SAW_CLIENT_SERIAL", "none");
            }
            System.out.println(prefix + "RESULT=OK");
        } else {
            String text = Loopback.describe(failure);
            Loopback.print(prefix + "SERVER_FAILURE", text);
            Loopback.print(prefix + "RESULT", "FAIL " + text);
        }
        System.out.flush();
    }

    private static void awaitEndOfInput() throws java.io.IOException {
        InputStream in = System.in;
        byte[] buffer = new byte[256];
        while (in.read(buffer) >= 0) {
            // commands are not needed: the server serves until its input ends
        }
    }

    /** Answers each line, then closes; swallows what a failed handshake fires down the pipeline (reported above). */
    private static final class Echo extends SimpleChannelInboundHandler<String> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, String line) {
            ctx.writeAndFlush("echo " + line + "\n").addListener(f -> ctx.close());
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
