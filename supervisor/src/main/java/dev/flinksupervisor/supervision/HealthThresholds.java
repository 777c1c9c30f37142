package dev.flinksupervisor.supervision;

import java.time.Duration;

/**
 * When a job stops being healthy. Each job may have its own; the cluster's default applies
 * otherwise.
 *
 * @param restartLimit more restarts than this within {@code restartWindow} is a restart loop
 * @param checkpointWindow a checkpointing job with no completed checkpoint for this long is
 *     DEGRADED
 * @param checkpointFailureLimit this many failed checkpoints in a row is DEGRADED
 * @param stuckAfter a job in CREATED, INITIALIZING, RESTARTING, FAILING, CANCELLING or RECONCILING
 *     for this long is UNHEALTHY
 */
public record HealthThresholds(
    int restartLimit,
    Duration restartWindow,
    Duration checkpointWindow,
    int checkpointFailureLimit,
    Duration stuckAfter) {

  public HealthThresholds {
    if (restartLimit < 0 || checkpointFailureLimit < 1) {
      throw new IllegalArgumentException(
          "restartLimit must be at least 0 and checkpointFailureLimit at least 1");
    }
    for (Duration d : new Duration[] {restartWindow, checkpointWindow, stuckAfter}) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("windows and limits of time must be longer than zero");
      }
    }
  }
}
