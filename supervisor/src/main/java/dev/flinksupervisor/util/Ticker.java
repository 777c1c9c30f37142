package dev.flinksupervisor.util;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an action again and again on one executor, each time after the delay the action's owner asks
 * for then; {@link #wake()} runs it now instead. An action that throws is logged and runs again.
 */
public final class Ticker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Ticker.class);

  private final ScheduledExecutorService executor;
  private final boolean ownsExecutor;
  private final Runnable action;
  private final Supplier<Duration> nextDelay;
  private ScheduledFuture<?> next;
  private boolean running;
  private boolean inTick;
  private boolean wakeAgain;

  /**
   * Which scheduled run is the current one: a run cancelled as it started (cancelling a task that
   * already runs still succeeds) finds a newer generation and ends at once, so there is only ever
   * one chain of runs.
   */
  private long generation;

  public Ticker(ScheduledExecutorService executor, Runnable action, Supplier<Duration> nextDelay) {
    this(executor, false, action, nextDelay);
  }

  private Ticker(
      ScheduledExecutorService executor,
      boolean ownsExecutor,
      Runnable action,
      Supplier<Duration> nextDelay) {
    this.executor = executor;
    this.ownsExecutor = ownsExecutor;
    this.action = action;
    this.nextDelay = nextDelay;
  }

  /** A ticker on a thread of its own, named {@code threadName}, stopped by {@link #close()}. */
  public static Ticker onOwnThread(
      String threadName, Runnable action, Supplier<Duration> nextDelay) {
    return new Ticker(
        java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
            new org.apache.flink.util.concurrent.ExecutorThreadFactory(threadName)),
        true,
        action,
        nextDelay);
  }

  public synchronized void start(Duration first) {
    running = true;
    schedule(first.toMillis());
  }

  /**
   * Runs the action now; while it is running, runs it once more right after. There is only ever one
   * run scheduled.
   */
  public synchronized void wake() {
    if (!running) {
      return;
    }
    if (inTick) {
      wakeAgain = true;
    } else if (next != null && next.cancel(false)) {
      schedule(0);
    }
  }

  /** Schedules the next run as the current generation; called holding this object's lock. */
  private void schedule(long millis) {
    long current = ++generation;
    next = executor.schedule(() -> tick(current), millis, TimeUnit.MILLISECONDS);
  }

  private void tick(long scheduledAs) {
    synchronized (this) {
      if (scheduledAs != generation || !running) {
        return; // replaced by a newer run as it started
      }
      inTick = true;
      wakeAgain = false;
    }
    try {
      action.run();
    } catch (Throwable e) { // the loop outlives whatever one run does
      LOG.error("A scheduled action failed unexpectedly", e);
    }
    Duration delay;
    try {
      delay = nextDelay.get(); // outside this lock: it may take the action owner's lock
    } catch (Throwable e) {
      LOG.error("Choosing the next delay failed", e);
      delay = Duration.ofSeconds(1);
    }
    synchronized (this) {
      inTick = false;
      if (running) {
        long millis = wakeAgain ? 0 : delay.toMillis();
        schedule(millis);
      }
    }
  }

  /** Stops ticking; a ticker with its own thread also stops it, waiting for a running action. */
  @Override
  public void close() {
    synchronized (this) {
      running = false;
      if (next != null) {
        next.cancel(false);
      }
    }
    if (ownsExecutor) {
      executor.shutdownNow();
      try {
        executor.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
