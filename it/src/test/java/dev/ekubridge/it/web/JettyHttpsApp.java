package dev.ekubridge.it.web;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ssl.SslHandshakeListener;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * An unmodified Jetty 12 HTTPS server, configured the way Jetty's documentation shows: a
 * {@code SslContextFactory.Server} over a PKCS#12 key store and trust store, {@code setNeedClientAuth(true)}, and
 * optionally {@code setCertAlias} and {@code setKeyManagerFactoryAlgorithm}. Nothing of EKU Bridge is named here; the
 * test switches EKU Bridge on from outside (a {@code java.security} override, or the agent).
 *
 * <p>Arguments: {@code --keystore FILE --truststore FILE --password PW}, then one {@code --connector SPEC} per connector,
 * SPEC being {@code name[;alias=A][;kmf=ALGORITHM]}. Prints {@code KMF-DEFAULT=alg TMF-DEFAULT=alg}, then
 * {@code READY name port} per connector; {@code HANDSHAKE name OK|FAILED reason} per handshake (Jetty's own
 * {@link SslHandshakeListener}); answers each request with {@code connector=name client-serial=HEX sni=HOST}; stops at
 * the end of its standard input.
 */
public final class JettyHttpsApp {
    private JettyHttpsApp() {
    }

    public static void main(String[] args) throws Exception {
        ServerArgs parsed = ServerArgs.parse(args);
        System.out.println("KMF-DEFAULT=" + KeyManagerFactory.getDefaultAlgorithm() + " TMF-DEFAULT=" + TrustManagerFactory.getDefaultAlgorithm());

        Server server = new Server();
        List<ServerConnector> started = new ArrayList<>();
        for (String spec : parsed.connectors()) {
            String[] parts = spec.split(";");
            String name = parts[0];
            SslContextFactory.Server tls = new SslContextFactory.Server();
            tls.setKeyStorePath(parsed.keyStore());
            tls.setKeyStorePassword(parsed.password());
            tls.setKeyStoreType("PKCS12");
            tls.setTrustStorePath(parsed.trustStore());
            tls.setTrustStorePassword(parsed.password());
            tls.setTrustStoreType("PKCS12");
            tls.setNeedClientAuth(true);
            for (int p = 1; p < parts.length; p++) {
                String[] setting = parts[p].split("=", 2);
                switch (setting[0]) {
                    case "alias" -> tls.setCertAlias(setting[1]);
                    case "kmf" -> tls.setKeyManagerFactoryAlgorithm(setting[1]);
                    default -> throw new IllegalArgumentException("unknown connector setting " + parts[p]);
                }
            }
            HttpConfiguration http = new HttpConfiguration();
            http.addCustomizer(new SecureRequestCustomizer());
            ServerConnector connector = new ServerConnector(server, new SslConnectionFactory(tls, "http/1.1"), new HttpConnectionFactory(http));
            connector.setHost("127.0.0.1");
            connector.setPort(0);
            connector.setName(name);
            connector.addBean(new SslHandshakeListener() {
                @Override
                public void handshakeSucceeded(Event event) {
                    System.out.println("HANDSHAKE " + name + " OK");
                }

                @Override
                public void handshakeFailed(Event event, Throwable failure) {
                    System.out.println("HANDSHAKE " + name + " FAILED " + describe(failure));
                }
            });
            server.addConnector(connector);
            started.add(connector);
        }
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                EndPoint.SslSessionData tls = (EndPoint.SslSessionData) request.getAttribute(EndPoint.SslSessionData.ATTRIBUTE);
                X509Certificate[] peer = tls == null ? null : tls.peerCertificates();
                String body = "connector=" + request.getConnectionMetaData().getConnector().getName()
                    + " client-serial=" + (peer == null || peer.length == 0 ? "none" : peer[0].getSerialNumber().toString(16).toUpperCase(Locale.ROOT))
                    + " sni=" + request.getAttribute(SslContextFactory.Server.SNI_HOST) + "\n";
                response.setStatus(200);
                response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.US_ASCII)), callback);
                return true;
            }
        });
        server.start();
        for (ServerConnector connector : started) {
            System.out.println("READY " + connector.getName() + " " + connector.getLocalPort());
        }
        System.out.flush();
        InputStream in = System.in;
        while (in.read() >= 0) {
            // run until the test closes our standard input
        }
        server.stop();
        System.exit(0);
    }

    static String describe(Throwable failure) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (text.length() > 0) {
                text.append(" <- ");
            }
            text.append(t.getClass().getName()).append(": ").append(String.valueOf(t.getMessage()).replace('\n', ' '));
        }
        return text.toString();
    }
}
