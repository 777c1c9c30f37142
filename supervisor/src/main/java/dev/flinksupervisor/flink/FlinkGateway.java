package dev.flinksupervisor.flink;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * What the sidecar asks of the leading JobManager. Narrow on purpose: each method is one REST call
 * the supervision loop needs, and every returned future completes or fails within the configured
 * request timeout.
 */
public interface FlinkGateway {

  /** Flink version, TaskManagers and slots ({@code GET /overview}). */
  CompletableFuture<ClusterOverview> clusterOverview();

  /** Every job with its status ({@code GET /jobs/overview}, not cached by Flink). */
  CompletableFuture<List<JobSummary>> jobs();

  /** Restarts and checkpoint progress of one job. */
  CompletableFuture<JobProgress> progress(String jobId);

  /** The scheduler, the TaskManagers' resources and the slots allocated to each job. */
  CompletableFuture<TaskManagers> taskManagers();

  /** The newest entry of the job's exception history, if it has one. */
  CompletableFuture<Optional<FailureCause>> latestFailure(String jobId);
}
