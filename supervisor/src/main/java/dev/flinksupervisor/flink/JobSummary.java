package dev.flinksupervisor.flink;

import org.apache.flink.api.common.JobStatus;

/**
 * One line of {@code /jobs/overview}. Times are epoch milliseconds as Flink reports them; {@code
 * endTime} is -1 while the job runs.
 */
public record JobSummary(
    String id,
    String name,
    JobStatus status,
    long startTime,
    long endTime,
    long duration,
    long lastModification) {}
