package dev.ekubridge.benchmarks;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How the report writes figures in its Markdown cells: one place, so every table rounds and marks alike. */
final class Figures {
    /** gc.alloc.rate.norm is a rate divided by operations: a few 1e-4 B/op is measurement noise. */
    static final double ZERO_ALLOCATION_BYTES = 0.5;

    private Figures() {
    }

    /** A figure with as many decimals as its size deserves: 12,345 / 123.4 / 12.34 / 0.123. */
    static String number(Double value) {
        if (value == null) {
            return "–";
        }
        if (value == 0) {
            return "0";
        }
        double magnitude = Math.abs(value);
        return number(value, magnitude >= 1000 ? 0 : magnitude >= 100 ? 1 : magnitude >= 1 ? 2 : 3);
    }

    static String number(double value, int decimals) {
        return String.format(Locale.ROOT, "%,." + decimals + "f", value);
    }

    static String bytes(Double value) {
        if (value == null) {
            return "–";
        }
        return value < ZERO_ALLOCATION_BYTES ? "0" : number(value, 0);
    }

    static String withError(double value, Double error) {
        return error == null ? number(value) : number(value) + " ± " + number(error);
    }

    static String ratioText(double ratio, Double error) {
        return String.format(Locale.ROOT, "%.3f", ratio) + (error != null ? String.format(Locale.ROOT, " ± %.3f", error) : "");
    }

    /** The first three fields of /proc/loadavg: the 1, 5 and 15 minute load averages. */
    static String firstThree(String loadAverage) {
        return Arrays.stream(loadAverage.trim().split("\\s+")).limit(3).collect(Collectors.joining(" "));
    }
}
