package dev.flinksupervisor.flink;

import java.util.Optional;

/**
 * The checkpoints Flink's HA services retain for a job, read without asking the JobManager: the
 * newest restorable state is known even while no JobManager answers.
 */
public interface RetainedCheckpoints {

  /**
   * The newest completed checkpoint Flink's HA services hold for the job; empty when there is none
   * (no checkpoint yet, or the job reached a terminal state and Flink removed its HA data).
   *
   * @throws Exception when the HA data cannot be read
   */
  Optional<CheckpointInfo> latest(String jobId) throws Exception;
}
