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
 */
public record SavepointPolicy(
    Duration interval,
    String cron,
    List<BlackoutWindow> blackouts,
    int retainCount,
    Duration retainAge,
    boolean onShutdown) {

  public SavepointPolicy {
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

  /**
   * Whether a scheduled savepoint is due now, given when the previous scheduled one (or, before
   * any, the first sight of the job) was requested.
   */
  public boolean scheduledDue(Instant previous, Instant now) {
    boolean due = false;
    if (interval != null) {
      due = !previous.plus(interval).isAfter(now);
    }
    if (!due && cron != null) {
      Optional<Duration> sinceLast =
          ExecutionTime.forCron(BlackoutWindow.parse(cron))
              .lastExecution(now.atZone(ZoneOffset.UTC))
              .map(last -> Duration.between(last.toInstant(), now));
      due = sinceLast.isPresent() && now.minus(sinceLast.get()).isAfter(previous);
    }
    return due && blackouts.stream().noneMatch(b -> b.covers(now));
  }
}
