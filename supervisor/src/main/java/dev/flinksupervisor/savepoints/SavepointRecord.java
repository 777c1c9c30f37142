package dev.flinksupervisor.savepoints;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.flinksupervisor.flink.FlinkSavepoints.Format;
import java.time.Instant;

/**
 * One savepoint the sidecar took or is taking, as kept in its record.
 *
 * @param id the sidecar's id of the record
 * @param triggerId the trigger id sent to Flink; a retry after a failure gets a new one
 * @param attempts how many times a trigger was sent
 * @param nextAttemptAt when a pending trigger may be sent (again)
 * @param drain for {@link SavepointOrigin#STOP}: drain the job before stopping
 * @param disposalError why disposing it through Flink failed (retried)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SavepointRecord(
    String id,
    String jobId,
    String triggerId,
    SavepointState state,
    SavepointOrigin origin,
    String targetDirectory,
    Format formatType,
    boolean drain,
    Instant requestedAt,
    Instant triggeredAt,
    Instant completedAt,
    String path,
    String error,
    int attempts,
    Instant nextAttemptAt,
    boolean disposed,
    String disposalError) {

  public SavepointRecord triggered(Instant at) {
    return new SavepointRecord(
        id,
        jobId,
        triggerId,
        SavepointState.IN_PROGRESS,
        origin,
        targetDirectory,
        formatType,
        drain,
        requestedAt,
        at,
        null,
        null,
        null,
        attempts + 1,
        null,
        false,
        null);
  }

  public SavepointRecord completed(String savepointPath, Instant at) {
    return new SavepointRecord(
        id,
        jobId,
        triggerId,
        SavepointState.COMPLETED,
        origin,
        targetDirectory,
        formatType,
        drain,
        requestedAt,
        triggeredAt,
        at,
        savepointPath,
        null,
        attempts,
        null,
        false,
        null);
  }

  /** Ends the record with {@code state} (FAILED or ABANDONED) and the reason. */
  public SavepointRecord ended(SavepointState state, String reason, Instant at) {
    return new SavepointRecord(
        id,
        jobId,
        triggerId,
        state,
        origin,
        targetDirectory,
        formatType,
        drain,
        requestedAt,
        triggeredAt,
        at,
        null,
        reason,
        attempts,
        null,
        false,
        null);
  }

  /** Back to TRIGGER_PENDING with a new trigger id, after a failure that may be retried. */
  public SavepointRecord retry(String newTriggerId, String reason, Instant notBefore) {
    return new SavepointRecord(
        id,
        jobId,
        newTriggerId,
        SavepointState.TRIGGER_PENDING,
        origin,
        targetDirectory,
        formatType,
        drain,
        requestedAt,
        null,
        null,
        null,
        reason,
        attempts,
        notBefore,
        false,
        null);
  }

  /** A failed attempt to send the trigger: counted, retried after {@code notBefore}. */
  public SavepointRecord triggerFailed(String reason, Instant notBefore) {
    return new SavepointRecord(
        id,
        jobId,
        triggerId,
        SavepointState.TRIGGER_PENDING,
        origin,
        targetDirectory,
        formatType,
        drain,
        requestedAt,
        null,
        null,
        null,
        reason,
        attempts + 1,
        notBefore,
        false,
        null);
  }

  /** Still TRIGGER_PENDING, not sent: its record could not be stored; tried again after then. */
  public SavepointRecord waitingToBeRecorded(Instant notBefore) {
    return new SavepointRecord(
        id,
        jobId,
        triggerId,
        state,
        origin,
        targetDirectory,
        formatType,
        drain,
        requestedAt,
        triggeredAt,
        completedAt,
        path,
        error,
        attempts,
        notBefore,
        disposed,
        disposalError);
  }

  public SavepointRecord disposedOf() {
    return new SavepointRecord(
        id,
        jobId,
        triggerId,
        state,
        origin,
        targetDirectory,
        formatType,
        drain,
        requestedAt,
        triggeredAt,
        completedAt,
        path,
        error,
        attempts,
        null,
        true,
        null);
  }

  public SavepointRecord disposalFailed(String reason) {
    return new SavepointRecord(
        id,
        jobId,
        triggerId,
        state,
        origin,
        targetDirectory,
        formatType,
        drain,
        requestedAt,
        triggeredAt,
        completedAt,
        path,
        error,
        attempts,
        null,
        false,
        reason);
  }
}
