package dev.flinksupervisor.supervision;

import dev.flinksupervisor.flink.ClusterOverview;
import dev.flinksupervisor.flink.Leader;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the sidecar last learnt of the cluster, as one immutable value.
 *
 * @param lastSuccess when the jobs were last read successfully; {@code null} before the first
 * @param lastFailure why the last poll failed, empty when it succeeded
 */
public record ClusterSnapshot(
    Leadership leadership,
    Optional<ClusterOverview> overview,
    Map<String, JobView> jobs,
    Instant lastSuccess,
    Optional<String> lastFailure) {

  public static final ClusterSnapshot EMPTY =
      new ClusterSnapshot(Leadership.UNKNOWN, Optional.empty(), Map.of(), null, Optional.empty());

  public Optional<Leader> leader() {
    return leadership.leader();
  }

  public ClusterSnapshot withLeadership(Leadership next) {
    return new ClusterSnapshot(next, overview, jobs, lastSuccess, lastFailure);
  }

  public ClusterSnapshot withOverview(ClusterOverview next) {
    return new ClusterSnapshot(leadership, Optional.of(next), jobs, lastSuccess, lastFailure);
  }

  public ClusterSnapshot withJobs(Map<String, JobView> next, Instant at) {
    return new ClusterSnapshot(leadership, overview, Map.copyOf(next), at, Optional.empty());
  }

  /** Replaces the jobs without claiming the JobManager answered. */
  public ClusterSnapshot withJobsKeepingFreshness(Map<String, JobView> next) {
    return new ClusterSnapshot(leadership, overview, Map.copyOf(next), lastSuccess, lastFailure);
  }

  public ClusterSnapshot withFailure(String reason) {
    return new ClusterSnapshot(leadership, overview, jobs, lastSuccess, Optional.of(reason));
  }
}
