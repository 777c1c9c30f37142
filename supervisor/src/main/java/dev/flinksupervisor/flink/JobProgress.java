package dev.flinksupervisor.flink;

import java.util.Optional;

/**
 * Restarts and checkpoint progress of one job.
 *
 * @param restarts Flink's {@code numRestarts} job metric, or -1 when the JobManager has not
 *     reported it yet
 * @param lastCheckpoint the latest completed checkpoint or savepoint, if any
 * @param lastSavepoint the latest completed savepoint the JobManager knows of, if any
 * @param triggeredCheckpoints how many checkpoints were triggered since the job (re)started
 * @param failedCheckpoints how many checkpoints failed since the job (re)started
 * @param restored what the current run started from, when it restored state
 */
public record JobProgress(
    long restarts,
    Optional<CheckpointInfo> lastCheckpoint,
    Optional<CheckpointInfo> lastSavepoint,
    long triggeredCheckpoints,
    long failedCheckpoints,
    Optional<RestoredFrom> restored) {

  /** Progress of a run that restored nothing, or whose restore is not known. */
  public JobProgress(
      long restarts,
      Optional<CheckpointInfo> lastCheckpoint,
      Optional<CheckpointInfo> lastSavepoint,
      long triggeredCheckpoints,
      long failedCheckpoints) {
    this(
        restarts,
        lastCheckpoint,
        lastSavepoint,
        triggeredCheckpoints,
        failedCheckpoints,
        Optional.empty());
  }

  /** Whether the job checkpoints at all: it triggered at least one checkpoint. */
  public boolean checkpointing() {
    return triggeredCheckpoints > 0;
  }
}
