package dev.flinksupervisor.supervision;

import dev.flinksupervisor.flink.CheckpointInfo;
import dev.flinksupervisor.flink.JobProgress;
import dev.flinksupervisor.flink.JobSummary;
import java.time.Instant;
import java.util.Optional;

/**
 * What the sidecar knows of one job: the latest {@code /jobs/overview} line, and the latest
 * restarts and checkpoint progress with the time they were read.
 *
 * @param progressAt when {@code progress} was read; {@code null} before the first read
 */
public record JobView(JobSummary summary, Optional<JobProgress> progress, Instant progressAt) {

  public static JobView firstSeen(JobSummary summary) {
    return new JobView(summary, Optional.empty(), null);
  }

  public String id() {
    return summary.id();
  }

  public JobView withSummary(JobSummary next) {
    return new JobView(next, progress, progressAt);
  }

  public JobView withProgress(JobProgress next, Instant at) {
    return new JobView(summary, Optional.of(next), at);
  }

  /** Restarts as Flink's {@code numRestarts} reports them, or -1 while unknown. */
  public long restarts() {
    return progress.map(JobProgress::restarts).orElse(-1L);
  }

  public Optional<CheckpointInfo> lastCheckpoint() {
    return progress.flatMap(JobProgress::lastCheckpoint);
  }
}
