package dev.goloom.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The summary of repeated measurements of one figure: median, smallest, largest and count.
 * NaN values (a figure that a repetition did not measure) are left out.
 *
 * @param median the median of the values
 * @param min    the smallest value
 * @param max    the largest value
 * @param n      how many values
 */
public record Stats(double median, double min, double max, int n) {

    /** The summary of {@code values}, NaN left out; null when nothing is left. */
    public static Stats of(double... values) {
        double[] v = Arrays.stream(values).filter(x -> !Double.isNaN(x)).sorted().toArray();
        if (v.length == 0) {
            return null;
        }
        int n = v.length;
        double med = n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
        return new Stats(med, v[0], v[n - 1], n);
    }

    /**
     * Combines per-process summaries: the median of their medians, the extremes of all their
     * values (the run-to-run spread), the total count.
     */
    public static Stats combine(List<Stats> parts) {
        List<Stats> ok = new ArrayList<>();
        for (Stats s : parts) {
            if (s != null) {
                ok.add(s);
            }
        }
        if (ok.isEmpty()) {
            return null;
        }
        if (ok.size() == 1) {
            return ok.get(0);
        }
        Stats m = of(ok.stream().mapToDouble(Stats::median).toArray());
        double lo = ok.stream().mapToDouble(Stats::min).min().orElseThrow();
        double hi = ok.stream().mapToDouble(Stats::max).max().orElseThrow();
        return new Stats(m.median(), lo, hi, ok.stream().mapToInt(Stats::n).sum());
    }

    /** The spread as a fraction of the median: the larger distance from the median to an extreme. */
    public double spread() {
        if (median == 0) {
            return 0;
        }
        return Math.max(max - median, median - min) / Math.abs(median);
    }

    /** The one-line form children print: {@code median min max n}. */
    public String wire() {
        return median + " " + min + " " + max + " " + n;
    }

    /** Parses {@link #wire()}'s form. */
    public static Stats parseWire(String[] f, int from) {
        return new Stats(Double.parseDouble(f[from]), Double.parseDouble(f[from + 1]),
                Double.parseDouble(f[from + 2]), Integer.parseInt(f[from + 3]));
    }
}
