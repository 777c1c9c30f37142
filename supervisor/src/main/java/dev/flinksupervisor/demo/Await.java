package dev.flinksupervisor.demo;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/** Waits for a condition with a deadline, checking it at a short, fixed pace. */
public final class Await {
  private static final long PACE_MS = 50;

  private Await() {}

  /**
   * Returns the first non-null value {@code probe} yields; a probe that throws counts as "not yet".
   * Fails with a {@link TimeoutException} that names {@code what} and the last error.
   */
  public static <T> T until(String what, Duration timeout, Supplier<T> probe)
      throws TimeoutException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Exception lastError = null;
    while (true) {
      try {
        T value = probe.get();
        if (value != null) {
          return value;
        }
      } catch (RuntimeException e) {
        lastError = e;
      }
      if (System.nanoTime() - deadline > 0) {
        TimeoutException timeoutException =
            new TimeoutException("Timed out after " + timeout + " waiting for " + what);
        if (lastError != null) {
          timeoutException.initCause(lastError);
        }
        throw timeoutException;
      }
      TimeUnit.MILLISECONDS.sleep(PACE_MS);
    }
  }
}
