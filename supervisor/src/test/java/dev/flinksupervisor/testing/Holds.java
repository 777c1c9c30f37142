package dev.flinksupervisor.testing;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Checks that something stays true for a while: the check runs every 100 ms until then. */
public final class Holds {
  private Holds() {}

  public static void forAtLeast(Duration duration, Runnable check) throws InterruptedException {
    long end = System.nanoTime() + duration.toNanos();
    do {
      check.run();
      TimeUnit.MILLISECONDS.sleep(100);
    } while (System.nanoTime() - end < 0);
  }
}
