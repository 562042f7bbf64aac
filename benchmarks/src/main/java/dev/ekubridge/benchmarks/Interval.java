package dev.ekubridge.benchmarks;

import java.util.Arrays;

/**
 * The median of a sample and its distribution-free 95% confidence interval from order statistics: the interval
 * [x(k), x(n+1-k)] of the sorted sample, with the largest k for which a Binomial(n, 1/2) count falls below k with
 * probability at most 2.5%. It holds whatever the distribution (no normality, no independence of the size of the
 * deviations), needs only that the samples are independent with one median, and covers at least 95%. With fewer than
 * 6 samples no such interval exists: then it is the whole range.
 */
record Interval(int n, double median, double low, double high, double coverage) {

    static Interval ofMedian(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        if (n == 0) {
            return new Interval(0, Double.NaN, Double.NaN, Double.NaN, 0);
        }
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        int k = rank(n);
        if (k < 1) {
            return new Interval(n, median, sorted[0], sorted[n - 1], 1 - 2 * Math.pow(0.5, n));
        }
        return new Interval(n, median, sorted[k - 1], sorted[n - k], 1 - 2 * binomialBelow(n, k));
    }

    /** The largest k (1-based) with P(Binomial(n, 1/2) < k) <= 0.025, or 0 when even k = 1 is too wide. */
    static int rank(int n) {
        int k = 0;
        while (k + 1 <= n / 2 && binomialBelow(n, k + 1) <= 0.025) {
            k++;
        }
        return k;
    }

    /** P(Binomial(n, 1/2) < k), summed in logarithms so that large n do not overflow. */
    static double binomialBelow(int n, int k) {
        double sum = 0;
        for (int i = 0; i < k; i++) {
            sum += Math.exp(logChoose(n, i) - n * Math.log(2));
        }
        return sum;
    }

    private static double logChoose(int n, int k) {
        double value = 0;
        for (int i = 1; i <= k; i++) {
            value += Math.log(n - k + i) - Math.log(i);
        }
        return value;
    }
}
