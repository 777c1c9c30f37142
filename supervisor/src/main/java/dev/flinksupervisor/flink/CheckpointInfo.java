package dev.flinksupervisor.flink;

/**
 * A completed checkpoint or savepoint.
 *
 * @param completedAt epoch milliseconds when it completed
 * @param externalPath where it is stored; a job can be restored from it
 */
public record CheckpointInfo(long id, long completedAt, boolean savepoint, String externalPath) {}
