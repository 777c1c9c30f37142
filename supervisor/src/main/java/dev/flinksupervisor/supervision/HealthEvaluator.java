package dev.flinksupervisor.supervision;

import dev.flinksupervisor.flink.CheckpointInfo;
import dev.flinksupervisor.flink.FailureCause;
import dev.flinksupervisor.flink.JobProgress;
import dev.flinksupervisor.flink.JobSummary;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.flink.api.common.JobStatus;

/** Pure: a job's health from what the sidecar knows of it, its thresholds, and the time. */
public final class HealthEvaluator {
  private static final Set<JobStatus> TRANSITIONAL =
      EnumSet.of(
          JobStatus.CREATED,
          JobStatus.INITIALIZING,
          JobStatus.RESTARTING,
          JobStatus.FAILING,
          JobStatus.CANCELLING,
          JobStatus.RECONCILING);

  private HealthEvaluator() {}

  public static Health evaluate(
      JobSummary summary,
      Optional<JobProgress> progress,
      JobHistory history,
      Optional<FailureCause> failure,
      HealthThresholds t,
      Instant now) {
    List<Health.Reason> reasons = new ArrayList<>();
    JobStatus status = summary.status();
    String cause = failure.map(f -> " Last failure: " + f.summary() + ".").orElse("");

    if (status == JobStatus.FAILED) {
      reasons.add(
          new Health.Reason(
              "JOB_FAILED",
              Verdict.UNHEALTHY,
              "The job FAILED and will not restart by itself." + cause));
    }
    if (TRANSITIONAL.contains(status) && summary.lastModification() > 0) {
      Duration in = Duration.between(Instant.ofEpochMilli(summary.lastModification()), now);
      if (in.compareTo(t.stuckAfter()) >= 0) {
        reasons.add(
            new Health.Reason(
                "STUCK_" + status.name(),
                Verdict.UNHEALTHY,
                "The job has been "
                    + status
                    + " for "
                    + minutes(in)
                    + ", longer than "
                    + minutes(t.stuckAfter())
                    + "."
                    + cause));
      } else if (status == JobStatus.RESTARTING || status == JobStatus.FAILING) {
        reasons.add(
            new Health.Reason(
                status.name(), Verdict.DEGRADED, "The job is " + status + "." + cause));
      }
    }
    if (history.stateRegression().isPresent() && !status.isGloballyTerminalState()) {
      reasons.add(
          new Health.Reason(
              "STATE_REGRESSED",
              Verdict.UNHEALTHY,
              history.stateRegression().get().describe()
                  + " Restart it from checkpoint "
                  + history.stateRegression().get().newer().id()
                  + " or a newer one."));
    }
    long restarts = history.restartsWithin(t.restartWindow(), now);
    if (restarts > t.restartLimit()) {
      reasons.add(
          new Health.Reason(
              "RESTART_LOOP",
              Verdict.UNHEALTHY,
              "The job restarted "
                  + restarts
                  + " times in the last "
                  + minutes(t.restartWindow())
                  + " (limit "
                  + t.restartLimit()
                  + ")."
                  + cause));
    }
    if (status == JobStatus.RUNNING && progress.isPresent() && progress.get().checkpointing()) {
      JobProgress p = progress.get();
      Instant running = Instant.ofEpochMilli(summary.lastModification());
      Optional<Instant> lastCompleted =
          p.lastCheckpoint().map(CheckpointInfo::completedAt).map(Instant::ofEpochMilli);
      Instant since = lastCompleted.filter(c -> c.isAfter(running)).orElse(running);
      Duration without = Duration.between(since, now);
      Duration window = checkpointWindow(t, p);
      if (without.compareTo(window) >= 0) {
        reasons.add(
            new Health.Reason(
                "NO_CHECKPOINT_PROGRESS",
                Verdict.DEGRADED,
                "No checkpoint completed for "
                    + minutes(without)
                    + " (window "
                    + minutes(window)
                    + windowSource(t, p)
                    + ")."));
      }
      long failedInRow = history.failuresSinceLastCheckpoint(p);
      if (failedInRow >= t.checkpointFailureLimit()) {
        reasons.add(
            new Health.Reason(
                "CHECKPOINT_FAILURES",
                Verdict.DEGRADED,
                failedInRow
                    + " checkpoints failed since the last completed one (limit "
                    + t.checkpointFailureLimit()
                    + ")."));
      }
    }
    if (status == JobStatus.RUNNING && t.savepointFreshness() != null) {
      Optional<CheckpointInfo> savepoint = progress.flatMap(JobProgress::lastSavepoint);
      Instant started = Instant.ofEpochMilli(Math.max(0, summary.startTime()));
      Instant since =
          savepoint
              .map(s -> Instant.ofEpochMilli(s.completedAt()))
              .filter(at -> at.isAfter(started))
              .orElse(started);
      Duration age = Duration.between(since, now);
      if (age.compareTo(t.savepointFreshness()) > 0) {
        reasons.add(
            new Health.Reason(
                SAVEPOINT_STALE,
                Verdict.DEGRADED,
                savepoint
                        .map(s -> "The newest savepoint (" + s.externalPath() + ") completed ")
                        .orElse("No savepoint completed since the job started ")
                    + minutes(age)
                    + " ago, longer than its freshness threshold of "
                    + minutes(t.savepointFreshness())
                    + "."));
      }
    }
    return Health.of(reasons);
  }

  /** The code of the reason a job's newest savepoint is older than its threshold. */
  public static final String SAVEPOINT_STALE = "SAVEPOINT_STALE";

  /**
   * The checkpoint window of a job: its own thresholds', or one that follows the job's checkpoint
   * settings as its JobManager reports them, or a fallback until they are read.
   */
  static Duration checkpointWindow(HealthThresholds t, JobProgress p) {
    if (t.checkpointWindow() != null) {
      return t.checkpointWindow();
    }
    return p.checkpointSettings()
        .map(dev.flinksupervisor.flink.CheckpointSettings::progressWindow)
        .orElse(HealthThresholds.FALLBACK_CHECKPOINT_WINDOW);
  }

  private static String windowSource(HealthThresholds t, JobProgress p) {
    if (t.checkpointWindow() != null) {
      return "";
    }
    return p.checkpointSettings()
        .map(
            c ->
                ", from the job's checkpoint interval "
                    + c.interval().toMillis()
                    + " ms, timeout "
                    + c.timeout().toMillis()
                    + " ms and "
                    + c.tolerableFailures()
                    + " tolerated failure(s)")
        .orElse(", the job's checkpoint settings not read yet");
  }

  private static String minutes(Duration d) {
    long seconds = d.toSeconds();
    return seconds < 120 ? seconds + " s" : seconds / 60 + " min";
  }
}
