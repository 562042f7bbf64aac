package dev.ekubridge.agent;

import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * Inserts, at the start of every {@code engineInit(KeyManager[], TrustManager[], SecureRandom)} of
 * every subclass of {@code javax.net.ssl.SSLContextSpi} (SunJSSE's {@code SSLContextImpl}, BCJSSE's
 * {@code ProvSSLContextSpi}, any other provider's):
 * <pre>
 *   keyManagers = (KeyManager[]) SslContextBridge.keyManagers(keyManagers);
 *   trustManagers = (TrustManager[]) SslContextBridge.trustManagers(trustManagers);
 * </pre>
 * The JDK default context reaches the same method from its constructor, so it is covered too.
 *
 * <p>Why a plain {@link ClassFileTransformer} with Byte Buddy's bundled ASM rather than Byte Buddy's
 * {@code AgentBuilder}: the builder loads about 1,000 classes at start (measured: about 0.9 s on this
 * project's 2-core machine), against a 300 ms budget; this needs a dozen. Subclasses are recognised
 * by name: a superclass is always loaded before its subclasses, so recording every descendant as it
 * passes, seeded with those already loaded, answers "is this an {@code SSLContextSpi}?" without
 * loading anything. The inserted code adds no branch and no local, so stack map frames stay valid.
 */
final class SslContextTransformer implements ClassFileTransformer {
    static final String SPI = "javax/net/ssl/SSLContextSpi";
    private static final String ENGINE_INIT = "engineInit";
    private static final String ENGINE_INIT_DESCRIPTOR =
        "([Ljavax/net/ssl/KeyManager;[Ljavax/net/ssl/TrustManager;Ljava/security/SecureRandom;)V";
    private static final String BRIDGE = BootstrapInjection.BRIDGE.replace('.', '/');

    private final Set<String> descendants = ConcurrentHashMap.newKeySet();

    /** @param loaded internal names of {@code SSLContextSpi} and of its subclasses already loaded */
    SslContextTransformer(Collection<String> loaded) {
        descendants.add(SPI);
        descendants.addAll(loaded);
    }

    @Override
    public byte[] transform(ClassLoader loader, String className, Class<?> redefined, ProtectionDomain domain, byte[] bytes) {
        if (className == null || bytes == null) {
            return null;
        }
        try {
            ClassReader reader = new ClassReader(bytes);
            String superName = reader.getSuperName();
            if (superName == null || !descendants.contains(superName)) {
                return null;
            }
            descendants.add(className);
            return instrument(reader);
        } catch (RuntimeException | LinkageError e) {
            // Never break class loading: the class stays as it was, and the agent says so.
            System.err.println("EKU Bridge agent: cannot instrument " + className.replace('/', '.') + ": " + e);
            return null;
        }
    }

    /** Loads the ASM classes that {@link #instrument} uses by instrumenting a small class of our own. */
    static void warmUp() {
        String resource = "dev/ekubridge/agent/SslContextTransformer$Sample.class";
        try (java.io.InputStream in = SslContextTransformer.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null || instrument(new ClassReader(in)) == null) {
                throw new IllegalStateException("the EKU Bridge agent cannot instrument its own sample class");
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot read " + resource + ": " + e, e);
        }
    }

    /** Shaped like an SSL context, for {@link #warmUp}; never used. */
    @SuppressWarnings("unused")
    private static final class Sample {
        void engineInit(javax.net.ssl.KeyManager[] keyManagers, javax.net.ssl.TrustManager[] trustManagers,
                java.security.SecureRandom random) {
            if (keyManagers == null) {
                return;
            }
        }
    }

    /** The class with the bridge calls inserted, or {@code null} when it declares no concrete {@code engineInit}. */
    static byte[] instrument(ClassReader reader) {
        final boolean[] changed = new boolean[1];
        ClassWriter writer = new ClassWriter(reader, 0);
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                MethodVisitor visitor = super.visitMethod(access, name, descriptor, signature, exceptions);
                boolean concrete = (access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE | Opcodes.ACC_STATIC)) == 0;
                if (!concrete || !ENGINE_INIT.equals(name) || !ENGINE_INIT_DESCRIPTOR.equals(descriptor)) {
                    return visitor;
                }
                changed[0] = true;
                return new MethodVisitor(Opcodes.ASM9, visitor) {
                    @Override
                    public void visitCode() {
                        super.visitCode();
                        replaceArgument(1, "keyManagers", "[Ljavax/net/ssl/KeyManager;");
                        replaceArgument(2, "trustManagers", "[Ljavax/net/ssl/TrustManager;");
                    }

                    private void replaceArgument(int slot, String bridgeMethod, String arrayType) {
                        super.visitVarInsn(Opcodes.ALOAD, slot);
                        super.visitMethodInsn(Opcodes.INVOKESTATIC, BRIDGE, bridgeMethod, "(Ljava/lang/Object;)Ljava/lang/Object;", false);
                        super.visitTypeInsn(Opcodes.CHECKCAST, arrayType);
                        super.visitVarInsn(Opcodes.ASTORE, slot);
                    }

                    @Override
                    public void visitMaxs(int maxStack, int maxLocals) {
                        super.visitMaxs(Math.max(maxStack, 1), maxLocals);
                    }
                };
            }
        }, 0);
        return changed[0] ? writer.toByteArray() : null;
    }
}
