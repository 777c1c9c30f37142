package dev.flinksupervisor.store;

/**
 * Stores the changes made so far to the sidecar's record before anything depends on them: a trigger
 * id before the trigger is sent, a job id before the job is submitted.
 */
@FunctionalInterface
public interface Recorder {

  /**
   * Returns once every change made before the call is stored.
   *
   * @throws RecordUnavailable when they could not be stored; the caller must then not act
   */
  void recordNow();

  /**
   * Whether this sidecar may act now: it is ACTIVE and read its record in this ACTIVE term. Work
   * queued before a step-down, or before the record was read again, checks this before it starts.
   */
  default boolean mayAct() {
    return true;
  }
}
