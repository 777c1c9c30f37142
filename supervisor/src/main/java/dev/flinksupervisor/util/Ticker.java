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
    next = executor.schedule(this::tick, first.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Runs the action now, unless it is running already. */
  public synchronized void wake() {
    if (running && next != null && next.cancel(false)) {
      next = executor.schedule(this::tick, 0, TimeUnit.MILLISECONDS);
    }
  }

  private void tick() {
    try {
      action.run();
    } catch (RuntimeException e) {
      LOG.error("A scheduled action failed unexpectedly", e);
    }
    Duration delay;
    try {
      delay = nextDelay.get(); // outside this lock: it may take the action owner's lock
    } catch (RuntimeException e) {
      LOG.error("Choosing the next delay failed", e);
      delay = Duration.ofSeconds(1);
    }
    synchronized (this) {
      if (running) {
        next = executor.schedule(this::tick, delay.toMillis(), TimeUnit.MILLISECONDS);
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
