package dev.ekubridge.agent.apps;

import dev.ekubridge.testsupport.tls.Loopback;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLContext;

/**
 * A long-running service for certificate rotation: it makes ONE context as {@link ExplicitInitApp} does, prints
 * {@code READY}, then for every line {@code go} on standard input does the mutual-TLS exchange again with that same
 * context (its keys prefixed {@code ROUND<n>_}, then {@code ROUND<n>_DONE}), until standard input ends. A reload must
 * reach this context, made before it. Arguments: KEYSTORE TRUSTSTORE PASSWORD.
 */
public final class RotatingServiceApp {
    private RotatingServiceApp() {
    }

    public static void main(String[] args) {
        Loopback.main("rotating-service", () -> {
            SSLContext context = ExplicitInitApp.context(args[0], args[1], args[2]);
            System.out.println("READY");
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            int round = 0;
            boolean ok = true;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if ("go".equals(line.trim())) {
                    round++;
                    ok &= Loopback.exchange(context, context, "ROUND" + round + "_");
                    System.out.println("ROUND" + round + "_DONE");
                    System.out.flush();
                }
            }
            return ok;
        });
    }
}
