package dev.flinksupervisor.savepoints;

import dev.flinksupervisor.flink.FlinkSavepoints.Format;
import dev.flinksupervisor.supervision.Backoff;
import java.time.Duration;

/**
 * How savepoints are taken: the cluster's default policy, the limits of one savepoint, and the
 * defaults of a request.
 *
 * @param timeout a savepoint still in progress this long after its trigger counts as failed
 * @param maxAttempts triggers sent for one savepoint before it is FAILED for good
 * @param retryBackoff the wait before each retry
 * @param defaultTargetDirectory where savepoints go unless a request says; null: Flink's configured
 *     {@code execution.checkpointing.savepoint-dir}
 */
public record SavepointSettings(
    SavepointPolicy defaultPolicy,
    Duration timeout,
    int maxAttempts,
    Backoff retryBackoff,
    String defaultTargetDirectory,
    Format defaultFormat) {}
