package dev.ekubridge.it.netty;

import dev.ekubridge.testsupport.tls.Loopback;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.OpenSsl;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * An unmodified gRPC server on grpc-netty-shaded (its own relocated Netty and BoringSSL), as applications write one:
 * {@code GrpcSslContexts.configure(SslContextBuilder.forServer(kmf)).trustManager(tmf).clientAuth(REQUIRE)}, with
 * gRPC's default provider (OPENSSL whenever the shaded BoringSSL loads). It serves {@link GrpcEcho#SAY} on 127.0.0.1
 * until its standard input ends.
 *
 * <p>Arguments: {@code --keystore P12 --truststore P12 --password PW}. It prints {@code OPENSSL_AVAILABLE},
 * {@code SSL_CONTEXT}, {@code PORT}, {@code READY=true}, then for the Nth call {@code CALL<N>_PROTOCOL},
 * {@code CALL<N>_SERVER_SAW_CLIENT_SERIAL} and {@code CALL<N>_RESULT=OK}. (A refused handshake never becomes a call:
 * gRPC does not tell the application.)
 */
public final class GrpcServerApp {
    private GrpcServerApp() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> named = AppTls.arguments(args);
        char[] password = AppTls.required(named, "password").toCharArray();
        System.out.println("OPENSSL_AVAILABLE=" + OpenSsl.isAvailable());
        SslContext context = GrpcSslContexts.configure(SslContextBuilder.forServer(
                AppTls.keyManagerFactory(AppTls.required(named, "keystore"), password)))
            .trustManager(AppTls.trustManagerFactory(AppTls.required(named, "truststore"), password))
            .clientAuth(ClientAuth.REQUIRE)
            .build();
        System.out.println("SSL_CONTEXT=" + context.getClass().getName());

        AtomicInteger calls = new AtomicInteger();
        ServerServiceDefinition echo = ServerServiceDefinition.builder("ekubridge.it.Echo")
            .addMethod(GrpcEcho.SAY, (ServerCall<String, String> call, Metadata headers) -> {
                call.request(1);
                return new ServerCall.Listener<String>() {
                    @Override
                    public void onMessage(String message) {
                        report(calls.incrementAndGet(), call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION));
                        call.sendHeaders(new Metadata());
                        call.sendMessage("echo " + message);
                        call.close(Status.OK, new Metadata());
                    }
                };
            })
            .build();
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .sslContext(context)
            .addService(echo)
            .build()
            .start();
        System.out.println("PORT=" + server.getPort());
        System.out.println("READY=true");
        System.out.flush();
        InputStream in = System.in;
        byte[] buffer = new byte[256];
        while (in.read(buffer) >= 0) {
            // serve until the input ends
        }
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        System.exit(0);
    }

    private static synchronized void report(int number, SSLSession session) {
        String prefix = "CALL" + number + "_";
        if (session == null) {
            System.out.println(prefix + "RESULT=FAIL no TLS session");
            return;
        }
        Loopback.print(prefix + "PROTOCOL", session.getProtocol());
        try {
            Loopback.print(prefix + "SERVER_SAW_CLIENT_SERIAL", Loopback.serial(session.getPeerCertificates()));
        } catch (SSLPeerUnverifiedException e) {
            Loopback.print(prefix + "SERVER_SAW_CLIENT_SERIAL", "none");
        }
        System.out.println(prefix + "RESULT=OK");
        System.out.flush();
    }
}
