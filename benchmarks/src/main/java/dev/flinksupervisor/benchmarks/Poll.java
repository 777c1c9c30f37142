package dev.flinksupervisor.benchmarks;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Waiting by deadlines: a probe checked at a chosen pace until it yields a value, and pauses that
 * end at a point in time rather than after a duration, so that slow iterations do not drift.
 */
final class Poll {
  private Poll() {}

  /**
   * The first non-null value {@code probe} yields, checked every {@code pace}; a probe that throws
   * counts as "not yet". Fails after {@code timeout}, naming {@code what} and the last error.
   */
  static <T> T until(String what, Duration timeout, Duration pace, Supplier<T> probe)
      throws TimeoutException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    RuntimeException lastError = null;
    while (true) {
      long next = System.nanoTime() + pace.toNanos();
      try {
        T value = probe.get();
        if (value != null) {
          return value;
        }
      } catch (RuntimeException e) {
        lastError = e;
      }
      if (System.nanoTime() - deadline > 0) {
        TimeoutException timedOut =
            new TimeoutException("Timed out after " + timeout + " waiting for " + what);
        if (lastError != null) {
          timedOut.initCause(lastError);
        }
        throw timedOut;
      }
      parkUntil(next);
    }
  }

  /** Returns when {@link System#nanoTime()} has reached {@code deadlineNanos}. */
  static void parkUntil(long deadlineNanos) throws InterruptedException {
    long left;
    while ((left = deadlineNanos - System.nanoTime()) > 0) {
      LockSupport.parkNanos(left);
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
    }
  }

  /** Returns after {@code duration}. */
  static void pause(Duration duration) throws InterruptedException {
    parkUntil(System.nanoTime() + duration.toNanos());
  }
}
