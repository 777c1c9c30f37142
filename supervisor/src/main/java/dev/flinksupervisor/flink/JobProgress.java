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
 * @param checkpointSettings the job's checkpoint interval, timeout and tolerated failures, when
 *     read
 */
public record JobProgress(
    long restarts,
    Optional<CheckpointInfo> lastCheckpoint,
    Optional<CheckpointInfo> lastSavepoint,
    long triggeredCheckpoints,
    long failedCheckpoints,
    Optional<RestoredFrom> restored,
    Optional<CheckpointSettings> checkpointSettings) {

  /** Progress whose checkpoint settings are not known. */
  public JobProgress(
      long restarts,
      Optional<CheckpointInfo> lastCheckpoint,
      Optional<CheckpointInfo> lastSavepoint,
      long triggeredCheckpoints,
      long failedCheckpoints,
      Optional<RestoredFrom> restored) {
    this(
        restarts,
        lastCheckpoint,
        lastSavepoint,
        triggeredCheckpoints,
        failedCheckpoints,
        restored,
        Optional.empty());
  }

  /** The same progress with the job's checkpoint settings. */
  public JobProgress withCheckpointSettings(Optional<CheckpointSettings> settings) {
    return new JobProgress(
        restarts,
        lastCheckpoint,
        lastSavepoint,
        triggeredCheckpoints,
        failedCheckpoints,
        restored,
        settings);
  }

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
