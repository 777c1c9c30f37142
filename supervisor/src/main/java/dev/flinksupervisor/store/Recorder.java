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
}
