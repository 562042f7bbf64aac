package dev.ekubridge.it.netty;

import dev.ekubridge.testsupport.tls.Loopback;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Map;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * An unmodified application that asks its own {@link KeyManagerFactory} and {@link TrustManagerFactory} for their
 * managers many times (as a server that builds a Netty {@code SslContext} per connection or per reload would), then
 * initialises one {@code SSLContext} with what the factories hand out and runs a mutual-TLS exchange with itself
 * ({@link Loopback#exchange}).
 *
 * <p>Arguments: {@code --keystore P12 --truststore P12 --password PW --iterations N}. It prints
 * {@code KEY_MANAGER_CLASS}, {@code TRUST_MANAGER_CLASS} (of the first manager each factory hands out, and
 * {@code DIFFERENT_CLASSES}: how many of the N later calls handed out another class), {@code ITERATIONS},
 * {@code LOOP_MILLIS}, {@code HEAP_BEFORE}, {@code HEAP_AFTER} and {@code HEAP_GROWTH} (bytes of heap in use after
 * a full collection, before and after the N calls), then {@link Loopback}'s lines for the exchange.
 */
public final class FactoryApp {
    private FactoryApp() {
    }

    public static void main(String[] args) {
        Loopback.main("FactoryApp", () -> run(AppTls.arguments(args)));
    }

    private static boolean run(Map<String, String> named) throws Exception {
        char[] password = AppTls.required(named, "password").toCharArray();
        int iterations = Integer.parseInt(AppTls.required(named, "iterations"));
        KeyManagerFactory kmf = AppTls.keyManagerFactory(AppTls.required(named, "keystore"), password);
        TrustManagerFactory tmf = AppTls.trustManagerFactory(AppTls.required(named, "truststore"), password);
        String keyClass = kmf.getKeyManagers()[0].getClass().getName();
        String trustClass = tmf.getTrustManagers()[0].getClass().getName();
        System.out.println("KEY_MANAGER_CLASS=" + keyClass);
        System.out.println("TRUST_MANAGER_CLASS=" + trustClass);

        // warm up (class loading, lazily made state), then measure
        long sink = loop(kmf, tmf, 2_000, keyClass, trustClass);
        long before = usedAfterGc();
        long start = System.nanoTime();
        long different = loop(kmf, tmf, iterations, keyClass, trustClass);
        long millis = (System.nanoTime() - start) / 1_000_000;
        long after = usedAfterGc();
        System.out.println("ITERATIONS=" + iterations);
        System.out.println("DIFFERENT_CLASSES=" + different);
        System.out.println("LOOP_MILLIS=" + millis);
        System.out.println("HEAP_BEFORE=" + before);
        System.out.println("HEAP_AFTER=" + after);
        System.out.println("HEAP_GROWTH=" + (after - before));
        System.out.println("WARM_UP_DIFFERENT=" + sink);

        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return Loopback.exchange(context, context);
    }

    /** Asks both factories {@code n} times; returns how many answers were not of the first answer's classes. */
    private static long loop(KeyManagerFactory kmf, TrustManagerFactory tmf, int n, String keyClass, String trustClass) {
        long different = 0;
        for (int i = 0; i < n; i++) {
            KeyManager[] keys = kmf.getKeyManagers();
            TrustManager[] trust = tmf.getTrustManagers();
            if (!keys[0].getClass().getName().equals(keyClass) || !trust[0].getClass().getName().equals(trustClass)) {
                different++;
            }
        }
        return different;
    }

    private static long usedAfterGc() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(50);
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
