package dev.ekubridge.agent.cli;

import dev.ekubridge.EkuPolicy;
import java.io.IOException;
import java.io.PrintStream;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * {@code java -jar ekubridge-agent.jar demo}: the scenarios of docs/scenarios.md played on loopback
 * with real TLS handshakes, in this one process, with
 * certificates generated at run time. Each scenario runs once with the Edge's inbound EKU check
 * {@code strict} (Expressway "On") and once {@code lenient} ("Off"); every link's outcome is
 * compared with what the scenarios' table says it must be.
 *
 * <p>The parts: {@link DemoScenarios} (the scenario table: nodes, certificates, links and expected
 * outcomes), {@link DemoPki} (the run-time CAs and certificates), {@link DemoPlayer} (one link over
 * real sockets) and {@link DemoTable} (the output). The rule behind every outcome: when a node is the
 * TLS client it presents its client identity; when it is the TLS server, its server identity.
 */
public final class Demo extends Main.Command {
    public Demo() {
        super("demo",
            "usage: " + Main.JAR + " demo [--json]",
            help("Plays the scenarios of docs/scenarios.md (Core and Edge, CA1 private and CA2 public serverAuth-only) on\n"
                + "127.0.0.1 with real TLS handshakes and certificates made at run time, with the Edge's inbound EKU check strict\n"
                + "and lenient, and compares every link with what the scenarios say it must be. Needs no configuration.\n",
                Options.ONLY_JSON_HELP,
                "0 every link as expected, 1 otherwise, 64 usage error"),
            new Options.Spec().flag("--json"));
    }

    /**
     * Plays every scenario in both modes and prints the table.
     *
     * @return 0 when every link's outcome matches the scenarios' table, 1 otherwise
     */
    public static int run(PrintStream out) {
        Played played = play();
        if (played.failure != null) {
            out.println("demo: cannot set up the scenarios: " + played.failure);
            return Main.FOUND;
        }
        return DemoTable.print(out, played.scenarios, played.rows, played.millis);
    }

    @Override
    int run(Options options, Io io) {
        if (!io.json) {
            return run(io.out);
        }
        Played played = play();
        if (played.failure != null) {
            return io.fail(Main.FOUND, "demo: cannot set up the scenarios: " + played.failure);
        }
        boolean asExpected = DemoTable.matched(played.rows) == played.rows.size();
        return io.document(DemoTable.json(played.rows, played.millis), asExpected ? Main.OK : Main.FOUND);
    }

    /** The scenarios played, or why they could not be. */
    private static final class Played {
        List<DemoScenario> scenarios;
        final List<DemoTable.Row> rows = new ArrayList<DemoTable.Row>();
        long millis;
        Exception failure;
    }

    private static Played play() {
        Played played = new Played();
        long started = System.nanoTime();
        ExecutorService executor = Executors.newSingleThreadExecutor(new ThreadFactory() {
            @Override
            public Thread newThread(Runnable task) {
                Thread thread = new Thread(task, "ekubridge-demo-server");
                thread.setDaemon(true);
                return thread;
            }
        });
        try {
            played.scenarios = DemoScenarios.all(new DemoPki());
            for (DemoScenario scenario : played.scenarios) {
                for (EkuPolicy mode : new EkuPolicy[] {EkuPolicy.STRICT, EkuPolicy.LENIENT}) {
                    for (DemoLink link : scenario.topology.links(mode)) {
                        played.rows.add(new DemoTable.Row(scenario, mode, link, DemoPlayer.play(link, executor)));
                    }
                }
            }
        } catch (GeneralSecurityException | IOException | RuntimeException e) {
            played.failure = e;
        } finally {
            executor.shutdownNow();
        }
        played.millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        return played;
    }
}
