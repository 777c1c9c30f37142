package dev.flinksupervisor.jobs;

import java.time.Duration;

/**
 * What the sidecar does when a job it submitted fails for good.
 *
 * @param mode NONE, or RESTART_FROM_LATEST: resubmit from the newest completed savepoint or
 *     checkpoint
 * @param maxAttempts restarts before the sidecar gives up
 * @param backoff the wait before the first restart; it doubles with each attempt
 * @param maxStateAge never restart from state older than this (it would replay too much, or no
 *     longer exist)
 * @param restoreFrom which state a restart, a recovery or a re-profiled run starts from
 */
public record RecoveryPolicy(
    Mode mode,
    int maxAttempts,
    Duration backoff,
    Duration maxStateAge,
    RestoreStrategy restoreFrom) {

  /** Which state a job's next run starts from. */
  public enum RestoreStrategy {
    /** The newest of the sidecar's savepoints and the job's retained checkpoints. */
    LATEST_STATE,
    /** The newest savepoint only (or, with none, the path the job was submitted with). */
    LATEST_SAVEPOINT,
    /** No state: the next run starts empty. */
    NONE
  }

  /** A policy restoring the latest state. */
  public RecoveryPolicy(Mode mode, int maxAttempts, Duration backoff, Duration maxStateAge) {
    this(mode, maxAttempts, backoff, maxStateAge, RestoreStrategy.LATEST_STATE);
  }

  /** The recovery modes. */
  public enum Mode {
    NONE,
    RESTART_FROM_LATEST
  }

  public static final RecoveryPolicy NONE =
      new RecoveryPolicy(Mode.NONE, 0, Duration.ofSeconds(10), Duration.ofDays(1));

  public RecoveryPolicy {
    restoreFrom = restoreFrom == null ? RestoreStrategy.LATEST_STATE : restoreFrom;
    if (mode == null) {
      throw new IllegalArgumentException("mode is NONE or RESTART_FROM_LATEST");
    }
    if (maxAttempts < 0) {
      throw new IllegalArgumentException("maxAttempts must be at least 0");
    }
    if (backoff == null
        || backoff.isNegative()
        || maxStateAge == null
        || maxStateAge.isNegative()
        || maxStateAge.isZero()) {
      throw new IllegalArgumentException(
          "backoff must be at least zero and maxStateAge longer than zero");
    }
  }
}
