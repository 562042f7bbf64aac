package dev.ekubridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.ekubridge.testsupport.pki.Ca;
import dev.ekubridge.testsupport.pki.Issued;
import dev.ekubridge.testsupport.pki.KeyKind;
import dev.ekubridge.testsupport.pki.LeafEku;
import dev.ekubridge.testsupport.pki.Pem;
import dev.ekubridge.testsupport.pki.TestPki;
import dev.ekubridge.testsupport.tls.Failures;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rotation under load, on real loopback sockets: a server and a client, each an {@link EkuBridge} built from files,
 * do mutual-TLS handshakes continuously from two client threads while both key stores are replaced 100 times,
 * alternating good files and bad ones (garbage, a wrong password, a truncated file left so, a certificate refused by
 * admission), some good ones written half first and completed after a reload saw them. Not one handshake may fail;
 * every certificate presented is one of the good generations (and, a handshake being proof that the key matched, the
 * pair stayed together); after each good replacement the new serial is presented within {@code reload.seconds} + 1.
 * Bounded: at most {@link #LIMIT} for the whole run, then the threads stop.
 */
class ReloadUnderLoadTest {
    private static final String PASSWORD = "changeit";
    private static final char[] PW = PASSWORD.toCharArray();
    private static final Duration LIMIT = Duration.ofSeconds(120);
    private static final Duration NEW_SERIAL_WITHIN = Duration.ofSeconds(2); // reload.seconds=1, plus one
    private static final Ca CA = TestPki.root("Rotation CA", KeyKind.EC_P256);

    @TempDir
    Path dir;

    private enum Side {
        SERVER("sip", LeafEku.SERVER_AUTH),
        CLIENT("client", LeafEku.CLIENT_AUTH);

        final String alias;
        final LeafEku eku;

        Side(String alias, LeafEku eku) {
            this.alias = alias;
            this.eku = eku;
        }

        /** The key store file of this side's configuration. */
        String file() {
            return name().toLowerCase(java.util.Locale.ROOT) + ".p12";
        }

        /** An EKU admission refuses for this side's role: the other side's. */
        LeafEku wrongEku() {
            return (this == SERVER ? CLIENT : SERVER).eku;
        }

        Issued issue(LeafEku usage) {
            return CA.leaf(name().toLowerCase(java.util.Locale.ROOT) + ".rotation.example").eku(usage)
                .keyPair(KeyKind.EC_P256.freshKeyPair()).issue();
        }

        byte[] store(Issued leaf, char[] password) {
            return TestPki.toPkcs12Bytes(password, Map.of(alias, leaf));
        }
    }

    private enum Bad {
        GARBAGE, WRONG_PASSWORD, TRUNCATED, REFUSED_BY_ADMISSION;

        byte[] content(Side side) {
            switch (this) {
                case GARBAGE:
                    byte[] noise = new byte[1500];
                    new java.util.Random(side.ordinal()).nextBytes(noise);
                    noise[0] = 0x30;
                    return noise;
                case WRONG_PASSWORD:
                    return side.store(side.issue(side.eku), "wrong-password".toCharArray());
                case TRUNCATED:
                    byte[] whole = side.store(side.issue(side.eku), PW);
                    return Arrays.copyOf(whole, whole.length * 2 / 3);
                default:
                    return side.store(side.issue(side.wrongEku()), PW);
            }
        }
    }

    /** One replacement of a file: its content, whether it is good (and then the serial it brings), whether it is written in two halves. */
    private record Replacement(Side side, byte[] content, BigInteger serial, boolean halfFirst, String what) {
    }

    /** What one handshake saw, from the client's side. */
    private record Observation(long startedNanos, BigInteger server, BigInteger client) {
    }

    private final Map<Side, Set<BigInteger>> good = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Observation> observations = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    private final AtomicReference<Observation> latest = new AtomicReference<>();
    private final AtomicLong handshakes = new AtomicLong();

    private EkuBridge serverBridge(Path trust, String... more) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("server.keystore", dir.resolve(Side.SERVER.file()).toString());
        values.put("server.password", PASSWORD);
        values.put("client.identity", "server");
        values.put("truststore.pem", trust.toString());
        for (int i = 0; i < more.length; i += 2) {
            values.put(more[i], more[i + 1]);
        }
        return EkuBridge.fromConfig(EkuBridgeConfig.of(values, "rotation test"));
    }

    private EkuBridge clientBridge(Path trust, String... more) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("client.keystore", dir.resolve(Side.CLIENT.file()).toString());
        values.put("client.password", PASSWORD);
        values.put("truststore.pem", trust.toString());
        for (int i = 0; i < more.length; i += 2) {
            values.put(more[i], more[i + 1]);
        }
        return EkuBridge.fromConfig(EkuBridgeConfig.of(values, "rotation test"));
    }

    private Path firstFiles() throws Exception {
        for (Side side : Side.values()) {
            Issued first = side.issue(side.eku);
            good.computeIfAbsent(side, s -> ConcurrentHashMap.newKeySet()).add(first.serial());
            Files.write(dir.resolve(side.file()), side.store(first, PW));
        }
        return Pem.writeChain(dir.resolve("trust.pem"), CA.certificate());
    }

    /** {@code count} replacements, alternating good and bad, two at a time for each side; a good one in three written in halves. */
    private List<Replacement> plan(int count) {
        List<Replacement> plan = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Side side = (i / 2) % 2 == 0 ? Side.SERVER : Side.CLIENT;
            if (i % 2 == 0) {
                Issued next = side.issue(side.eku);
                boolean halves = (i / 2) % 3 == 0;
                plan.add(new Replacement(side, side.store(next, PW), next.serial(), halves, "good " + next.serialHex() + (halves ? " in halves" : "")));
            } else {
                Bad bad = Bad.values()[(i / 2) % Bad.values().length];
                plan.add(new Replacement(side, bad.content(side), null, false, bad.toString()));
            }
        }
        return plan;
    }

    /** The server: accepts, requires a client certificate, answers one byte per connection. */
    private ExecutorService serve(SSLServerSocket listener, AtomicBoolean running) {
        ExecutorService pool = Executors.newFixedThreadPool(3, runnable -> {
            Thread thread = new Thread(runnable, "rotation-server");
            thread.setDaemon(true);
            return thread;
        });
        pool.submit(() -> {
            while (running.get()) {
                SSLSocket accepted;
                try {
                    accepted = (SSLSocket) listener.accept();
                } catch (SocketTimeoutException e) {
                    continue;
                } catch (Exception e) {
                    if (running.get()) {
                        failures.add("server accept: " + Failures.describe(e));
                    }
                    return;
                }
                pool.submit(() -> {
                    try (SSLSocket socket = accepted) {
                        socket.setSoTimeout(10_000);
                        socket.startHandshake();
                        InputStream in = socket.getInputStream();
                        if (in.read() != 1) {
                            failures.add("server: the client sent nothing");
                        }
                        OutputStream out = socket.getOutputStream();
                        out.write(2);
                        out.flush();
                        socket.getSession().invalidate();
                    } catch (Exception e) {
                        failures.add("server: " + Failures.describe(e));
                    }
                });
            }
        });
        return pool;
    }

    /** The client threads: a new connection and a full handshake each time (sessions are invalidated, never resumed). */
    private List<Thread> dial(SSLContext client, int port, AtomicBoolean running, long deadlineNanos) {
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            Thread thread = new Thread(() -> {
                for (int n = 0; n < 1_000_000 && running.get() && System.nanoTime() < deadlineNanos; n++) {
                    long started = System.nanoTime();
                    try (SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket(InetAddress.getByName("127.0.0.1"), port)) {
                        socket.setSoTimeout(10_000);
                        socket.startHandshake();
                        socket.getOutputStream().write(1);
                        socket.getOutputStream().flush();
                        if (socket.getInputStream().read() != 2) {
                            failures.add("client: the server answered nothing");
                        }
                        SSLSession session = socket.getSession();
                        Observation seen = new Observation(started, serial(session.getPeerCertificates()),
                            serial(session.getLocalCertificates()));
                        session.invalidate();
                        observations.add(seen);
                        latest.set(seen);
                        handshakes.incrementAndGet();
                    } catch (Exception e) {
                        failures.add("client: " + Failures.describe(e));
                    }
                }
            }, "rotation-client-" + t);
            thread.setDaemon(true);
            threads.add(thread);
        }
        threads.forEach(Thread::start);
        return threads;
    }

    private static BigInteger serial(java.security.cert.Certificate[] chain) {
        return chain == null || chain.length == 0 ? null : ((java.security.cert.X509Certificate) chain[0]).getSerialNumber();
    }

    /** Waits until a handshake that started after {@code since} presents {@code serial} on {@code side}; how long after {@code since}. */
    private Duration awaitPresented(Side side, BigInteger serial, long since, Duration limit) throws InterruptedException {
        while (System.nanoTime() - since < limit.toNanos() * 3) {
            Observation seen = latest.get();
            if (seen != null && seen.startedNanos() > since && serial.equals(side == Side.SERVER ? seen.server() : seen.client())) {
                return Duration.ofNanos(System.nanoTime() - since);
            }
            Thread.sleep(5);
        }
        return Duration.ofNanos(System.nanoTime() - since);
    }

    /** Waits for the good {@code replacement} written at {@code written} to be presented; asserts it is within {@link #NEW_SERIAL_WITHIN}. */
    private Duration presentedInTime(Replacement replacement, long written) throws InterruptedException {
        Duration took = awaitPresented(replacement.side(), replacement.serial(), written, NEW_SERIAL_WITHIN);
        assertThat(took).as("%s %s presented after", replacement.side(), replacement.what()).isLessThanOrEqualTo(NEW_SERIAL_WITHIN);
        return took;
    }

    /** Two client threads handshaking with a new listener of {@code server} until {@link Traffic#stop()}. */
    private Traffic startTraffic(EkuBridge server, EkuBridge client, long deadlineNanos)
            throws IOException, GeneralSecurityException {
        SSLServerSocket listener = (SSLServerSocket) server.sslContext("TLS").getServerSocketFactory()
                .createServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        try {
            listener.setNeedClientAuth(true);
            listener.setSoTimeout(500);
            AtomicBoolean running = new AtomicBoolean(true);
            ExecutorService serving = serve(listener, running);
            return new Traffic(listener, running, dial(client.sslContext("TLS"), listener.getLocalPort(), running, deadlineNanos),
                serving);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            listener.close();
            throw e;
        }
    }

    /** Handshaking traffic from {@link #startTraffic}, until {@link #stop()}. */
    private record Traffic(SSLServerSocket listener, AtomicBoolean running, List<Thread> dialling, ExecutorService serving) {
        /** Stops the client threads, then the server's, then closes the listener. */
        void stop() throws IOException, InterruptedException {
            try {
                running.set(false);
                for (Thread thread : dialling) {
                    thread.join(15_000);
                }
                serving.shutdown();
                serving.awaitTermination(15, TimeUnit.SECONDS);
            } finally {
                listener.close();
            }
        }
    }

    /**
     * 100 replacements, each followed by the programmatic {@link EkuBridge#reload()} (what {@code reload.seconds} does on
     * its timer, without waiting for it), with two client threads handshaking all along.
     */
    @Test
    void oneHundredReplacementsUnderContinuousHandshakes() throws Exception {
        Path trust = firstFiles();
        List<Replacement> plan = plan(100);
        EkuBridge server = serverBridge(trust);
        EkuBridge client = clientBridge(trust);
        Map<Side, EkuBridge> bridges = Map.of(Side.SERVER, server, Side.CLIENT, client);
        int expectedFailures = 0;
        Duration slowest = Duration.ZERO;
        long start = System.nanoTime();
        long deadline = start + LIMIT.toNanos();
        Traffic traffic = startTraffic(server, client, deadline);
        try {
            while (handshakes.get() < 10 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            for (Replacement replacement : plan) {
                assertThat(System.nanoTime()).as("within " + LIMIT).isLessThan(deadline);
                Path file = dir.resolve(replacement.side().file());
                EkuBridge bridge = bridges.get(replacement.side());
                long written = System.nanoTime();
                if (replacement.serial() != null) {
                    // a good file joins the set before it is written: from then on it may be presented
                    good.get(replacement.side()).add(replacement.serial());
                }
                if (replacement.halfFirst()) {
                    Files.write(file, Arrays.copyOf(replacement.content(), replacement.content().length / 2));
                    assertThat(catchThrowableOfType(EkuBridgeException.class, bridge::reload)).as("the half-written file").isNotNull();
                    expectedFailures++;
                }
                Files.write(file, replacement.content());
                if (replacement.serial() == null) {
                    EkuBridgeException refused = catchThrowableOfType(EkuBridgeException.class, bridge::reload);
                    assertThat(refused).as(replacement.what() + " is refused").isNotNull();
                    expectedFailures++;
                    continue;
                }
                assertThat(bridge.reload().changed()).as(replacement.what()).isTrue();
                Duration took = presentedInTime(replacement, written);
                slowest = took.compareTo(slowest) > 0 ? took : slowest;
            }
        } finally {
            traffic.stop();
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        System.out.printf("[rotation] %d handshakes in %d ms from 2 client threads, 100 replacements (%d refused contents),"
            + " no failure; slowest new serial presented %d ms after its file was written%n", handshakes.get(), elapsed.toMillis(),
            expectedFailures, slowest.toMillis());

        assertThat(failures).as("failed handshakes").isEmpty();
        assertThat(handshakes.get()).as("handshakes").isGreaterThan(100);
        for (Observation seen : observations) {
            assertThat(good.get(Side.SERVER)).as("every server certificate presented is a good generation's").contains(seen.server());
            assertThat(good.get(Side.CLIENT)).as("every client certificate presented is a good generation's").contains(seen.client());
        }
        assertThat(server.reloadFailures() + client.reloadFailures()).as("each refused content counted once").isEqualTo(expectedFailures);
        assertThat(server.reloads() + client.reloads()).isEqualTo(50);
    }

    /** The same with {@code reload.seconds=1} and no programmatic reload: the timer alone, fewer replacements. */
    @Test
    void theTimerUnderContinuousHandshakes() throws Exception {
        Path trust = firstFiles();
        List<Replacement> plan = plan(8);
        EkuBridge server = serverBridge(trust, "reload.seconds", "1");
        EkuBridge client = clientBridge(trust, "reload.seconds", "1");
        long start = System.nanoTime();
        long deadline = start + LIMIT.toNanos();
        Duration slowest = Duration.ZERO;
        Traffic traffic = startTraffic(server, client, deadline);
        try {
            for (Replacement replacement : plan) {
                // written whole (what a half-written file does under the timer depends on when a check falls)
                long written = System.nanoTime();
                if (replacement.serial() != null) {
                    good.get(replacement.side()).add(replacement.serial());
                }
                Files.write(dir.resolve(replacement.side().file()), replacement.content());
                if (replacement.serial() == null) {
                    Thread.sleep(1500); // a check or more sees the bad file
                    continue;
                }
                Duration took = presentedInTime(replacement, written);
                slowest = took.compareTo(slowest) > 0 ? took : slowest;
                System.out.printf("[rotation, reload.seconds=1] %s %s presented %d ms after it was written%n", replacement.side(),
                    replacement.what(), took.toMillis());
            }
        } finally {
            traffic.stop();
            server.stopReloading();
            client.stopReloading();
        }
        System.out.printf("[rotation, reload.seconds=1] %d handshakes in %d ms; slowest %d ms%n", handshakes.get(),
            Duration.ofNanos(System.nanoTime() - start).toMillis(), slowest.toMillis());
        assertThat(failures).as("failed handshakes").isEmpty();
        for (Observation seen : observations) {
            assertThat(good.get(Side.SERVER)).contains(seen.server());
            assertThat(good.get(Side.CLIENT)).contains(seen.client());
        }
        // four bad files; a check may also have caught a good file while it was being written (counted too)
        assertThat(server.reloadFailures() + client.reloadFailures()).as("refused contents, counted").isGreaterThanOrEqualTo(4);
        assertThat(server.reloads() + client.reloads()).as("the four good files").isGreaterThanOrEqualTo(4);
    }
}
