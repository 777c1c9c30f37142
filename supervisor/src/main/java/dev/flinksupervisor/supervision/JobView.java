package dev.flinksupervisor.supervision;

import dev.flinksupervisor.flink.CheckpointInfo;
import dev.flinksupervisor.flink.FailureCause;
import dev.flinksupervisor.flink.JobProgress;
import dev.flinksupervisor.flink.JobSummary;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What the sidecar knows of one job: the latest {@code /jobs/overview} line, the latest restarts
 * and checkpoint progress from the JobManager, and the newest checkpoint Flink's HA data retains.
 *
 * @param progressAt when {@code progress} was read; {@code null} before the first read
 * @param retained the newest checkpoint in Flink's HA ConfigMap, read while the JobManager did not
 *     answer
 * @param retainedAt when {@code retained} was read; {@code null} if never
 * @param history what health remembers between cycles
 * @param failure the newest entry of the job's exception history
 * @param health the verdict of the last cycle
 */
public record JobView(
    JobSummary summary,
    Optional<JobProgress> progress,
    Instant progressAt,
    Optional<CheckpointInfo> retained,
    Instant retainedAt,
    JobHistory history,
    Optional<FailureCause> failure,
    Health health) {

  /** Where a restorable pointer was learnt. */
  public enum Source {
    /** The JobManager's checkpoint statistics. */
    JOBMANAGER,
    /** Flink's HA ConfigMap and HA storage, read without the JobManager. */
    HA_CONFIGMAP
  }

  /** The newest state a job can be restored from, and where the sidecar learnt of it. */
  public record Restorable(CheckpointInfo checkpoint, Source source) {}

  public static JobView firstSeen(JobSummary summary) {
    return new JobView(
        summary,
        Optional.empty(),
        null,
        Optional.empty(),
        null,
        JobHistory.EMPTY,
        Optional.empty(),
        Health.UNKNOWN_YET);
  }

  public String id() {
    return summary.id();
  }

  public JobView withSummary(JobSummary next) {
    return new JobView(next, progress, progressAt, retained, retainedAt, history, failure, health);
  }

  /**
   * New progress, and what health remembers of it ({@code keep}: the longest window). A completed
   * checkpoint or savepoint is never forgotten: a JobManager that no longer reports one (a
   * terminated job's archived statistics are empty) leaves the last known one in place.
   */
  public JobView withProgress(JobProgress next, Instant at, Duration keep) {
    JobProgress merged =
        progress
            .map(
                before ->
                    new JobProgress(
                        next.restarts(),
                        newest(before.lastCheckpoint(), next.lastCheckpoint()),
                        newest(before.lastSavepoint(), next.lastSavepoint()),
                        next.triggeredCheckpoints(),
                        next.failedCheckpoints()))
            .orElse(next);
    return new JobView(
        summary,
        Optional.of(merged),
        at,
        retained,
        retainedAt,
        history.observe(merged, at, keep),
        failure,
        health);
  }

  private static Optional<CheckpointInfo> newest(
      Optional<CheckpointInfo> before, Optional<CheckpointInfo> now) {
    if (now.isEmpty()) {
      return before;
    }
    if (before.isEmpty()) {
      return now;
    }
    return now.get().completedAt() >= before.get().completedAt() ? now : before;
  }

  public JobView withProgress(JobProgress next, Instant at) {
    return withProgress(next, at, Duration.ofHours(1));
  }

  public JobView withRetained(Optional<CheckpointInfo> next, Instant at) {
    return new JobView(summary, progress, progressAt, next, at, history, failure, health);
  }

  public JobView withFailure(Optional<FailureCause> next) {
    return new JobView(summary, progress, progressAt, retained, retainedAt, history, next, health);
  }

  public JobView withHealth(Health next) {
    return new JobView(summary, progress, progressAt, retained, retainedAt, history, failure, next);
  }

  /** Restarts as Flink's {@code numRestarts} reports them, or -1 while unknown. */
  public long restarts() {
    return progress.map(JobProgress::restarts).orElse(-1L);
  }

  public Optional<CheckpointInfo> lastCheckpoint() {
    return progress.flatMap(JobProgress::lastCheckpoint);
  }

  /**
   * The newest of the JobManager's last completed checkpoint and the HA-retained one (read only
   * while the JobManager does not answer).
   */
  public Optional<Restorable> restorable() {
    Optional<Restorable> fromJobManager =
        lastCheckpoint().map(c -> new Restorable(c, Source.JOBMANAGER));
    Optional<Restorable> fromHa = retained.map(c -> new Restorable(c, Source.HA_CONFIGMAP));
    if (fromJobManager.isEmpty()) {
      return fromHa;
    }
    if (fromHa.isEmpty()) {
      return fromJobManager;
    }
    // On a tie the HA data wins: it is what Flink itself restores from.
    return fromHa.get().checkpoint().id() >= fromJobManager.get().checkpoint().id()
        ? fromHa
        : fromJobManager;
  }
}
