package dev.ekubridge.agent;

import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.instrument.Instrumentation;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;

/**
 * Puts {@code SslContextBridge} into the bootstrap class loader: copied from the agent jar into a
 * one-class jar that is appended to the bootstrap search path, as the OpenTelemetry and Elastic
 * agents do. The JVM then prints that class data sharing is limited to boot loader classes: archives
 * of application classes (AppCDS, {@code -XX:+AutoCreateSharedArchive}) are not used in that JVM. The
 * class is named by a string on purpose: a class literal here would make the system class loader
 * load its own copy first.
 */
final class BootstrapInjection {
    static final String BRIDGE = "dev.ekubridge.agent.bootstrap.SslContextBridge";

    private BootstrapInjection() {
    }

    static void inject(Instrumentation instrumentation) {
        String resource = BRIDGE.replace('.', '/') + ".class";
        try (InputStream in = BootstrapInjection.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the agent jar lacks " + resource);
            }
            File jar = File.createTempFile("ekubridge-bootstrap-", ".jar");
            jar.deleteOnExit();
            try (JarOutputStream out = new JarOutputStream(new FileOutputStream(jar))) {
                out.putNextEntry(new JarEntry(resource));
                copy(in, out);
                out.closeEntry();
            }
            instrumentation.appendToBootstrapClassLoaderSearch(new JarFile(jar));
        } catch (IOException e) {
            throw new IllegalStateException("cannot put the EKU Bridge bootstrap bridge in place: " + e, e);
        }
    }

    private static void copy(InputStream in, OutputStream out) throws IOException {
        byte[] buffer = new byte[4096];
        for (int n; (n = in.read(buffer)) > 0; ) {
            out.write(buffer, 0, n);
        }
    }
}
