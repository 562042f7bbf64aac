package dev.ekubridge.it.web;

import dev.ekubridge.testsupport.pki.Issued;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * The HTTPS client: a plain JDK {@link SSLSocket} (SunJSSE, the test JVM's JDK) presenting the peer's clientAuth
 * certificate, sending SNI or not, then one {@code GET /} with {@code Host} set to the name the server's certificate
 * carries. A fresh {@code SSLContext} per request, so that no session is resumed and every request is a full handshake
 * (key manager callbacks included).
 */
public final class HttpsProbe {
    private static final int TIMEOUT_MILLIS = 10_000;

    private HttpsProbe() {
    }

    /**
     * What one request saw: {@code serverSerial} is the leaf the server presented (null when the handshake failed),
     * {@code body} the server's answer, {@code failure} the client's exception.
     */
    public record Result(String protocol, String sni, String serverSerial, int status, String body, String failure) {
        public boolean ok() {
            return failure == null && status == 200;
        }

        /** The value of {@code key=value} in the body, or null. */
        public String field(String key) {
            if (body == null) {
                return null;
            }
            for (String part : body.trim().split("\\s+")) {
                if (part.startsWith(key + "=")) {
                    return part.substring(key.length() + 1);
                }
            }
            return null;
        }

        public boolean presented(Issued issued) {
            return issued.serialHex().equals(serverSerial);
        }

        @Override
        public String toString() {
            return protocol + " SNI " + sni + ": " + (failure != null ? "FAILED " + failure
                : "server presented " + serverSerial + ", HTTP " + status + " " + (body == null ? "" : body.trim()));
        }
    }

    public static Result get(int port, String sniHost, String protocol, Path clientStore, Path trustStore) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            KeyManagerFactory kmf = KeyManagerFactory.getInstance("SunX509");
            kmf.init(load(clientStore), WebPki.PASSWORD.toCharArray());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
            tmf.init(load(trustStore));
            context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
                socket.setSoTimeout(TIMEOUT_MILLIS);
                SSLParameters parameters = socket.getSSLParameters();
                parameters.setProtocols(new String[] {protocol});
                parameters.setServerNames(sniHost == null ? List.of() : List.of(new SNIHostName(sniHost)));
                socket.setSSLParameters(parameters);
                String serverSerial = null;
                try {
                    socket.startHandshake();
                    X509Certificate presented = (X509Certificate) socket.getSession().getPeerCertificates()[0];
                    serverSerial = Issued.serialHex(presented);
                    // Jetty checks that Host names the certificate it presented: without SNI, ask for a name it bears
                    String host = sniHost != null ? sniHost : firstDnsName(presented);
                    socket.getOutputStream().write(("GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                    socket.getOutputStream().flush();
                    String response = new String(readAll(socket.getInputStream()), StandardCharsets.ISO_8859_1);
                    int headerEnd = response.indexOf("\r\n\r\n");
                    String statusLine = response.lines().findFirst().orElse("");
                    String[] words = statusLine.split(" ");
                    int status = words.length > 1 && words[1].matches("\\d{3}") ? Integer.parseInt(words[1]) : -1;
                    return new Result(protocol, sniHost, serverSerial, status, headerEnd < 0 ? response : response.substring(headerEnd + 4),
                        status == -1 ? "no HTTP response: " + response : null);
                } catch (IOException e) {
                    return new Result(protocol, sniHost, serverSerial, -1, null, describe(e));
                }
            }
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException("HTTPS client setup failed: " + e, e);
        }
    }

    private static String firstDnsName(X509Certificate certificate) {
        try {
            if (certificate.getSubjectAlternativeNames() != null) {
                for (List<?> name : certificate.getSubjectAlternativeNames()) {
                    if (Integer.valueOf(2).equals(name.get(0))) {
                        return (String) name.get(1);
                    }
                }
            }
        } catch (java.security.cert.CertificateParsingException e) {
            throw new IllegalStateException(e);
        }
        return WebPki.WWW;
    }

    private static byte[] readAll(InputStream in) throws IOException {
        return in.readAllBytes();
    }

    private static KeyStore load(Path file) throws IOException, java.security.GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, WebPki.PASSWORD.toCharArray());
        }
        return store;
    }

    static String describe(Throwable failure) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (text.length() > 0) {
                text.append(" <- ");
            }
            text.append(t.getClass().getName()).append(": ").append(t.getMessage());
        }
        return text.toString();
    }
}
