package dev.ekubridge.agent.apps;

import dev.ekubridge.testsupport.tls.Loopback;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

import javax.net.ssl.SSLContext;

/**
 * A running service to attach the agent to: it does one exchange as {@link ExplicitInitApp} does
 * (so that the JDK's SSL context classes are loaded before any agent arrives; printed with the
 * prefix {@code BEFORE_}), prints {@code READY}, waits for a line on standard input, then makes a
 * new context the same way and does the exchange again. Arguments: KEYSTORE TRUSTSTORE PASSWORD.
 */
public final class AttachTargetApp {
    private AttachTargetApp() {
    }

    public static void main(String[] args) {
        Loopback.main("attach-target", () -> {
            SSLContext before = ExplicitInitApp.context(args[0], args[1], args[2]);
            Loopback.exchange(before, before, "BEFORE_");
            System.out.println("READY");
            System.out.flush();
            String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            System.out.println("GOT_LINE=" + line);
            SSLContext after = ExplicitInitApp.context(args[0], args[1], args[2]);
            return Loopback.exchange(after, after);
        });
    }
}
