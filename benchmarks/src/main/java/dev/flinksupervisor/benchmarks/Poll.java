package dev.flinksupervisor.benchmarks;

import dev.flinksupervisor.demo.Await;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Waiting by deadlines: a probe checked at a chosen pace until it yields a value, and pauses that
 * end at a point in time rather than after a duration, so that slow iterations do not drift.
 */
final class Poll {
  private Poll() {}

  /** See {@link Await#until(String, Duration, Duration, Supplier)}. */
  static <T> T until(String what, Duration timeout, Duration pace, Supplier<T> probe)
      throws TimeoutException, InterruptedException {
    return Await.until(what, timeout, pace, probe);
  }

  /** Returns when {@link System#nanoTime()} has reached {@code deadlineNanos}. */
  static void parkUntil(long deadlineNanos) throws InterruptedException {
    Await.parkUntil(deadlineNanos);
  }

  /** Returns after {@code duration}. */
  static void pause(Duration duration) throws InterruptedException {
    parkUntil(System.nanoTime() + duration.toNanos());
  }
}
