package dev.ekubridge.agent.apps;

import java.io.InputStream;
import java.security.SecureRandom;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * Two classes defined by a class loader that, like OSGi without boot delegation, does not delegate
 * dev.ekubridge.agent.bootstrap.* to the boot loader: CallsInit only calls SSLContext.init (whose
 * descriptor equals engineInit's), OwnSpi declares engineInit. Prints CALLS_INIT_RAN and OWN_SPI_LOADED.
 */
public final class NonDelegatingLoaderApp {
    private NonDelegatingLoaderApp() {
    }

    public static void main(String[] args) throws Exception {
        ClassLoader loader = new NoBootDelegation(NonDelegatingLoaderApp.class.getClassLoader());
        Runnable calls = (Runnable) Class.forName(NonDelegatingLoaderApp.class.getName() + "$CallsInit", true, loader)
            .getDeclaredConstructor().newInstance();
        calls.run();
        System.out.println("CALLS_INIT_RAN=true");
        Class.forName(NonDelegatingLoaderApp.class.getName() + "$OwnSpi", true, loader);
        System.out.println("OWN_SPI_LOADED=true");
    }

    static final class NoBootDelegation extends ClassLoader {
        NoBootDelegation(ClassLoader parent) {
            super(parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.startsWith("dev.ekubridge.agent.bootstrap.")) {
                throw new ClassNotFoundException(name + " (not delegated)");
            }
            if (name.startsWith(NonDelegatingLoaderApp.class.getName() + "$") && !name.endsWith("$NoBootDelegation")) {
                synchronized (getClassLoadingLock(name)) {
                    Class<?> type = findLoadedClass(name);
                    if (type == null) {
                        try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
                            byte[] bytes = in.readAllBytes();
                            type = defineClass(name, bytes, 0, bytes.length);
                        } catch (java.io.IOException e) {
                            throw new ClassNotFoundException(name, e);
                        }
                    }
                    return type;
                }
            }
            return super.loadClass(name, resolve);
        }
    }

    public static final class CallsInit implements Runnable {
        public CallsInit() {
        }

        @Override
        public void run() {
            try {
                SSLContext.getInstance("TLS").init(null, null, new SecureRandom());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    public static final class OwnSpi extends SSLContextSpi {
        @Override
        protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom random) {
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            return null;
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            return null;
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            return null;
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            return null;
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            return null;
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            return null;
        }
    }
}
