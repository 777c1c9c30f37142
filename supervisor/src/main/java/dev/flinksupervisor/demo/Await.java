package dev.flinksupervisor.demo;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/** Waits for a condition with a deadline, checking it at a short, fixed pace. */
public final class Await {
  private static final Duration PACE = Duration.ofMillis(50);

  private Await() {}

  /**
   * Returns the first non-null value {@code probe} yields; a probe that throws counts as "not yet".
   * Fails with a {@link TimeoutException} that names {@code what} and the last error.
   */
  public static <T> T until(String what, Duration timeout, Supplier<T> probe)
      throws TimeoutException, InterruptedException {
    return until(what, timeout, PACE, probe);
  }

  /**
   * As {@link #until(String, Duration, Supplier)}, checking every {@code pace}: each check starts a
   * pace after the one before, however long the probe took, so the checks do not drift.
   */
  public static <T> T until(String what, Duration timeout, Duration pace, Supplier<T> probe)
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
  public static void parkUntil(long deadlineNanos) throws InterruptedException {
    long left;
    while ((left = deadlineNanos - System.nanoTime()) > 0) {
      LockSupport.parkNanos(left);
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
    }
  }
}
