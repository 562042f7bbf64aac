package dev.ekubridge.benchmarks;

/** How a measured ratio is judged against the >= 0.99 handshake targets: the wording README quotes, in one place. */
final class Verdicts {
    static final double HANDSHAKE_TARGET_RATIO = 0.99;
    static final double SHOWN_RATIO = 0.99;
    static final double SHOWN_LOWER_END = 0.98;

    private Verdicts() {
    }

    /** Whether a ratio with its interval (the interleaved harnesses') shows the >= 0.99 target. */
    static String intervalVerdict(double ratio, double low, double high) {
        if (ratio >= SHOWN_RATIO && low >= SHOWN_LOWER_END) {
            return "shown";
        }
        if (high < SHOWN_RATIO) {
            return "MISSED (whole interval below 0.99)";
        }
        return ratio >= SHOWN_RATIO ? "not shown (lower end below 0.98)" : "not shown (ratio below 0.99)";
    }

    /** Whether a ratio of JMH scores, with its error, meets the >= 0.99 target. */
    static String ratioVerdict(double ratio, Double error) {
        if (ratio >= HANDSHAKE_TARGET_RATIO) {
            return "met";
        }
        if (error != null && ratio + error >= HANDSHAKE_TARGET_RATIO) {
            return "not shown: below 0.99 but within the measurement error";
        }
        return "MISSED";
    }

    /** Error of a / b from the errors of a and b (independent: relative errors add in quadrature). */
    static Double ratioError(double a, Double errorA, double b, Double errorB) {
        if (errorA == null || errorB == null || a == 0 || b == 0) {
            return null;
        }
        return a / b * Math.sqrt(Math.pow(errorA / a, 2) + Math.pow(errorB / b, 2));
    }
}
