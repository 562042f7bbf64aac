package dev.ekubridge.agent.cli;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Per-round timings of {@code bench}, after warm-up: each round is one block of each side. */
final class BenchMeasurement {
    final List<Double> ratios = new ArrayList<Double>();
    long ekuNanos;
    long jdkNanos;
    long ekuHandshakes;
    long jdkHandshakes;
    int rounds;
    int warmupRounds;
    double warmupSeconds;
    boolean warmupCounted;

    double ekuRate() {
        return ekuHandshakes * 1e9 / Math.max(1, ekuNanos);
    }

    double jdkRate() {
        return jdkHandshakes * 1e9 / Math.max(1, jdkNanos);
    }

    /** Counts one round: a block of each side, {@code eku} and {@code jdk} nanoseconds. */
    void add(long eku, long jdk) {
        rounds++;
        ekuNanos += eku;
        jdkNanos += jdk;
        ekuHandshakes += BenchLoop.BLOCK;
        jdkHandshakes += BenchLoop.BLOCK;
        ratios.add((double) jdk / eku); // (BLOCK / eku) / (BLOCK / jdk)
    }

    /** The {@code p} quantile of the per-round ratios EKU Bridge / JDK. */
    double ratio(double p) {
        return percentile(ratios, p);
    }

    /** The {@code p} quantile by linear interpolation between closest ranks. */
    private static double percentile(List<Double> values, double p) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<Double>(values);
        Collections.sort(sorted);
        double rank = p * (sorted.size() - 1);
        int low = (int) Math.floor(rank);
        int high = (int) Math.ceil(rank);
        return sorted.get(low) + (sorted.get(high) - sorted.get(low)) * (rank - low);
    }
}
