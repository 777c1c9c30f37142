package dev.flinksupervisor.benchmarks;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One measured number beside its reference from the same run: one object of {@code latest.json}.
 *
 * @param value the measurement, or null when the benchmark failed
 * @param referenceName what the reference is; null when the figure has none
 * @param ratio {@code value / referenceValue}
 * @param target what the figure must reach, for example {@code ≤ 500 ms}; null when none
 * @param met whether the target was reached; null when there is no target
 * @param detail what exactly was measured, how often, and under which conditions
 * @param error why the benchmark failed; null when it did not
 */
@JsonPropertyOrder({
  "name",
  "value",
  "unit",
  "reference_name",
  "reference_value",
  "ratio",
  "target",
  "met",
  "detail",
  "error"
})
public record Figure(
    @JsonProperty("name") String name,
    @JsonProperty("value") Double value,
    @JsonProperty("unit") String unit,
    @JsonProperty("reference_name") String referenceName,
    @JsonProperty("reference_value") Double referenceValue,
    @JsonProperty("ratio") Double ratio,
    @JsonProperty("target") String target,
    @JsonProperty("met") Boolean met,
    @JsonProperty("detail") String detail,
    @JsonProperty("error") String error) {

  /**
   * A measured figure. The ratio is computed from the unrounded numbers; the target, when there is
   * one, is checked against them too.
   */
  public static Figure of(
      String name,
      double value,
      String unit,
      String referenceName,
      Double referenceValue,
      Target target,
      String detail) {
    Double ratio =
        referenceValue == null || referenceValue == 0 ? null : value / referenceValue.doubleValue();
    return new Figure(
        name,
        Numbers.round(value),
        unit,
        referenceName,
        Numbers.round(referenceValue),
        Numbers.round(ratio),
        target == null ? null : target.describe(),
        target == null ? null : target.metBy(value, ratio),
        detail,
        null);
  }

  /** A figure without a reference. */
  public static Figure of(String name, double value, String unit, Target target, String detail) {
    return of(name, value, unit, null, null, target, detail);
  }

  /** What a benchmark that failed leaves in the results instead of its figures. */
  public static Figure failed(String name, Throwable error) {
    String message = error.getMessage() == null ? "" : ": " + error.getMessage();
    return new Figure(
        name,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        error.getClass().getSimpleName() + message);
  }

  public boolean failed() {
    return error != null;
  }
}
