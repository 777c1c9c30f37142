package dev.flinksupervisor.flink;

import java.util.concurrent.CompletableFuture;

/**
 * Savepoint operations on the leading JobManager. Triggers carry a trigger id chosen by the caller,
 * so that sending the same trigger again (after a retry or a restart) starts nothing new.
 */
public interface FlinkSavepoints {

  /** Savepoint formats Flink writes. */
  enum Format {
    CANONICAL,
    NATIVE
  }

  /** Where an asynchronous savepoint operation stands. */
  enum Phase {
    IN_PROGRESS,
    COMPLETED,
    FAILED,
    /** The JobManager does not know the trigger id (for example after a failover). */
    UNKNOWN
  }

  /** The status of a triggered savepoint: its path when completed, Flink's error when failed. */
  record Status(Phase phase, String path, String error) {}

  /** Triggers a savepoint; {@code targetDirectory} null means Flink's configured default. */
  CompletableFuture<Void> trigger(
      String jobId, String triggerId, String targetDirectory, Format format);

  /** Stops the job with a savepoint; with {@code drain}, sources emit MAX_WATERMARK first. */
  CompletableFuture<Void> stopWithSavepoint(
      String jobId, String triggerId, String targetDirectory, boolean drain, Format format);

  CompletableFuture<Status> status(String jobId, String triggerId);

  /** Cancels the job without a savepoint. */
  CompletableFuture<Void> cancel(String jobId);

  /** Disposes a savepoint through Flink, which deletes its files. */
  CompletableFuture<Void> dispose(String path);

  /**
   * Reads the metadata of the savepoint or retained checkpoint at {@code path} as Flink restores it
   * ({@code _metadata}, with Flink's file systems); completes with its checkpoint id and when its
   * metadata was written, or fails with why Flink could not read it.
   */
  CompletableFuture<Readable> readable(String path);

  /**
   * A savepoint Flink can read: its checkpoint id, when its metadata was written, and its path as
   * Flink spells it (the external pointer a job restored from it reports).
   */
  record Readable(long checkpointId, java.time.Instant writtenAt, String pointer) {}
}
