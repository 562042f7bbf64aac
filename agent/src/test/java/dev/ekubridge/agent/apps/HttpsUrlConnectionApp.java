package dev.ekubridge.agent.apps;

import dev.ekubridge.testsupport.tls.Loopback;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;

/**
 * (c) {@code HttpsURLConnection} (the default socket factory) against a local
 * {@code com.sun.net.httpserver.HttpsServer} on the default context that requires a client
 * certificate; key and trust stores from the {@code javax.net.ssl.*} system properties. The server
 * answers with the serial of the client certificate it saw.
 */
public final class HttpsUrlConnectionApp {
    private HttpsUrlConnectionApp() {
    }

    public static void main(String[] args) {
        Loopback.main("https-url-connection", () -> {
            InetAddress loopback = InetAddress.getByName("127.0.0.1");
            HttpsServer server = HttpsServer.create(new InetSocketAddress(loopback, 0), 0);
            server.setHttpsConfigurator(new HttpsConfigurator(SSLContext.getDefault()) {
                @Override
                public void configure(HttpsParameters params) {
                    SSLParameters parameters = getSSLContext().getDefaultSSLParameters();
                    parameters.setNeedClientAuth(true);
                    params.setSSLParameters(parameters);
                }
            });
            server.createContext("/", exchange -> {
                String serial = Loopback.serial(((HttpsExchange) exchange).getSSLSession().getPeerCertificates());
                byte[] body = ("SERVER_SAW_CLIENT_SERIAL=" + serial + "\n").getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            ExecutorService executor = Executors.newSingleThreadExecutor(runnable -> {
                Thread thread = new Thread(runnable, "https-server");
                thread.setDaemon(true);
                return thread;
            });
            server.setExecutor(executor);
            server.start();
            try {
                URL url = new URL("https://127.0.0.1:" + server.getAddress().getPort() + "/");
                HttpsURLConnection connection = (HttpsURLConnection) url.openConnection();
                connection.setConnectTimeout(Loopback.TIMEOUT_MILLIS);
                connection.setReadTimeout(Loopback.TIMEOUT_MILLIS);
                int status = connection.getResponseCode();
                Loopback.print("CLIENT_SAW_SERVER_SERIAL", Loopback.serial(connection.getServerCertificates()));
                String body;
                try (InputStream in = connection.getInputStream()) {
                    body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
                System.out.print(body);
                boolean ok = status == 200 && body.startsWith("SERVER_SAW_CLIENT_SERIAL=");
                System.out.println("RESULT=" + (ok ? "OK" : "FAIL HTTP status " + status));
                return ok;
            } finally {
                server.stop(0);
                executor.shutdownNow();
            }
        });
    }
}
