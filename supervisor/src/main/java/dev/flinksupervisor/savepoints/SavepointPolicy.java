package dev.flinksupervisor.savepoints;

import com.cronutils.model.time.ExecutionTime;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

/**
 * How the sidecar takes care of one job's savepoints: when to take them on its own, how many to
 * keep, and whether to take one before the pod stops.
 *
 * @param interval take one this long after the previous scheduled one (null: no interval)
 * @param cron take one at each time of this Unix cron expression, in UTC (null: no cron)
 * @param blackouts windows in which no scheduled savepoint starts
 * @param retainCount keep at most this many completed savepoints
 * @param retainAge dispose of completed savepoints older than this
 * @param onShutdown take a savepoint when the ACTIVE sidecar is stopped (pod deletion)
 * @param paused no scheduled savepoint is taken while set; on request and shutdown ones still are
 * @param jitter each scheduled savepoint starts up to this long after its time, by an offset fixed
 *     per job and time, so that many jobs on one schedule do not savepoint at once (null: none)
 * @param catchUp what happens to a scheduled time that passed while no sidecar was ACTIVE
 * @param keep completed savepoints kept besides the newest {@code retainCount} within {@code
 *     retainAge}: everything within a duration, and the newest of each of the last hours, days,
 *     weeks and months
 */
