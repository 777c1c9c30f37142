package dev.flinksupervisor.benchmarks;

import java.util.Arrays;
import java.util.Collection;

/**
 * Percentiles of a sample by the nearest-rank method: the p-th percentile is the smallest value
 * with at least p % of the sample at or below it. With fewer than 100 values, p99 is the maximum.
 */
public final class Percentiles {
  private final double[] sorted;

  private Percentiles(double[] sorted) {
    this.sorted = sorted;
  }

  public static Percentiles of(double... values) {
    if (values.length == 0) {
      throw new IllegalArgumentException("No values to take percentiles of");
    }
    double[] copy = values.clone();
    Arrays.sort(copy);
    return new Percentiles(copy);
  }

  public static Percentiles of(long... values) {
    return of(Arrays.stream(values).asDoubleStream().toArray());
  }

  public static Percentiles of(Collection<? extends Number> values) {
    return of(values.stream().mapToDouble(Number::doubleValue).toArray());
  }

  /** The p-th percentile, {@code 0 < p <= 100}. */
  public double percentile(double p) {
    if (!(p > 0 && p <= 100)) {
      throw new IllegalArgumentException("A percentile is in (0, 100], not " + p);
    }
    // The epsilon keeps a rank that is whole in decimal (99 % of 200) from rounding up in binary.
    int rank = (int) Math.ceil(p * sorted.length / 100.0 - 1e-9);
    return sorted[Math.max(rank, 1) - 1];
  }

  public double median() {
    return percentile(50);
  }

  public double p99() {
    return percentile(99);
  }

  public double min() {
    return sorted[0];
  }

  public double max() {
    return sorted[sorted.length - 1];
  }

  public double mean() {
    return Arrays.stream(sorted).average().orElseThrow();
  }

  public int count() {
    return sorted.length;
  }
}
