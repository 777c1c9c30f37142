package dev.flinksupervisor;

import dev.flinksupervisor.supervision.Role;
import dev.flinksupervisor.util.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The takeover policy and the order of the periodic work, in one place:
 *
 * <ul>
 *   <li>a sidecar that becomes ACTIVE first reads and merges its record (the keeper is woken for
 *       that at once); until it has, in this ACTIVE term, nothing periodic runs and requests that
 *       change something are refused;
 *   <li>then each pass runs the steps in their order (savepoints, re-profiling, jobs), each
 *       isolated from the others' failures, and the housekeeping of the record (expiry, unused
 *       jars) at its own slower pace.
 * </ul>
 *
 * <p>Every step only decides and hands work to its feature's threads: a pass never waits for Flink
 * or Kubernetes.
 */
public final class Coordinator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Coordinator.class);

  /** One periodic step, named for the log. */
  public record Step(String name, Runnable action) {}

  private final BooleanSupplier mayAct;
  private final List<Step> steps;
  private final Step housekeeping;
  private final Duration housekeepingEvery;
  private final Clock clock;
  private Instant housekeptAt;
  private Ticker ticker;

  /**
   * @param mayAct whether the record was read and merged in the current ACTIVE term
   * @param steps run in this order at every pass
   * @param housekeeping run at most every {@code housekeepingEvery}, after the steps
   */
  public Coordinator(
      BooleanSupplier mayAct,
      List<Step> steps,
      Step housekeeping,
      Duration housekeepingEvery,
      Clock clock) {
    this.mayAct = mayAct;
    this.steps = List.copyOf(steps);
    this.housekeeping = housekeeping;
    this.housekeepingEvery = housekeepingEvery;
    this.clock = clock;
  }

  /**
   * The takeover policy: a sidecar that becomes ACTIVE reads and merges its record at once ({@code
   * readRecord}); until it has, {@link #tick()} does nothing.
   */
  public static void takeover(Role before, Role after, Runnable readRecord) {
    if (after == Role.ACTIVE && before != Role.ACTIVE) {
      LOG.info("Taking over: reading the record before acting");
      readRecord.run();
    }
  }

  /** Runs passes on a thread of its own, each after the delay {@code nextDelay} asks for then. */
  public synchronized void start(Duration first, Supplier<Duration> nextDelay) {
    ticker = Ticker.onOwnThread("actions", this::tick, nextDelay);
    ticker.start(first);
  }

  /** Runs a pass now (a trigger was sent: its savepoint is looked at soon). */
  public void wake() {
    Ticker t;
    synchronized (this) {
      t = ticker;
    }
    if (t != null) {
      t.wake();
    }
  }

  @Override
  public void close() {
    Ticker t;
    synchronized (this) {
      t = ticker;
      ticker = null;
    }
    if (t != null) {
      t.close();
    }
  }

  /**
   * One pass; does nothing unless this sidecar may act.
   *
   * @return whether the steps ran
   */
  public boolean tick() {
    if (!mayAct.getAsBoolean()) {
      return false;
    }
    for (Step step : steps) {
      run(step);
    }
    Instant now = clock.instant();
    if (housekeptAt == null || !housekeptAt.plus(housekeepingEvery).isAfter(now)) {
      housekeptAt = now;
      run(housekeeping);
    }
    return true;
  }

  private static void run(Step step) {
    try {
      step.action().run();
    } catch (Throwable e) { // one step's failure never stops the others or the loop
      LOG.error("The periodic step '{}' failed unexpectedly", step.name(), e);
    }
  }
}