public record SavepointPolicy(
    Duration interval,
    String cron,
    List<BlackoutWindow> blackouts,
    int retainCount,
    Duration retainAge,
    boolean onShutdown,
    boolean paused,
    Duration jitter,
    CatchUp catchUp,
    Keep keep) {

  /**
   * Retention beyond the newest few: every completed savepoint within {@code within}, and the
   * newest of each of the last {@code hourly} hours, {@code daily} days, {@code weekly} (ISO) weeks
   * and {@code monthly} months that have one, in UTC.
   */
  public record Keep(Duration within, int hourly, int daily, int weekly, int monthly) {
    public static final Keep NONE = new Keep(null, 0, 0, 0, 0);

    public Keep {
      if (within != null && (within.isNegative() || within.isZero())) {
        throw new IllegalArgumentException("keep.within must be longer than zero");
      }
      if (hourly < 0 || daily < 0 || weekly < 0 || monthly < 0) {
        throw new IllegalArgumentException("keep.hourly, daily, weekly and monthly must be >= 0");
      }
    }
  }

  /** A policy keeping only the newest {@code retainCount} within {@code retainAge}. */
  public SavepointPolicy(
      Duration interval,
      String cron,
      List<BlackoutWindow> blackouts,
      int retainCount,
      Duration retainAge,
      boolean onShutdown,
      boolean paused,
      Duration jitter,
      CatchUp catchUp) {
    this(
        interval,
        cron,
        blackouts,
        retainCount,
        retainAge,
        onShutdown,
        paused,
        jitter,
        catchUp,
        Keep.NONE);
  }

  /** What happens to scheduled times missed while no sidecar was ACTIVE. */
  public enum CatchUp {
    /** One savepoint is taken as soon as a sidecar is ACTIVE again, however many were missed. */
    ONCE,
    /** Missed times are skipped; the next one after the sidecar became ACTIVE is kept. */
    SKIP
  }

  /** A policy that is not paused, without jitter, catching up once. */
  public SavepointPolicy(
      Duration interval,
      String cron,
      List<BlackoutWindow> blackouts,
      int retainCount,
      Duration retainAge,
      boolean onShutdown) {
    this(interval, cron, blackouts, retainCount, retainAge, onShutdown, false, null, CatchUp.ONCE);
  }

  public SavepointPolicy {
    if (jitter != null && jitter.isNegative()) {
      throw new IllegalArgumentException("jitter must not be negative");
    }
    if (jitter != null && interval != null && jitter.compareTo(interval) >= 0) {
      throw new IllegalArgumentException("jitter must be shorter than the interval");
    }
    catchUp = catchUp == null ? CatchUp.ONCE : catchUp;
    keep = keep == null ? Keep.NONE : keep;
    if (interval != null && (interval.isNegative() || interval.isZero())) {
      throw new IllegalArgumentException("interval must be longer than zero");
    }
    if (cron != null) {
      BlackoutWindow.parse(cron);
    }
    if (retainCount < 1) {
      throw new IllegalArgumentException("retainCount must be at least 1");
    }
    if (retainAge == null || retainAge.isNegative() || retainAge.isZero()) {
      throw new IllegalArgumentException("retainAge must be longer than zero");
    }
    blackouts = blackouts == null ? List.of() : List.copyOf(blackouts);
  }

  /** The same policy, paused or not. */
  public SavepointPolicy withPaused(boolean pause) {
    return new SavepointPolicy(
        interval,
        cron,
        blackouts,
        retainCount,
        retainAge,
        onShutdown,
        pause,
        jitter,
        catchUp,
        keep);
  }

  /**
   * Whether a scheduled savepoint of {@code jobId} is due now, given when the previous scheduled
   * one was requested (before any: when the job was first seen, plus its jitter offset) and since
   * when this sidecar has been ACTIVE.
   *
   * <p>An interval counts from the previous request, so a job's offset within the jitter, taken
   * once at its first, carries on without drift; a cron time gets the offset added each time. A
   * time that passed before the sidecar became ACTIVE is caught up at that moment plus the offset
   * (ONCE), so that jobs spread there too, or skipped for the next time after it (SKIP).
   */
  public boolean scheduledDue(String jobId, Instant previous, Instant activeSince, Instant now) {
    if (paused) {
      return false;
    }
    Duration offset = jitterOf(jobId);
    Optional<Instant> due =
        earliest(
            Optional.ofNullable(interval).map(previous::plus),
            cronAfter(previous).map(t -> t.plus(offset)));
    if (due.isPresent() && due.get().isBefore(activeSince)) {
      due =
          catchUp == CatchUp.ONCE
              ? Optional.of(activeSince.plus(offset))
              : earliest(
                  Optional.ofNullable(interval).map(i -> firstStepFrom(previous, i, activeSince)),
                  cronAfter(activeSince.minusMillis(1)).map(t -> t.plus(offset)));
    }
    return due.isPresent()
        && !due.get().isAfter(now)
        && blackouts.stream().noneMatch(b -> b.covers(now));
  }

  /** The first of {@code start + k * step} (k at least 1) that is not before {@code notBefore}. */
  private static Instant firstStepFrom(Instant start, Duration step, Instant notBefore) {
    long steps = Math.max(1, Duration.between(start, notBefore).toMillis() / step.toMillis());
    Instant at = start.plus(step.multipliedBy(steps));
    return at.isBefore(notBefore) ? at.plus(step) : at;
  }

  private Optional<Instant> cronAfter(Instant after) {
    return Optional.ofNullable(cron)
        .flatMap(
            c ->
                ExecutionTime.forCron(BlackoutWindow.parse(c))
                    .nextExecution(after.atZone(ZoneOffset.UTC)))
        .map(t -> t.toInstant());
  }

  private static Optional<Instant> earliest(Optional<Instant> a, Optional<Instant> b) {
    if (a.isEmpty()) {
      return b;
    }
    if (b.isEmpty()) {
      return a;
    }
    return Optional.of(a.get().isBefore(b.get()) ? a.get() : b.get());
  }

  /**
   * The job's start offset within the jitter: the same in every sidecar and at every time,
   * different between jobs.
   */
  Duration jitterOf(String jobId) {
    if (jitter == null || jitter.toMillis() == 0) {
      return Duration.ZERO;
    }
    long seed = jobId.hashCode() * 0x9E3779B97F4A7C15L;
    return Duration.ofMillis(new java.util.SplittableRandom(seed).nextLong(jitter.toMillis()));
  }
}
