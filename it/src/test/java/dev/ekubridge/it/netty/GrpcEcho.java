package dev.ekubridge.it.netty;

import io.grpc.MethodDescriptor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The one unary method {@code ekubridge.it.Echo/Say} of the gRPC fixture, UTF-8 strings in and out (no protobuf). */
final class GrpcEcho {
    static final MethodDescriptor<String, String> SAY = MethodDescriptor.<String, String>newBuilder()
        .setType(MethodDescriptor.MethodType.UNARY)
        .setFullMethodName(MethodDescriptor.generateFullMethodName("ekubridge.it.Echo", "Say"))
        .setRequestMarshaller(new Utf8())
        .setResponseMarshaller(new Utf8())
        .build();

    private GrpcEcho() {
    }

    private static final class Utf8 implements MethodDescriptor.Marshaller<String> {
        @Override
        public InputStream stream(String value) {
            return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String parse(InputStream stream) {
            try {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
