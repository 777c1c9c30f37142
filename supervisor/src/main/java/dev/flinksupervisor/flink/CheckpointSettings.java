package dev.flinksupervisor.flink;

import java.time.Duration;

/**
 * A job's checkpointing as its JobManager reports it ({@code /jobs/:id/checkpoints/config}): what
 * the job set in its code counts, not only the cluster's configuration.
 *
 * @param interval the checkpoint interval
 * @param timeout how long one checkpoint may take before it fails
 * @param minPause the least time between the end of one checkpoint and the start of the next
 * @param tolerableFailures consecutive failed checkpoints the job tolerates
 */
public record CheckpointSettings(
    Duration interval, Duration timeout, Duration minPause, int tolerableFailures) {

  /**
   * The longest a healthy job can go without a completed checkpoint under these settings: each of
   * the tolerated failures and the last attempt may take the timeout, each after an interval (or
   * the minimum pause, if longer), and one interval more before the first.
   */
  public Duration progressWindow() {
    if (interval.compareTo(LONGEST_WINDOW) >= 0) {
      return LONGEST_WINDOW; // no periodic checkpoints (Flink reports the interval as unbounded)
    }
    Duration gap = interval.compareTo(minPause) >= 0 ? interval : minPause;
    try {
      Duration window =
          gap.plus(timeout).multipliedBy(Math.max(0, tolerableFailures) + 1L).plus(interval);
      return window.compareTo(LONGEST_WINDOW) > 0 ? LONGEST_WINDOW : window;
    } catch (ArithmeticException e) {
      return LONGEST_WINDOW;
    }
  }

  /**
   * The longest window: a job that tolerates (nearly) unlimited failed checkpoints is still
   * DEGRADED after a week without one.
   */
  public static final Duration LONGEST_WINDOW = Duration.ofDays(7);
}
