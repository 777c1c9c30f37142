package dev.flinksupervisor.savepoints;

/** Where a savepoint stands in the sidecar's record. */
public enum SavepointState {
  /** Recorded with its trigger id; the trigger is being sent (or will be retried). */
  TRIGGER_PENDING,
  /** Flink accepted the trigger and is writing the savepoint. */
  IN_PROGRESS,
  COMPLETED,
  /** Flink or the sidecar gave up; {@code error} says why. */
  FAILED,
  /** Lost track of: the JobManager forgot the trigger and no savepoint shows it completed. */
  ABANDONED;

  public boolean inFlight() {
    return this == TRIGGER_PENDING || this == IN_PROGRESS;
  }
}
