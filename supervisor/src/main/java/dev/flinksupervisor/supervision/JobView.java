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

  /**
   * A job seen for the first time, knowing the newest checkpoint the sidecar's record holds for it:
   * a run that went back behind it is noticed after a restart of the sidecar too.
   */
  public static JobView firstSeen(JobSummary summary, CheckpointInfo recordedCheckpoint) {
    return firstSeen(summary).withHistory(JobHistory.knowing(recordedCheckpoint));
  }

  private JobView withHistory(JobHistory next) {
    return new JobView(summary, progress, progressAt, retained, retainedAt, next, failure, health);
  }

  /**
   * The latest overview line. A job id that runs again after it FINISHED or was CANCELED (a
   * resubmission under a fixed id, as application clusters do) starts a new run: what it restores
   * is what it was given, not a step back.
   */
  public JobView withSummary(JobSummary next) {
    JobHistory nextHistory =
        endedOnPurpose(summary.status()) && !next.status().isGloballyTerminalState()
            ? history.newRun()
            : history;
    return new JobView(
        next, progress, progressAt, retained, retainedAt, nextHistory, failure, health);
  }

  /** Whether a job in {@code status} was ended on purpose: finished, or cancelled. */
  public static boolean endedOnPurpose(org.apache.flink.api.common.JobStatus status) {
    return status == org.apache.flink.api.common.JobStatus.FINISHED
        || status == org.apache.flink.api.common.JobStatus.CANCELED;
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
                        next.failedCheckpoints(),
                        next.restored(),
                        next.checkpointSettings().or(before::checkpointSettings)))
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
   * while the JobManager does not answer); for a run that went back behind the job's state, the
   * newest checkpoint from before, which is what the record keeps too.
   */
  public Optional<Restorable> restorable() {
    if (history.stateRegression().isPresent()) {
      // The run went back: what it checkpoints since is older state than the job had reached.
      return Optional.of(
          new Restorable(history.stateRegression().get().newer(), Source.JOBMANAGER));
    }
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
