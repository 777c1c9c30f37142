package dev.flinksupervisor.jobs;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Map;

/**
 * One change of a running job's slot profiles: check the new profiles, stop with a savepoint, then
 * run the job again from that savepoint with the new profiles, or with the old ones when the new
 * ones are refused.
 *
 * @param id the sidecar's id of the operation
 * @param jobId the run that is re-profiled
 * @param from the mapping of slot-sharing groups to profile names before
 * @param to the mapping asked for
 * @param targetDirectory where the stop savepoint goes; null: the cluster's default
 * @param savepointId the record of the stop-with-savepoint, in the job's savepoints; chosen and
 *     stored before the job is stopped
 * @param savepointPath where the savepoint was written, once it completed
 * @param newJobId the id of the run being started or started; chosen and recorded before the
 *     submission, so a sidecar that restarts mid-way finds the run it started
 * @param error why the new profiles were not applied, or why the job is not running again yet
 * @param nextAttemptAt when a failed resubmission with the old profiles is tried again
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Reprofile(
    String id,
    String jobId,
    State state,
    Map<String, String> from,
    Map<String, String> to,
    String targetDirectory,
    String savepointId,
    String savepointPath,
    String newJobId,
    String error,
    int attempts,
    Instant requestedAt,
    Instant nextAttemptAt,
    Instant endedAt) {

  /** Where an operation is. */
  public enum State {
    /** The new profiles are checked against the job's graph; the job is not touched yet. */
    CHECKING,
    /** Stop-with-savepoint is in flight. */
    STOPPING,
    /** The job is being started from the savepoint with the new profiles. */
    STARTING,
    /** The new profiles were refused; the job is being started with the old ones. */
    ROLLING_BACK,
    /** The job runs with the new profiles. */
    COMPLETED,
    /** The job runs again with its old profiles; {@code error} says why. */
    ROLLED_BACK,
    /** The job was not stopped (the check or the savepoint failed) and keeps its old profiles. */
    FAILED;

    public boolean ended() {
      return this == COMPLETED || this == ROLLED_BACK || this == FAILED;
    }
  }

  public Reprofile {
    from = from == null ? Map.of() : Map.copyOf(from);
    to = to == null ? Map.of() : Map.copyOf(to);
  }

  static Reprofile checking(
      String id,
      String jobId,
      Map<String, String> from,
      Map<String, String> to,
      String targetDirectory,
      Instant at) {
    return new Reprofile(
        id,
        jobId,
        State.CHECKING,
        from,
        to,
        targetDirectory,
        null,
        null,
        null,
        null,
        0,
        at,
        null,
        null);
  }

  private Reprofile with(
      State nextState,
      String nextSavepointId,
      String nextPath,
      String nextJobId,
      String nextError,
      int nextAttempts,
      Instant nextAttempt,
      Instant ended) {
    return new Reprofile(
        id,
        jobId,
        nextState,
        from,
        to,
        targetDirectory,
        nextSavepointId,
        nextPath,
        nextJobId,
        nextError,
        nextAttempts,
        requestedAt,
        nextAttempt,
        ended);
  }

  /** Checked: the job is stopped with savepoint {@code stopId}, stored before it is taken. */
  Reprofile stopping(String stopId) {
    return with(State.STOPPING, stopId, null, null, null, attempts, null, null);
  }

  Reprofile starting(State state, String newRunId) {
    return with(state, savepointId, savepointPath, newRunId, error, attempts + 1, null, null);
  }

  /** The job stopped with a savepoint at {@code path}: the new profiles are next. */
  Reprofile stopped(String path) {
    return with(State.STARTING, savepointId, path, null, null, attempts, null, null);
  }

  /** The new profiles were refused: the old ones are next, under a new run id. */
  Reprofile rollingBack(String reason) {
    return with(State.ROLLING_BACK, savepointId, savepointPath, null, reason, 0, null, null);
  }

  Reprofile retryAt(Instant at, String reason) {
    return with(state, savepointId, savepointPath, null, reason, attempts, at, null);
  }

  /**
   * No answer came to the submission of the new run: submitted again under the same id at {@code
   * at}, since Flink may have it already (and then refuses the same id as a duplicate, which counts
   * as started).
   */
  Reprofile retrySameRunAt(Instant at, String reason) {
    return with(state, savepointId, savepointPath, newJobId, reason, attempts, at, null);
  }

  Reprofile ended(State end, String reason, Instant at) {
    return with(end, savepointId, savepointPath, newJobId, reason, attempts, null, at);
  }
}
