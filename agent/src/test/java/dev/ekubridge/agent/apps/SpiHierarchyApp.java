package dev.ekubridge.agent.apps;

import dev.ekubridge.testsupport.tls.Loopback;
import java.security.KeyManagementException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * A provider-style {@code SSLContextSpi} hierarchy whose most derived class is loaded first:
 * {@link Leaf} extends {@link Base} extends {@link Root} extends {@code SSLContextSpi}. {@link Base}
 * declares {@code engineInit} and prints the managers it receives; {@link Leaf} does not override it;
 * {@link Root} implements the rest of the SPI. {@code main} names only {@link Leaf}, by string, so the
 * class file of {@code Leaf} reaches an agent before {@code Base} and {@code Root} are loaded, and that
 * of {@code Base} before {@code Root}: when {@code Base} is handed to a transformer its superclass is
 * not loaded yet. Then it initialises an {@code SSLContext} over a {@code Leaf} with the JDK's PKIX
 * trust managers and no key managers.
 *
 * <p>Prints {@code BASE_TRUST_MANAGERS} and {@code BASE_KEY_MANAGERS} (class names, comma separated,
 * {@code null} for a null array) from {@code Base.engineInit}, then {@code RESULT=OK}.
 */
public final class SpiHierarchyApp {
    private SpiHierarchyApp() {
    }

    public static void main(String[] args) {
        Loopback.main("spi-hierarchy", () -> {
            Class<?> leaf = Class.forName(SpiHierarchyApp.class.getName() + "$Leaf");
            SSLContextSpi spi = (SSLContextSpi) leaf.getDeclaredConstructor().newInstance();
            TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
            factory.init((KeyStore) null);
            new OwnContext(spi).init(null, factory.getTrustManagers(), new SecureRandom());
            System.out.println("RESULT=OK");
            return true;
        });
    }

    /** {@code SSLContext} has a protected constructor for providers: an application-made context over our SPI. */
    static final class OwnContext extends SSLContext {
        OwnContext(SSLContextSpi spi) {
            super(spi, null, "TLS");
        }
    }

    /** The rest of the SPI; no {@code engineInit} here. */
    abstract static class Root extends SSLContextSpi {
        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            throw new UnsupportedOperationException();
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            throw new UnsupportedOperationException();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            throw new UnsupportedOperationException();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            throw new UnsupportedOperationException();
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            throw new UnsupportedOperationException();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            throw new UnsupportedOperationException();
        }
    }

    /** Declares {@code engineInit} and reports what it received. */
    abstract static class Base extends Root {
        @Override
        protected void engineInit(KeyManager[] keyManagers, TrustManager[] trustManagers, SecureRandom random)
                throws KeyManagementException {
            System.out.println("BASE_TRUST_MANAGERS=" + names(trustManagers));
            System.out.println("BASE_KEY_MANAGERS=" + names(keyManagers));
        }

        private static String names(Object[] managers) {
            if (managers == null) {
                return "null";
            }
            List<String> names = new ArrayList<>();
            for (Object manager : managers) {
                names.add(manager == null ? "null" : manager.getClass().getName());
            }
            return String.join(",", names);
        }
    }

    /** Overrides nothing. */
    static final class Leaf extends Base {
        Leaf() {
        }
    }
}
