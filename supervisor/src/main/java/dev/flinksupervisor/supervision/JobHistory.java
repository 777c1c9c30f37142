package dev.flinksupervisor.supervision;

import dev.flinksupervisor.flink.CheckpointInfo;
import dev.flinksupervisor.flink.JobProgress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What health needs to remember of a job between cycles: its restart count over time, and the
 * failed-checkpoint count when the last checkpoint completed.
 *
 * @param restartSamples restart counts as read, oldest first, pruned to the longest window
 * @param lastCheckpointId the id of the newest completed checkpoint seen, -1 for none
 * @param failedAtLastCheckpoint the failed-checkpoint count when that checkpoint was first seen
 */
public record JobHistory(
    List<Sample> restartSamples, long lastCheckpointId, long failedAtLastCheckpoint) {

  /** A restart count read at a time. */
  public record Sample(Instant at, long restarts) {}

  public static final JobHistory EMPTY = new JobHistory(List.of(), -1, 0);

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
    return new JobHistory(
        List.copyOf(samples),
        checkpointId,
        newCheckpoint ? progress.failedCheckpoints() : failedAtLastCheckpoint);
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
