package dev.flinksupervisor.supervision;

import dev.flinksupervisor.flink.CheckpointInfo;
import dev.flinksupervisor.flink.JobProgress;
import dev.flinksupervisor.flink.RestoredFrom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What health needs to remember of a job between cycles: its restart count over time, the
 * failed-checkpoint count when the last checkpoint completed, and whether its state went back.
 *
 * @param restartSamples restart counts as read, oldest first, pruned to the longest window
 * @param lastCheckpointId the id of the newest completed checkpoint seen, -1 for none
 * @param failedAtLastCheckpoint the failed-checkpoint count when that checkpoint was first seen
 * @param newestCheckpoint the newest completed checkpoint (not savepoint) seen of this job id; null
 *     for none
 * @param lastRestoredAt when the newest restore seen happened (epoch ms), 0 for none
 * @param regression set once a run of this job id started from state older than a checkpoint it had
 *     completed before; never cleared for the job id
 * @param confirmedCheckpoint the newest checkpoint seen that a newer one followed: it surely
 *     reached Flink's HA store. The newest one may not have: Flink reports a checkpoint completed
 *     before storing it, and one it failed to store is dropped, so a failover legitimately restores
 *     the one before it. Null until two were seen.
 */
public record JobHistory(
    List<Sample> restartSamples,
    long lastCheckpointId,
    long failedAtLastCheckpoint,
    CheckpointInfo newestCheckpoint,
    long lastRestoredAt,
    StateRegression regression,
    CheckpointInfo confirmedCheckpoint) {

  /** A restart count read at a time. */
  public record Sample(Instant at, long restarts) {}

  /**
   * A run that started from older state than the job had reached: Flink lost the job's retained
   * checkpoints (its HA data was cleared) and fell back to the state the job was submitted with, or
   * to none. Output committed since {@code newer} is produced again.
   *
   * @param restored what the run restored, empty when it started without state
   * @param newer the newest checkpoint the job had completed before
   * @param detectedAt when the sidecar noticed
   */
  public record StateRegression(
      Optional<RestoredFrom> restored, CheckpointInfo newer, Instant detectedAt) {

    /** One line for events and health reasons. */
    public String describe() {
      String from =
          restored
              .map(
                  r ->
                      "restored "
                          + (r.savepoint() ? "savepoint " : "checkpoint ")
                          + r.checkpointId()
                          + (r.externalPath() == null ? "" : " (" + r.externalPath() + ")"))
              .orElse("started without its state (checkpoint ids began again)");
      return "The job "
          + from
          + ", older than checkpoint "
          + newer.id()
          + " ("
          + newer.externalPath()
          + ") that it had completed before: Flink lost the job's retained checkpoints, and"
          + " output since checkpoint "
          + newer.id()
          + " is produced again.";
    }
  }

  public static final JobHistory EMPTY = new JobHistory(List.of(), -1, 0, null, 0, null, null);

  /**
   * Starts from a checkpoint known from the sidecar's record, for a job seen for the first time.
   */
  public static JobHistory knowing(CheckpointInfo newestCheckpoint) {
    return new JobHistory(List.of(), -1, 0, newestCheckpoint, 0, null, newestCheckpoint);
  }

  /** A new run under the same job id after the last one ended on purpose: nothing to compare. */
  public JobHistory newRun() {
    return new JobHistory(restartSamples, -1, 0, null, 0, null, null);
  }

  public Optional<StateRegression> stateRegression() {
    return Optional.ofNullable(regression);
  }

  /** Adds what one read of the job's progress says; keeps samples for {@code keep}. */
  public JobHistory observe(JobProgress progress, Instant at, Duration keep) {
    List<Sample> samples = new ArrayList<>();
    Instant horizon = at.minus(keep);
    for (int i = 0; i < restartSamples.size(); i++) {
      Sample s = restartSamples.get(i);
      boolean nextIsAlsoOld =
          i + 1 < restartSamples.size() && restartSamples.get(i + 1).at().isBefore(horizon);
      // Keep the newest sample before the horizon: it is the baseline of the window.
      if (!(s.at().isBefore(horizon) && nextIsAlsoOld)) {
        samples.add(s);
      }
    }
    if (progress.restarts() >= 0) {
      samples.add(new Sample(at, progress.restarts()));
    }
    long checkpointId = progress.lastCheckpoint().map(CheckpointInfo::id).orElse(-1L);
    boolean newCheckpoint = checkpointId != lastCheckpointId;
    Optional<RestoredFrom> restored = progress.restored();
    long restoredAt = restored.map(RestoredFrom::restoredAt).orElse(lastRestoredAt);
    StateRegression found = regression;
    if (found == null && newestCheckpoint != null) {
      found = regressionIn(progress, at).orElse(null);
    }
    CheckpointInfo newest = newestCheckpoint;
    CheckpointInfo confirmed = confirmedCheckpoint;
    Optional<CheckpointInfo> latest = progress.lastCheckpoint().filter(c -> !c.savepoint());
    if (found == null
        && latest.isPresent()
        && (newest == null || latest.get().completedAt() > newest.completedAt())) {
      if (newest != null && newest.id() != latest.get().id()) {
        confirmed = newest;
      }
      newest = latest.get();
    }
    return new JobHistory(
        List.copyOf(samples),
        checkpointId,
        newCheckpoint ? progress.failedCheckpoints() : failedAtLastCheckpoint,
        newest,
        Math.max(lastRestoredAt, restoredAt),
        found,
        confirmed);
  }

  /**
   * Whether this read shows a run that went back: it restored (after it completed) something older
   * than {@link #confirmedCheckpoint}, or a checkpoint that completed after {@link
   * #newestCheckpoint} bears a lower id (Flink's checkpoint counter began again, as when a run
   * starts without the job's retained checkpoints; a dropped checkpoint does not reset it).
   */
  private Optional<StateRegression> regressionIn(JobProgress progress, Instant at) {
    Optional<RestoredFrom> restored = progress.restored();
    if (restored.isPresent()
        && confirmedCheckpoint != null
        && restored.get().restoredAt() > lastRestoredAt
        && restored.get().restoredAt() > confirmedCheckpoint.completedAt()
        && restored.get().checkpointId() < confirmedCheckpoint.id()) {
      return Optional.of(new StateRegression(restored, confirmedCheckpoint, at));
    }
    Optional<CheckpointInfo> latest = progress.lastCheckpoint();
    if (latest.isPresent()
        && latest.get().completedAt() > newestCheckpoint.completedAt()
        && latest.get().id() < newestCheckpoint.id()) {
      return Optional.of(
          new StateRegression(
              restored.filter(r -> r.restoredAt() > newestCheckpoint.completedAt()),
              newestCheckpoint,
              at));
    }
    return Optional.empty();
  }

  /** Restarts seen within {@code window} before {@code now}. */
  public long restartsWithin(Duration window, Instant now) {
    if (restartSamples.isEmpty()) {
      return 0;
    }
    Instant start = now.minus(window);
    Sample baseline = restartSamples.get(0);
    for (Sample s : restartSamples) {
      if (!s.at().isAfter(start)) {
        baseline = s;
      }
    }
    long latest = restartSamples.get(restartSamples.size() - 1).restarts();
    return Math.max(0, latest - baseline.restarts());
  }

  /** Failed checkpoints since the newest completed one. */
  public long failuresSinceLastCheckpoint(JobProgress progress) {
    return Math.max(0, progress.failedCheckpoints() - failedAtLastCheckpoint);
  }
}
