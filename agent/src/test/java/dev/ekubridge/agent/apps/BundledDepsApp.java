package dev.ekubridge.agent.apps;

import dev.ekubridge.testsupport.tls.Loopback;
import javax.net.ssl.SSLContext;

import net.bytebuddy.ByteBuddy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * (e) An application that carries its own Byte Buddy and SLF4J (with slf4j-simple), in versions other
 * than the agent's, uses both, then does what {@link ExplicitInitApp} does.
 * Arguments: KEYSTORE TRUSTSTORE PASSWORD.
 */
public final class BundledDepsApp {
    private BundledDepsApp() {
    }

    public static void main(String[] args) {
        Loopback.main("bundled-deps", () -> {
            Class<?> generated = new ByteBuddy().subclass(Object.class).name("dev.ekubridge.agent.apps.Generated").make()
                .load(BundledDepsApp.class.getClassLoader()).getLoaded();
            System.out.println("BYTEBUDDY_JAR=" + ByteBuddy.class.getProtectionDomain().getCodeSource().getLocation());
            System.out.println("BYTEBUDDY_MADE=" + generated.getName());
            Logger log = LoggerFactory.getLogger("bundled-app");
            log.info("hello from the application's own SLF4J");
            System.out.println("SLF4J_JAR=" + LoggerFactory.class.getProtectionDomain().getCodeSource().getLocation());
            SSLContext context = ExplicitInitApp.context(args[0], args[1], args[2]);
            return Loopback.exchange(context, context);
        });
    }
}
