package dev.flinksupervisor.flink;

import java.util.Optional;

/**
 * The checkpoints a job wrote to its checkpoint directory, read from the file system without the
 * JobManager or Flink's HA data: what is left when Flink's HA data lost a job's checkpoints.
 */
@FunctionalInterface
public interface CheckpointFiles {

  /**
   * The newest complete checkpoint ({@code chk-N/_metadata}) beside {@code known} in its job's
   * checkpoint directory, with an id not below {@code known}'s and its metadata written before
   * {@code writtenBefore} (epoch ms); empty when there is none or {@code known} has no path.
   *
   * @throws Exception when the directory cannot be listed
   */
  Optional<CheckpointInfo> newestBeside(CheckpointInfo known, long writtenBefore) throws Exception;
}
