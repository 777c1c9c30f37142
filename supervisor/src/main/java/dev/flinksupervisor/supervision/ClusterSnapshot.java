package dev.flinksupervisor.supervision;

import dev.flinksupervisor.flink.ClusterOverview;
import dev.flinksupervisor.flink.Leader;
import dev.flinksupervisor.flink.TaskManagers;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the sidecar last learnt of the cluster, as one immutable value.
 *
 * @param taskManagers the scheduler, the TaskManagers' resources and the slots each job holds, as
 *     last read (with the overview)
 * @param lastSuccess when the jobs were last read successfully; {@code null} before the first
 * @param lastFailure why the last poll failed, empty when it succeeded
 * @param jobManager the JobManager container as its pod's status tells it, when it is read
 * @param jobManagerHealth a cluster-level health reason about the JobManager container, if any
 */
public record ClusterSnapshot(
    Leadership leadership,
    Optional<ClusterOverview> overview,
    Optional<TaskManagers> taskManagers,
    Map<String, JobView> jobs,
    Instant lastSuccess,
    Optional<String> lastFailure,
    Optional<JobManagerContainer> jobManager,
    Optional<Health.Reason> jobManagerHealth) {

  public static final ClusterSnapshot EMPTY =
      new ClusterSnapshot(
          Leadership.UNKNOWN,
          Optional.empty(),
          Optional.empty(),
          Map.of(),
          null,
          Optional.empty(),
          Optional.empty(),
          Optional.empty());

  public ClusterSnapshot(
      Leadership leadership,
      Optional<ClusterOverview> overview,
      Optional<TaskManagers> taskManagers,
      Map<String, JobView> jobs,
      Instant lastSuccess,
      Optional<String> lastFailure) {
    this(
        leadership,
        overview,
        taskManagers,
        jobs,
        lastSuccess,
        lastFailure,
        Optional.empty(),
        Optional.empty());
  }

  /** The JobManager container's latest status, and the health reason it gives, if any. */
  public ClusterSnapshot withJobManager(
      JobManagerContainer container, Optional<Health.Reason> health) {
    return new ClusterSnapshot(
        leadership,
        overview,
        taskManagers,
        jobs,
        lastSuccess,
        lastFailure,
        Optional.of(container),
        health);
  }

  public Optional<Leader> leader() {
    return leadership.leader();
  }

  public ClusterSnapshot withLeadership(Leadership next) {
    return new ClusterSnapshot(
        next, overview, taskManagers, jobs, lastSuccess, lastFailure, jobManager, jobManagerHealth);
  }

  public ClusterSnapshot withOverview(ClusterOverview next) {
    return new ClusterSnapshot(
        leadership,
        Optional.of(next),
        taskManagers,
        jobs,
        lastSuccess,
        lastFailure,
        jobManager,
        jobManagerHealth);
  }

  public ClusterSnapshot withTaskManagers(TaskManagers next) {
    return new ClusterSnapshot(
        leadership,
        overview,
        Optional.of(next),
        jobs,
        lastSuccess,
        lastFailure,
        jobManager,
        jobManagerHealth);
  }

  public ClusterSnapshot withJobs(Map<String, JobView> next, Instant at) {
    return new ClusterSnapshot(
        leadership,
        overview,
        taskManagers,
        Map.copyOf(next),
        at,
        Optional.empty(),
        jobManager,
        jobManagerHealth);
  }

  /** Replaces the jobs without claiming the JobManager answered. */
  public ClusterSnapshot withJobsKeepingFreshness(Map<String, JobView> next) {
    return new ClusterSnapshot(
        leadership,
        overview,
        taskManagers,
        Map.copyOf(next),
        lastSuccess,
        lastFailure,
        jobManager,
        jobManagerHealth);
  }

  public ClusterSnapshot withFailure(String reason) {
    return new ClusterSnapshot(
        leadership,
        overview,
        taskManagers,
        jobs,
        lastSuccess,
        Optional.of(reason),
        jobManager,
        jobManagerHealth);
  }
}
