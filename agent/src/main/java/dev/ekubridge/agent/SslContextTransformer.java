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
 * Inserts, at the start of every concrete {@code engineInit(KeyManager[], TrustManager[], SecureRandom)}
 * (the {@code SSLContextSpi} method: SunJSSE's {@code SSLContextImpl}, BCJSSE's {@code ProvSSLContextSpi},
 * any other provider's):
 * <pre>
 *   keyManagers = (KeyManager[]) SslContextBridge.keyManagers(keyManagers);
 *   trustManagers = (TrustManager[]) SslContextBridge.trustManagers(trustManagers);
 * </pre>
 * The JDK default context reaches the same method from its constructor, so it is covered too.
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
final class SslContextTransformer implements ClassFileTransformer {
    /** Made before the transformer is registered ({@link Instrumenter}), after {@link AgentLog#configure}. */
    private static final Logger LOG = AgentLog.get();
    private static final String ENGINE_INIT = "engineInit";
    private static final String ENGINE_INIT_DESCRIPTOR =
        "([Ljavax/net/ssl/KeyManager;[Ljavax/net/ssl/TrustManager;Ljava/security/SecureRandom;)V";
    private static final byte[] DESCRIPTOR_BYTES = ENGINE_INIT_DESCRIPTOR.getBytes(StandardCharsets.US_ASCII);
    private static final String BRIDGE = BootstrapInjection.BRIDGE.replace('.', '/');

    @Override
    public byte[] transform(ClassLoader loader, String className, Class<?> redefined, ProtectionDomain domain, byte[] bytes) {
        if (className == null || bytes == null || !contains(bytes, DESCRIPTOR_BYTES)) {
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
