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
public final class Demo {
    private Demo() {
    }

    /**
     * Plays every scenario in both modes and prints the table.
     *
     * @return 0 when every link's outcome matches the scenarios' table, 1 otherwise
     */
    public static int run(PrintStream out) {
        long started = System.nanoTime();
        ExecutorService executor = Executors.newSingleThreadExecutor(new ThreadFactory() {
            @Override
            public Thread newThread(Runnable task) {
                Thread thread = new Thread(task, "ekubridge-demo-server");
                thread.setDaemon(true);
                return thread;
            }
        });
        List<DemoScenario> scenarios;
        List<DemoTable.Row> rows = new ArrayList<DemoTable.Row>();
        try {
            scenarios = DemoScenarios.all(new DemoPki());
            for (DemoScenario scenario : scenarios) {
                for (EkuPolicy mode : new EkuPolicy[] {EkuPolicy.STRICT, EkuPolicy.LENIENT}) {
                    for (DemoLink link : scenario.topology.links(mode)) {
                        rows.add(new DemoTable.Row(scenario, mode, link, DemoPlayer.play(link, executor)));
                    }
                }
            }
        } catch (GeneralSecurityException | IOException | RuntimeException e) {
            out.println("demo: cannot set up the scenarios: " + e);
            return 1;
        } finally {
            executor.shutdownNow();
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        return DemoTable.print(out, scenarios, rows, millis);
    }
}
