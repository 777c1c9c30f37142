package dev.flinksupervisor.jobs;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Map;

/**
 * One change of a running job's slot profiles: stop with a savepoint, then run the job again from
 * that savepoint with the new profiles, or with the old ones when the new ones are refused.
 *
 * @param id the sidecar's id of the operation
 * @param jobId the run that is re-profiled
 * @param from the mapping of slot-sharing groups to profile names before
 * @param to the mapping asked for
 * @param savepointId the record of the stop-with-savepoint, in the job's savepoints
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
    /** The job was not stopped (the savepoint failed) and keeps its old profiles. */
    FAILED;

    public boolean ended() {
      return this == COMPLETED || this == ROLLED_BACK || this == FAILED;
    }
  }

  public Reprofile {
    from = from == null ? Map.of() : Map.copyOf(from);
    to = to == null ? Map.of() : Map.copyOf(to);
  }

  static Reprofile stopping(
      String id,
      String jobId,
      Map<String, String> from,
      Map<String, String> to,
      String savepointId,
      Instant at) {
    return new Reprofile(
        id, jobId, State.STOPPING, from, to, savepointId, null, null, null, 0, at, null, null);
  }

  Reprofile starting(State state, String savepointPath, String newJobId, String error) {
    return new Reprofile(
        id,
        jobId,
        state,
        from,
        to,
        savepointId,
        savepointPath,
        newJobId,
        error,
        attempts + 1,
        requestedAt,
        null,
        null);
  }

  /** The job stopped with a savepoint at {@code path}: the new profiles are next. */
  Reprofile stopped(String path) {
    return new Reprofile(
        id,
        jobId,
        State.STARTING,
        from,
        to,
        savepointId,
        path,
        null,
        null,
        attempts,
        requestedAt,
        null,
        null);
  }

  /** The new profiles were refused: the old ones are next, under a new run id. */
  Reprofile rollingBack(String reason) {
    return new Reprofile(
        id,
        jobId,
        State.ROLLING_BACK,
        from,
        to,
        savepointId,
        savepointPath,
        null,
        reason,
        0,
        requestedAt,
        null,
        null);
  }

  Reprofile retryAt(Instant at, String reason) {
    return new Reprofile(
        id,
        jobId,
        state,
        from,
        to,
        savepointId,
        savepointPath,
        null,
        reason,
        attempts,
        requestedAt,
        at,
        null);
  }

  Reprofile ended(State end, String reason, Instant at) {
    return new Reprofile(
        id,
        jobId,
        end,
        from,
        to,
        savepointId,
        savepointPath,
        newJobId,
        reason,
        attempts,
        requestedAt,
        null,
        at);
  }
}
