package dev.ekubridge.it.web;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;

/**
 * An unmodified embedded Tomcat 11 with HTTPS connectors configured as Tomcat's documentation shows: an
 * {@code SSLHostConfig} requiring a client certificate ({@code certificateVerification="required"}, trust store file)
 * and one {@code SSLHostConfigCertificate} over a PKCS#12 key store, naming the entry with {@code certificateKeyAlias},
 * optionally with {@code keyManagerAlgorithm}. Nothing of EKU Bridge is named here.
 *
 * <p>Arguments: {@code --keystore FILE --truststore FILE --password PW --base DIR}, then one {@code --connector SPEC}
 * per connector, SPEC being {@code name[;alias=A][;kma=ALGORITHM][;store=FILE][;type=KEYSTORE_TYPE]} (another key store
 * for that connector, e.g. a {@code DKS} domain configuration). Prints {@code KMF-DEFAULT=alg TMF-DEFAULT=alg},
 * then {@code READY name port} (or {@code FAILED name state}) per connector; answers each request with
 * {@code connector=name client-serial=HEX}; stops at the end of its standard input.
 */
public final class TomcatHttpsApp {
    private TomcatHttpsApp() {
    }

    // Context.addServletMappingDecoded is deprecated in Tomcat 11 without a replacement for embedded use yet
    @SuppressWarnings("deprecation")
    public static void main(String[] args) throws Exception {
        ServerArgs parsed = ServerArgs.parse(args);
        Path base = parsed.base();
        List<String> specs = parsed.connectors();
        System.out.println("KMF-DEFAULT=" + KeyManagerFactory.getDefaultAlgorithm() + " TMF-DEFAULT=" + TrustManagerFactory.getDefaultAlgorithm());
        Files.createDirectories(base);

        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(base.toString());
        List<Connector> connectors = new ArrayList<>();
        for (String spec : specs) {
            String[] parts = spec.split(";");
            Connector connector = new Connector("org.apache.coyote.http11.Http11NioProtocol");
            connector.setPort(0);
            connector.setProperty("address", "127.0.0.1");
            connector.setScheme("https");
            connector.setSecure(true);
            connector.setProperty("SSLEnabled", "true");
            SSLHostConfig host = new SSLHostConfig();
            host.setCertificateVerification("required");
            host.setTruststoreFile(parsed.trustStore());
            host.setTruststorePassword(parsed.password());
            host.setTruststoreType("PKCS12");
            SSLHostConfigCertificate certificate = new SSLHostConfigCertificate(host, SSLHostConfigCertificate.Type.UNDEFINED);
            certificate.setCertificateKeystoreFile(parsed.keyStore());
            certificate.setCertificateKeystorePassword(parsed.password());
            certificate.setCertificateKeystoreType("PKCS12");
            for (int p = 1; p < parts.length; p++) {
                String[] setting = parts[p].split("=", 2);
                switch (setting[0]) {
                    case "alias" -> certificate.setCertificateKeyAlias(setting[1]);
                    case "kma" -> host.setKeyManagerAlgorithm(setting[1]);
                    case "store" -> certificate.setCertificateKeystoreFile(setting[1]);
                    case "type" -> certificate.setCertificateKeystoreType(setting[1]);
                    default -> throw new IllegalArgumentException("unknown connector setting " + parts[p]);
                }
            }
            host.addCertificate(certificate);
            connector.addSslHostConfig(host);
            tomcat.getService().addConnector(connector);
            connectors.add(connector);
        }
        Context context = tomcat.addContext("", base.toString());
        Tomcat.addServlet(context, "echo", new Echo(specs, connectors));
        context.addServletMappingDecoded("/*", "echo");
        tomcat.start();
        for (int i = 0; i < connectors.size(); i++) {
            Connector connector = connectors.get(i);
            String name = specs.get(i).split(";")[0];
            if (connector.getState() == LifecycleState.STARTED && connector.getLocalPort() > 0) {
                System.out.println("READY " + name + " " + connector.getLocalPort());
            } else {
                System.out.println("FAILED " + name + " " + connector.getState());
            }
        }
        System.out.flush();
        InputStream in = System.in;
        while (in.read() >= 0) {
            // run until the test closes our standard input
        }
        tomcat.stop();
        tomcat.destroy();
        System.exit(0);
    }

    private static final class Echo extends HttpServlet {
        private static final long serialVersionUID = 1L;
        private final transient List<String> specs;
        private final transient List<Connector> connectors;

        Echo(List<String> specs, List<Connector> connectors) {
            this.specs = specs;
            this.connectors = connectors;
        }

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            X509Certificate[] peer = (X509Certificate[]) request.getAttribute("jakarta.servlet.request.X509Certificate");
            String name = "?";
            for (int i = 0; i < connectors.size(); i++) {
                if (connectors.get(i).getLocalPort() == request.getLocalPort()) {
                    name = specs.get(i).split(";")[0];
                }
            }
            response.setStatus(200);
            response.setContentType("text/plain");
            response.getWriter().print("connector=" + name + " client-serial="
                + (peer == null || peer.length == 0 ? "none" : peer[0].getSerialNumber().toString(16).toUpperCase(Locale.ROOT)) + "\n");
        }
    }
}
