package dev.flinksupervisor.benchmarks;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Rounding and printing of measured numbers. */
final class Numbers {
  private Numbers() {}

  /** Rounded to three decimals (null stays null), so the JSON shows no false precision. */
  static Double round(Double value) {
    if (value == null || value.isNaN() || value.isInfinite()) {
      return value;
    }
    return BigDecimal.valueOf(value).setScale(3, RoundingMode.HALF_UP).doubleValue();
  }

  /** Three significant digits at most, without a trailing ".0": 1234, 12.3, 0.842. */
  static String format(double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return String.valueOf(value);
    }
    double magnitude = Math.abs(value);
    int decimals = magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : magnitude >= 1 ? 2 : 3;
    BigDecimal rounded = BigDecimal.valueOf(value).setScale(decimals, RoundingMode.HALF_UP);
    String text = rounded.stripTrailingZeros().toPlainString();
    return text.equals("-0") ? "0" : text;
  }
}
