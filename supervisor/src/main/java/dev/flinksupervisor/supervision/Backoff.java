package dev.flinksupervisor.supervision;

import java.time.Duration;

/** Exponential backoff with a cap: {@code base}, 2×, 4×, ... up to {@code max}. */
public record Backoff(Duration base, Duration max) {

  /** The delay before the next attempt after {@code failures} consecutive failures. */
  public Duration delayAfter(int failures) {
    if (failures <= 0) {
      return base;
    }
    int shift = Math.min(failures, 30);
    long millis = base.toMillis() << shift;
    return millis <= 0 || millis > max.toMillis() ? max : Duration.ofMillis(millis);
  }
}
