package dev.flinksupervisor.plugins.push;

import java.time.Duration;

/** The pause after a failed batch: starts at the initial value, doubles, stays at the maximum. */
final class Backoff {

  private final Duration initial;
  private final Duration max;
  private Duration next;

  Backoff(Duration initial, Duration max) {
    this.initial = initial;
    this.max = max;
    this.next = initial;
  }

  /** The pause for this failure; the following one will be twice as long, up to the maximum. */
  Duration next() {
    Duration current = next;
    Duration doubled = current.multipliedBy(2);
    next = doubled.compareTo(max) > 0 ? max : doubled;
    return current.compareTo(max) > 0 ? max : current;
  }

  void reset() {
    next = initial;
  }
}
