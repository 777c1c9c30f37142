package dev.flinksupervisor.jobs;

import java.util.List;

/**
 * How a job is run: recorded at submission, so that the sidecar can run it again.
 *
 * @param jarPath the jar, under the configured jar directory
 * @param restorePath the state of the first run; later runs restore from the newest state
 */
public record JobSpec(
    String jarPath,
    String entryClass,
    List<String> args,
    Integer parallelism,
    String restorePath,
    boolean allowNonRestoredState,
    RecoveryPolicy recovery) {}
