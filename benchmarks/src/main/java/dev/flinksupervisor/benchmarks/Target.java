package dev.flinksupervisor.benchmarks;

/**
 * What a figure must reach: its value, or its ratio to the reference, at most or at least a bound.
 */
public record Target(Subject subject, Comparison comparison, double bound, String unit) {

  /** What the bound applies to. */
  public enum Subject {
    VALUE,
    RATIO
  }

  /** Which side of the bound passes; the bound itself passes. */
  public enum Comparison {
    AT_MOST("≤"),
    AT_LEAST("≥");

    private final String symbol;

    Comparison(String symbol) {
      this.symbol = symbol;
    }
  }

  public static Target valueAtMost(double bound, String unit) {
    return new Target(Subject.VALUE, Comparison.AT_MOST, bound, unit);
  }

  public static Target ratioAtMost(double bound) {
    return new Target(Subject.RATIO, Comparison.AT_MOST, bound, "");
  }

  public static Target ratioAtLeast(double bound) {
    return new Target(Subject.RATIO, Comparison.AT_LEAST, bound, "");
  }

  /** Whether the figure meets it; false when the measured number it applies to is missing. */
  public boolean metBy(Double value, Double ratio) {
    Double measured = subject == Subject.VALUE ? value : ratio;
    if (measured == null || measured.isNaN()) {
      return false;
    }
    return comparison == Comparison.AT_MOST ? measured <= bound : measured >= bound;
  }

  /** For example {@code ≤ 500 ms} or {@code ratio ≥ 2}. */
  public String describe() {
    String number = Numbers.format(bound);
    return switch (subject) {
      case VALUE -> comparison.symbol + " " + number + (unit.isEmpty() ? "" : " " + unit);
      case RATIO -> "ratio " + comparison.symbol + " " + number;
    };
  }
}
