package dev.ekubridge.it.netty;

import dev.ekubridge.testsupport.tls.Loopback;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.string.StringDecoder;
import io.netty.handler.codec.string.StringEncoder;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSession;

/**
 * An unmodified Netty 4.2 TLS client, as applications write one: {@code SslContextBuilder.forClient().keyManager(kmf)
 * .trustManager(tmf)} over its own key store (its public, serverAuth-only certificate: the only one it has) and trust
 * store, with {@code SslProvider.OPENSSL} or {@code JDK}. It connects once to 127.0.0.1:PORT, sends {@code hello},
 * reads the answer, and exits (0 when the answer was {@code echo hello}).
 *
 * <p>Arguments: {@code --provider OPENSSL|JDK --keystore P12 --truststore P12 --password PW --port N}. It prints
 * {@code KEY=value} lines as {@link Loopback} does: {@code PROVIDER}, {@code OPENSSL_AVAILABLE}, {@code SSL_CONTEXT},
 * then {@code PROTOCOL}, {@code CLIENT_PRESENTED}, {@code CLIENT_SAW_SERVER_SERIAL}, {@code REPLY},
 * {@code CLIENT_FAILURE} and last {@code RESULT=OK} or {@code RESULT=FAIL reason}. With TLS 1.3 a client's handshake
 * ends before the server has judged its certificate: a refusal then shows as a failure to read the answer.
 */
public final class NettyClientApp {
    private NettyClientApp() {
    }

    public static void main(String[] args) {
        Loopback.main("NettyClientApp", () -> run(AppTls.arguments(args)));
    }

    private static boolean run(Map<String, String> named) throws Exception {
        SslProvider provider = SslProvider.valueOf(AppTls.required(named, "provider"));
        char[] password = AppTls.required(named, "password").toCharArray();
        int port = Integer.parseInt(AppTls.required(named, "port"));
        System.out.println("PROVIDER=" + provider);
        System.out.println("OPENSSL_AVAILABLE=" + OpenSsl.isAvailable()
            + (OpenSsl.isAvailable() ? "" : " " + Loopback.describe(OpenSsl.unavailabilityCause())));
        SslContext context = SslContextBuilder.forClient()
            .keyManager(AppTls.keyManagerFactory(AppTls.required(named, "keystore"), password))
            .trustManager(AppTls.trustManagerFactory(AppTls.required(named, "truststore"), password))
            .sslProvider(provider)
            .build();
        System.out.println("SSL_CONTEXT=" + context.getClass().getName());

        CompletableFuture<String> reply = new CompletableFuture<>();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        String failure = null;
        String answer = null;
        try {
            SslHandler[] tls = new SslHandler[1];
            Channel channel = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        tls[0] = context.newHandler(ch.alloc(), "127.0.0.1", port);
                        ch.pipeline().addLast(tls[0], new LineBasedFrameDecoder(1024), new StringDecoder(StandardCharsets.UTF_8),
                            new StringEncoder(StandardCharsets.UTF_8), new SimpleChannelInboundHandler<String>() {
                                @Override
                                protected void channelRead0(ChannelHandlerContext ctx, String line) {
                                    reply.complete(line);
                                }

                                @Override
                                public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                    reply.completeExceptionally(cause);
                                    ctx.close();
                                }

                                @Override
                                public void channelInactive(ChannelHandlerContext ctx) {
                                    reply.completeExceptionally(new IllegalStateException("connection closed without a reply"));
                                }
                            });
                    }
                })
                .connect("127.0.0.1", port).sync().channel();
            try {
                tls[0].handshakeFuture().get(Loopback.TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
                SSLSession session = tls[0].engine().getSession();
                Loopback.print("PROTOCOL", session.getProtocol());
                Loopback.print("CLIENT_PRESENTED", Loopback.serial(session.getLocalCertificates()));
                Loopback.print("CLIENT_SAW_SERVER_SERIAL", Loopback.serial(session.getPeerCertificates()));
                channel.writeAndFlush("hello\n");
                answer = reply.get(Loopback.TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                failure = Loopback.describe(e.getCause());
            } catch (Exception e) {
                failure = Loopback.describe(e);
            }
            channel.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
        Loopback.print("REPLY", answer);
        Loopback.print("CLIENT_FAILURE", failure);
        boolean ok = failure == null && "echo hello".equals(answer);
        System.out.println("RESULT=" + (ok ? "OK" : "FAIL " + (failure != null ? failure : "unexpected reply " + answer)));
        return ok;
    }
}
