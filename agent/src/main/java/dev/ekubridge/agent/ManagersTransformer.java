package dev.ekubridge.agent;

import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.nio.charset.StandardCharsets;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import org.slf4j.Logger;

/**
 * Hands the application's key and trust managers to the bridge wherever an application or an engine can
 * obtain them: when an {@code SSLContext} is initialised, and when a {@code KeyManagerFactory} or
 * {@code TrustManagerFactory} hands them out (Netty's and gRPC's OpenSSL engines never create an
 * {@code SSLContext}; they drive the factories' managers themselves).
 *
 * <p>Inserts, at the start of every concrete {@code engineInit(KeyManager[], TrustManager[], SecureRandom)}
 * (the {@code SSLContextSpi} method: SunJSSE's {@code SSLContextImpl}, BCJSSE's {@code ProvSSLContextSpi},
 * any other provider's):
 * <pre>
 *   keyManagers = (KeyManager[]) SslContextBridge.keyManagers(keyManagers);
 *   trustManagers = (TrustManager[]) SslContextBridge.trustManagers(trustManagers);
 * </pre>
 * The JDK default context reaches the same method from its constructor, so it is covered too. And
 * before every return of the JDK's final {@code KeyManagerFactory.getKeyManagers()} and
 * {@code TrustManagerFactory.getTrustManagers()}, whichever provider's factory it fronts:
 * <pre>
 *   return (KeyManager[]) SslContextBridge.factoryKeyManagers(managers);
 *   return (TrustManager[]) SslContextBridge.factoryTrustManagers(managers);
 * </pre>
 *
 * <p>Classes are recognised by that method, not by their superclass: a class is handed to the
 * transformer before its superclass is loaded, so the hierarchy is not known yet. A byte search for
 * the method's descriptor skips every other class before anything is parsed. The inserted code adds
 * no branch and no local, so stack map frames stay valid.
 *
 * <p>A class that cannot be instrumented is left as it was, with a warning on the agent's log
 * ({@code ekubridge.agent}, so in {@code log.file} when it is set).
 *
 * <p>Why a plain {@link ClassFileTransformer} with Byte Buddy's bundled ASM rather than Byte Buddy's
 * {@code AgentBuilder}: the builder loads about 1,000 classes at start (measured: about 0.9 s on this
 * project's 2-core machine), against a 300 ms budget; this needs a dozen.
 */
final class ManagersTransformer implements ClassFileTransformer {
    /** Made before the transformer is registered ({@link Instrumenter}), after {@link AgentLog#configure}. */
    private static final Logger LOG = AgentLog.get();
    private static final String ENGINE_INIT = "engineInit";
    private static final String ENGINE_INIT_DESCRIPTOR =
        "([Ljavax/net/ssl/KeyManager;[Ljavax/net/ssl/TrustManager;Ljava/security/SecureRandom;)V";
    private static final byte[] DESCRIPTOR_BYTES = ENGINE_INIT_DESCRIPTOR.getBytes(StandardCharsets.US_ASCII);
    private static final String BRIDGE = BootstrapInjection.BRIDGE.replace('.', '/');
    private static final String KEY_MANAGER_FACTORY = "javax/net/ssl/KeyManagerFactory";
    private static final String TRUST_MANAGER_FACTORY = "javax/net/ssl/TrustManagerFactory";

    @Override
    public byte[] transform(ClassLoader loader, String className, Class<?> redefined, ProtectionDomain domain, byte[] bytes) {
        if (className == null || bytes == null) {
            return null;
        }
        if (loader == null && (KEY_MANAGER_FACTORY.equals(className) || TRUST_MANAGER_FACTORY.equals(className))) {
            try {
                return instrumentFactory(new ClassReader(bytes));
            } catch (RuntimeException | LinkageError e) {
                LOG.warn("cannot instrument {}: {}", className.replace('/', '.'), e.toString());
                return null;
            }
        }
        if (!contains(bytes, DESCRIPTOR_BYTES)) {
            return null;
        }
        try {
            // The descriptor also appears in classes that merely call SSLContext.init: instrument first.
            byte[] instrumented = instrument(new ClassReader(bytes));
            if (instrumented != null && !seesBridge(loader)) {
                LOG.warn("{} is left unchanged: its class loader {} does not delegate {} to the boot loader (OSGi: add"
                    + " dev.ekubridge.agent.bootstrap to org.osgi.framework.bootdelegation; JBoss Modules: to jboss.modules.system.pkgs)",
                    className.replace('/', '.'), loader, BootstrapInjection.BRIDGE);
                return null;
            }
            return instrumented;
        } catch (RuntimeException | LinkageError e) {
            // Never break class loading: the class stays as it was, and the agent says so.
            LOG.warn("cannot instrument {}: {}", className.replace('/', '.'), e.toString());
            return null;
        }
    }

