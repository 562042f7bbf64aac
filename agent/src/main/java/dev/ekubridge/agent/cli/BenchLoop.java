package dev.ekubridge.agent.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

/**
 * {@code bench}'s measuring loop: blocks of handshakes of each side in turn, which side goes first alternating, the
 * first quarter of the time warm-up; progress on standard error.
 */
final class BenchLoop {
    /** Handshakes of one side before the other side's turn. */
    static final int BLOCK = 15;
    private static final long TERMINAL_PROGRESS_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    private static final long LOG_PROGRESS_NANOS = TimeUnit.SECONDS.toNanos(5);

    private BenchLoop() {
    }

    static BenchMeasurement measure(EngineLoop loop, BenchSides sides, int seconds, Io io) throws SSLException {
        BenchMeasurement m = new BenchMeasurement();
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        long warmupEnd = start + TimeUnit.SECONDS.toNanos(seconds) / 4;
        m.warmupSeconds = seconds / 4.0;
        List<long[]> warmup = new ArrayList<long[]>();
        long nextProgress = start + (io.errIsTerminal ? TERMINAL_PROGRESS_NANOS : LOG_PROGRESS_NANOS);
        if (!io.errIsTerminal) {
            io.err.println("bench: measuring for " + seconds + " s (the first " + BenchReport.format(m.warmupSeconds, 1) + " s warm-up), blocks of "
                + BLOCK + " handshakes, EKU Bridge and the JDK in turn");
            io.err.flush();
        }
        long handshakes = 0;
        for (int round = 0; System.nanoTime() < end; round++) {
            boolean measured = System.nanoTime() >= warmupEnd;
            long eku;
            long jdk;
            if (round % 2 == 0) {
                eku = block(loop, sides.ekuClient, sides.ekuServer);
                jdk = block(loop, sides.jdkClient, sides.jdkServer);
            } else {
                jdk = block(loop, sides.jdkClient, sides.jdkServer);
                eku = block(loop, sides.ekuClient, sides.ekuServer);
            }
            handshakes += 2 * BLOCK;
            if (measured) {
                m.add(eku, jdk);
            } else {
                warmup.add(new long[] {eku, jdk});
                m.warmupRounds++;
            }
            long now = System.nanoTime();
            if (now >= nextProgress) {
                progress(io, now - start, seconds, handshakes, now < warmupEnd, m);
                nextProgress = now + (io.errIsTerminal ? TERMINAL_PROGRESS_NANOS : LOG_PROGRESS_NANOS);
            }
        }
        if (m.rounds == 0) {
            // too short a run to leave the warm-up: report what there is, and say so
            m.warmupCounted = true;
            for (long[] pair : warmup) {
                m.add(pair[0], pair[1]);
            }
        }
        if (io.errIsTerminal) {
            io.err.print("\r" + CertText.repeat(' ', 78) + "\r");
        } else {
            io.err.println("bench: done, " + handshakes + " handshakes in " + BenchReport.format((System.nanoTime() - start) / 1e9, 1) + " s");
        }
        io.err.flush();
        return m;
    }


    private static void progress(Io io, long elapsed, int seconds, long handshakes, boolean warmingUp, BenchMeasurement m) {
        String line = "bench: " + (elapsed / 1_000_000_000L) + " s of " + seconds + (warmingUp ? " (warm-up)" : "") + ", "
            + handshakes + " handshakes" + (m.rounds == 0 ? "" : ", ratio so far " + BenchReport.format(m.ratio(0.5), 3));
        if (io.errIsTerminal) {
            io.err.print("\r" + CertText.pad(line, 78));
        } else {
            io.err.println(line);
        }
        io.err.flush();
    }

    private static long block(EngineLoop loop, SSLContext client, SSLContext server) throws SSLException {
        long start = System.nanoTime();
        for (int i = 0; i < BLOCK; i++) {
            loop.run(client, server);
        }
        return Math.max(1, System.nanoTime() - start);
    }
}
