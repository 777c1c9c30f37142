package dev.flinksupervisor.supervision;

import java.time.Duration;

/**
 * When a job stops being healthy. Each job may have its own; the cluster's default applies
 * otherwise.
 *
 * @param restartLimit more restarts than this within {@code restartWindow} is a restart loop
 * @param checkpointWindow a checkpointing job with no completed checkpoint for this long is
 *     DEGRADED; null: the window follows the job's own checkpoint interval, timeout and tolerated
 *     failures (see {@link dev.flinksupervisor.flink.CheckpointSettings#progressWindow()})
 * @param checkpointFailureLimit this many failed checkpoints in a row is DEGRADED
 * @param stuckAfter a job in CREATED, INITIALIZING, RESTARTING, FAILING, CANCELLING or RECONCILING
 *     for this long is UNHEALTHY
 * @param savepointFreshness a running job whose newest completed savepoint (or its start, if it has
 *     none) is older than this is DEGRADED; null: not judged
 */
public record HealthThresholds(
    int restartLimit,
    Duration restartWindow,
    Duration checkpointWindow,
    int checkpointFailureLimit,
    Duration stuckAfter,
    Duration savepointFreshness) {

  /** Until the job's checkpoint settings are read, a window of this length applies. */
  public static final Duration FALLBACK_CHECKPOINT_WINDOW = Duration.ofMinutes(10);

  /** Thresholds without a savepoint freshness. */
  public HealthThresholds(
      int restartLimit,
      Duration restartWindow,
      Duration checkpointWindow,
      int checkpointFailureLimit,
      Duration stuckAfter) {
    this(restartLimit, restartWindow, checkpointWindow, checkpointFailureLimit, stuckAfter, null);
  }

  public HealthThresholds {
    if (restartLimit < 0 || checkpointFailureLimit < 1) {
      throw new IllegalArgumentException(
          "restartLimit must be at least 0 and checkpointFailureLimit at least 1");
    }
    for (Duration d : new Duration[] {restartWindow, stuckAfter}) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("windows and limits of time must be longer than zero");
      }
    }
    for (Duration d : new Duration[] {checkpointWindow, savepointFreshness}) {
      if (d != null && (d.isNegative() || d.isZero())) {
        throw new IllegalArgumentException("windows and limits of time must be longer than zero");
      }
    }
  }
}