    /** Whether code defined by {@code loader} resolves the bridge to the boot loader's copy. */
    private static boolean seesBridge(ClassLoader loader) {
        if (loader == null) {
            return true;
        }
        try {
            return Class.forName(BootstrapInjection.BRIDGE, false, loader).getClassLoader() == null;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    static boolean contains(byte[] bytes, byte[] wanted) {
        int last = bytes.length - wanted.length;
        byte first = wanted[0];
        for (int i = 0; i <= last; i++) {
            if (bytes[i] != first) {
                continue;
            }
            int j = 1;
            while (j < wanted.length && bytes[i + j] == wanted[j]) {
                j++;
            }
            if (j == wanted.length) {
                return true;
            }
        }
        return false;
    }

    /** Loads the ASM classes that {@link #instrument} uses by instrumenting a small class of our own. */
    static void warmUp() {
        String resource = "dev/ekubridge/agent/ManagersTransformer$Sample.class";
        try (java.io.InputStream in = ManagersTransformer.class.getClassLoader().getResourceAsStream(resource)) {
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

    /**
     * {@code KeyManagerFactory} or {@code TrustManagerFactory} with the bridge call inserted before each return
     * of {@code getKeyManagers()} / {@code getTrustManagers()}, or {@code null} when the method is not there.
     */
    static byte[] instrumentFactory(ClassReader reader) {
        final boolean trust = TRUST_MANAGER_FACTORY.equals(reader.getClassName());
        final String method = trust ? "getTrustManagers" : "getKeyManagers";
        final String arrayType = trust ? "[Ljavax/net/ssl/TrustManager;" : "[Ljavax/net/ssl/KeyManager;";
        return new MethodRewriter() {
            @Override
            MethodVisitor rewrite(int access, String name, String descriptor, MethodVisitor visitor) {
                if (!method.equals(name) || !("()" + arrayType).equals(descriptor) || (access & Opcodes.ACC_STATIC) != 0) {
                    return null;
                }
                return new MethodVisitor(Opcodes.ASM9, visitor) {
                    @Override
                    public void visitInsn(int opcode) {
                        if (opcode == Opcodes.ARETURN) {
                            super.visitMethodInsn(Opcodes.INVOKESTATIC, BRIDGE, trust ? "factoryTrustManagers" : "factoryKeyManagers",
                                "(Ljava/lang/Object;)Ljava/lang/Object;", false);
                            super.visitTypeInsn(Opcodes.CHECKCAST, arrayType);
                        }
                        super.visitInsn(opcode);
                    }
                };
            }
        }.apply(reader);
    }

    /** The class with the bridge calls inserted, or {@code null} when it declares no concrete {@code engineInit}. */
    static byte[] instrument(ClassReader reader) {
        return new MethodRewriter() {
            @Override
            MethodVisitor rewrite(int access, String name, String descriptor, MethodVisitor visitor) {
                boolean concrete = (access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE | Opcodes.ACC_STATIC)) == 0;
                if (!concrete || !ENGINE_INIT.equals(name) || !ENGINE_INIT_DESCRIPTOR.equals(descriptor)) {
                    return null;
                }
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
        }.apply(reader);
    }

    /** One pass over a class that rewrites the methods {@link #rewrite} picks. */
    private abstract static class MethodRewriter {
        /** A visitor that rewrites the method into {@code visitor}, or {@code null} to leave the method as it is. */
        abstract MethodVisitor rewrite(int access, String name, String descriptor, MethodVisitor visitor);

        private boolean changed;

        /** The rewritten class, or {@code null} when no method was picked. */
        final byte[] apply(ClassReader reader) {
            ClassWriter writer = new ClassWriter(reader, 0);
            reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
                @Override
                public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                    MethodVisitor visitor = super.visitMethod(access, name, descriptor, signature, exceptions);
                    MethodVisitor rewriting = rewrite(access, name, descriptor, visitor);
                    if (rewriting == null) {
                        return visitor;
                    }
                    changed = true;
                    return rewriting;
                }
            }, 0);
            return changed ? writer.toByteArray() : null;
        }
    }
}
