package dev.ekubridge.benchmarks;

/** A figure and where it was measured; ordered by the figure, then the place, so the worst of a target is the max or min. */
record Measured(double value, String where) implements Comparable<Measured> {
    @Override
    public int compareTo(Measured other) {
        int c = Double.compare(value, other.value);
        return c != 0 ? c : where.compareTo(other.where);
    }
}
