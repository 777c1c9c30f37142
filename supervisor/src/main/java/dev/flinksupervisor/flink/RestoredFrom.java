package dev.flinksupervisor.flink;

/**
 * The state a job's current run started from, as Flink's checkpoint statistics tell it ({@code
 * latest.restored}).
 *
 * @param checkpointId the id of the checkpoint or savepoint restored
 * @param restoredAt epoch milliseconds when the run restored it
 * @param savepoint whether it was restored as a savepoint (a path given at submission)
 * @param externalPath where it is stored, if Flink says
 */
public record RestoredFrom(
    long checkpointId, long restoredAt, boolean savepoint, String externalPath) {}
