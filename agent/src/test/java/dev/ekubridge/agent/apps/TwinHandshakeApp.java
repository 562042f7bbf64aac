package dev.ekubridge.agent.apps;

import dev.ekubridge.testsupport.tls.Failures;
import dev.ekubridge.testsupport.tls.Handshake;
import dev.ekubridge.testsupport.tls.HandshakeResult;
import dev.ekubridge.testsupport.tls.Jsse;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * An unmodified mutual-TLS server (its own key store, its own PKIX trust manager from the engine's factory) that a
 * client presenting each certificate of a directory connects to, in memory, once per certificate; prints
 * {@code CASE name accepted} or {@code CASE name refused reason}. Arguments: SunJSSE|BCJSSE PROTOCOL SERVER_STORE
 * TRUST_STORE CASES_DIR PASSWORD. Each case is a PKCS#12 file with one entry, the client's key and chain.
 */
public final class TwinHandshakeApp {
    private TwinHandshakeApp() {
    }

    public static void main(String[] args) throws Exception {
        Jsse jsse = Jsse.named(args[0]);
        String protocol = args[1];
        char[] password = args[5].toCharArray();
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX", jsse.provider());
        kmf.init(load(Paths.get(args[2]), password), password);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX", jsse.provider());
        tmf.init(load(Paths.get(args[3]), password));
        SSLContext server = SSLContext.getInstance("TLS", jsse.provider());
        server.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        List<Path> cases;
        try (Stream<Path> files = Files.list(Paths.get(args[4]))) {
            cases = files.sorted().collect(Collectors.toList());
        }
        for (Path file : cases) {
            KeyStore store = load(file, password);
            String alias = store.aliases().nextElement();
            Certificate[] chain = store.getCertificateChain(alias);
            X509Certificate[] x509 = Arrays.copyOf(chain, chain.length, X509Certificate[].class);
            SSLContext client = SSLContext.getInstance("TLS", jsse.provider());
            client.init(new KeyManager[] {dev.ekubridge.testsupport.pki.TestPki.fixedKeyManager((PrivateKey) store.getKey(alias, password), x509)},
                new TrustManager[] {new AcceptingTrustManager()}, null);
            HandshakeResult result = Handshake.run(client, server, protocol, true);
            String name = file.getFileName().toString().replace(".p12", "");
            Throwable failure = result.serverFailure() != null ? result.serverFailure() : result.clientFailure();
            System.out.println("CASE " + name + (result.succeeded() ? " accepted"
                : " refused " + Failures.describe(failure).replaceAll("\\p{Cntrl}", "?")));
        }
    }

    private static KeyStore load(Path file, char[] password) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, password);
        }
        return store;
    }

    /** The client side accepts any server: only the server's verdict on the client is under test. */
    private static final class AcceptingTrustManager extends javax.net.ssl.X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, java.net.Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, java.net.Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, javax.net.ssl.SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, javax.net.ssl.SSLEngine engine) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
