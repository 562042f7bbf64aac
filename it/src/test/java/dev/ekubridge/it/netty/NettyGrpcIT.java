package dev.ekubridge.it.netty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ekubridge.it.support.AgentLog;
import dev.ekubridge.it.support.Pki;
import dev.ekubridge.it.support.Work;
import dev.ekubridge.testsupport.process.Jdk;
import dev.ekubridge.testsupport.process.Processes;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * gRPC on grpc-netty-shaded (issue 9): its relocated Netty drives the application's factories' managers over its own
 * relocated BoringSSL, and calls the same JDK {@code KeyManagerFactory}/{@code TrustManagerFactory} methods, so the
 * agent reaches it too. An unmodified gRPC server requiring client certificates, under the agent with
 * {@code inbound.eku=lenient}, accepts a client presenting a public serverAuth-only certificate; alone, it refuses
 * that client (the JDK's PKIX trust manager demands clientAuth). The client is a gRPC client in the test JVM.
 */
class NettyGrpcIT extends NettyTest {
    static Stream<Arguments> cases() {
        List<Arguments> all = new ArrayList<>();
        for (Jdk jdk : Jdk.values()) {
            all.add(Arguments.of(jdk, true));
            all.add(Arguments.of(jdk, false));
        }
        return all.stream();
    }

    @ParameterizedTest(name = "JDK {0}, agent with inbound.eku=lenient: {1}")
    @MethodSource("cases")
    void grpcServerAcceptsAServerAuthOnlyClientUnderTheLenientAgent(Jdk jdk, boolean agent) throws Exception {
        Path dir = Work.dir("NettyGrpcIT", jdk.name(), agent ? "lenient" : "no-agent");
        try (Processes processes = new Processes()) {
            AppProcess server = AppProcess.start(processes, dir, "grpc-server", jdk, GrpcServerApp.class,
                agent ? NettyPki.agentWithPolicy("lenient") : null, pki.appTls());
            int port = server.awaitReady();
            assertThat(server.value("OPENSSL_AVAILABLE")).as("gRPC's shaded BoringSSL\n%s", server.transcript()).isEqualTo("true");
            assertThat(server.value("SSL_CONTEXT")).isEqualTo("io.grpc.netty.shaded.io.netty.handler.ssl.OpenSslServerContext");

            Called called = call(port, pki.peerPublic);
            if (agent) {
                assertThat(called.status().isOk()).as("gRPC call with a serverAuth-only client certificate: %s\n%s", called,
                    server.transcript()).isTrue();
                assertThat(called.reply()).isEqualTo("echo hello");
                Map<String, String> seen = callReport(server, 1);
                assertThat(seen.get("SERVER_SAW_CLIENT_SERIAL")).isEqualTo(pki.peerPublic.serialHex());
                AgentLog.Decision decision = server.process().awaitErr(0, l -> AgentLog.decision(l).isPresent(), LOG_WAIT)
                    .flatMap(AgentLog::decision).orElseThrow(() -> new AssertionError("no decision\n" + server.transcript()));
                assertThat(decision.direction() + " " + decision.serial() + " " + decision.detail() + " " + decision.mode())
                    .isEqualTo("inbound " + pki.peerPublic.serialHex() + " serverAuth instead of clientAuth lenient");
                assertThat(server.decisions()).hasSize(1);
            } else {
                assertThat(called.status().isOk()).as("refused without the agent: %s", called).isFalse();
                assertThat(called.status().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                assertThat(server.value("CALL1_RESULT")).isNull();
                assertThat(server.handshakeLines()).isEmpty();
            }
        }
    }

    private static Map<String, String> callReport(AppProcess server, int number) {
        String prefix = "CALL" + number + "_";
        if (server.await(prefix + "RESULT", WAIT).isEmpty()) {
            throw new AssertionError("no call reported\n" + server.transcript());
        }
        Map<String, String> values = new java.util.LinkedHashMap<>();
        server.values().forEach((key, value) -> {
            if (key.startsWith(prefix)) {
                values.put(key.substring(prefix.length()), value);
            }
        });
        return values;
    }

    record Called(Status status, String reply) {
    }

    /** One call from a stock gRPC client (its default provider, OPENSSL) presenting {@code client}'s key store. */
    private Called call(int port, Pki.Leaf client) throws Exception {
        char[] password = Pki.PASSWORD.toCharArray();
        SslContext context = GrpcSslContexts.forClient()
            .keyManager(AppTls.keyManagerFactory(client.p12().toString(), password))
            .trustManager(AppTls.trustManagerFactory(pki.trust.p12().toString(), password))
            .build();
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port).sslContext(context).build();
        try {
            ClientCall<String, String> call = channel.newCall(GrpcEcho.SAY, CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS));
            AtomicReference<String> reply = new AtomicReference<>();
            CompletableFuture<Status> closed = new CompletableFuture<>();
            call.start(new ClientCall.Listener<String>() {
                @Override
                public void onMessage(String message) {
                    reply.set(message);
                }

                @Override
                public void onClose(Status status, Metadata trailers) {
                    closed.complete(status);
                }
            }, new Metadata());
            call.request(1);
            call.sendMessage("hello");
            call.halfClose();
            return new Called(closed.get(WAIT.toSeconds(), TimeUnit.SECONDS), reply.get());
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
