package dev.flinksupervisor.flink;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.client.deployment.StandaloneClusterId;
import org.apache.flink.client.program.rest.RestClusterClient;
import org.apache.flink.runtime.messages.webmonitor.JobDetails;
import org.apache.flink.runtime.rest.messages.EmptyMessageParameters;
import org.apache.flink.runtime.rest.messages.EmptyRequestBody;
import org.apache.flink.runtime.rest.messages.JobExceptionsHeaders;
import org.apache.flink.runtime.rest.messages.JobMessageParameters;
import org.apache.flink.runtime.rest.messages.JobsOverviewHeaders;
import org.apache.flink.runtime.rest.messages.checkpoints.CheckpointStatistics;
import org.apache.flink.runtime.rest.messages.checkpoints.CheckpointingStatistics;
import org.apache.flink.runtime.rest.messages.checkpoints.CheckpointingStatisticsHeaders;
import org.apache.flink.runtime.rest.messages.job.JobExceptionsMessageParameters;
import org.apache.flink.runtime.rest.messages.job.metrics.JobMetricsHeaders;
import org.apache.flink.runtime.rest.messages.job.metrics.JobMetricsMessageParameters;
import org.apache.flink.runtime.rest.messages.job.metrics.Metric;

/** {@link FlinkGateway} over Flink's own {@link RestClusterClient}, which follows the leader. */
public final class RestFlinkGateway implements FlinkGateway {
  static final String RESTARTS_METRIC = "numRestarts";

  /** Checkpoint settings kept at most, one per job; all are read again once exceeded. */
  private static final int SETTINGS_KEPT = 20_000;

  private final RestClusterClient<StandaloneClusterId> client;
  private final Duration timeout;
  private final java.util.Map<String, CheckpointSettings> checkpointSettings =
      new java.util.concurrent.ConcurrentHashMap<>();

  public RestFlinkGateway(RestClusterClient<StandaloneClusterId> client, Duration timeout) {
    this.client = client;
    this.timeout = timeout;
  }

  @Override
  public CompletableFuture<ClusterOverview> clusterOverview() {
    return bounded(
        client
            .getClusterOverview()
            .thenApply(
                o ->
                    new ClusterOverview(
                        o.getVersion(),
                        o.getNumTaskManagersConnected(),
                        o.getNumSlotsTotal(),
                        o.getNumSlotsAvailable())));
  }

  @Override
  public CompletableFuture<List<JobSummary>> jobs() {
    return bounded(
        client
            .sendRequest(
                JobsOverviewHeaders.getInstance(),
                EmptyMessageParameters.getInstance(),
                EmptyRequestBody.getInstance())
            .thenApply(
                overview -> overview.getJobs().stream().map(RestFlinkGateway::toSummary).toList()));
  }

  @Override
  public CompletableFuture<JobProgress> progress(String jobId) {
    JobID id = JobID.fromHexString(jobId);
    CompletableFuture<CheckpointingStatistics> checkpoints = checkpoints(id);
    CompletableFuture<Long> restarts = restarts(id);
    CompletableFuture<Optional<CheckpointSettings>> settings =
        checkpoints.thenCompose(
            stats ->
                stats.getCounts().getTotalNumberCheckpoints() > 0
                    ? settings(id)
                    : CompletableFuture.completedFuture(Optional.empty()));
    return bounded(
        checkpoints
            .thenCombine(
                restarts,
                (stats, numRestarts) ->
                    new JobProgress(
                        numRestarts,
                        latestCompleted(stats),
                        latestSavepoint(stats),
                        stats.getCounts().getTotalNumberCheckpoints(),
                        stats.getCounts().getNumberFailedCheckpoints(),
                        restored(stats)))
            .thenCombine(settings, JobProgress::withCheckpointSettings));
  }

  /**
   * The job's checkpoint settings, read once per job (they are fixed when it is submitted); a
   * failed read is tried again at the next refresh and leaves them unknown meanwhile.
   */
  private CompletableFuture<Optional<CheckpointSettings>> settings(JobID id) {
    String key = id.toHexString();
    CheckpointSettings known = checkpointSettings.get(key);
    if (known != null) {
      return CompletableFuture.completedFuture(Optional.of(known));
    }
    JobMessageParameters params = new JobMessageParameters();
    params.jobPathParameter.resolve(id);
    return client
        .sendRequest(CheckpointSettingsHeaders.INSTANCE, params, EmptyRequestBody.getInstance())
        .thenApply(
            body -> {
              CheckpointSettings read =
                  new CheckpointSettings(
                      Duration.ofMillis(body.interval()),
                      Duration.ofMillis(body.timeout()),
                      Duration.ofMillis(body.minPause()),
                      body.tolerableFailedCheckpoints());
              if (checkpointSettings.size() >= SETTINGS_KEPT) {
                checkpointSettings.clear();
              }
              checkpointSettings.put(key, read);
              return Optional.of(read);
            })
        .exceptionally(failure -> Optional.empty());
  }

  @Override
  public CompletableFuture<Optional<FailureCause>> latestFailure(String jobId) {
    JobExceptionsMessageParameters params = new JobExceptionsMessageParameters();
    params.jobPathParameter.resolve(JobID.fromHexString(jobId));
    return bounded(
        client
            .sendRequest(JobExceptionsHeaders.getInstance(), params, EmptyRequestBody.getInstance())
            .thenApply(
                info ->
                    info.getExceptionHistory().getEntries().stream()
                        .max(java.util.Comparator.comparingLong(e -> e.getTimestamp()))
                        .map(
                            e ->
                                FailureCause.fromStackTrace(
                                    e.getTimestamp(),
                                    e.getExceptionName(),
                                    e.getStacktrace(),
                                    e.getTaskName(),
                                    e.getFailureLabels()))));
  }

  private CompletableFuture<CheckpointingStatistics> checkpoints(JobID id) {
    JobMessageParameters params = new JobMessageParameters();
    params.jobPathParameter.resolve(id);
    return client.sendRequest(
        CheckpointingStatisticsHeaders.getInstance(), params, EmptyRequestBody.getInstance());
  }

  private CompletableFuture<Long> restarts(JobID id) {
    JobMetricsMessageParameters params = new JobMetricsMessageParameters();
    params.jobPathParameter.resolve(id);
    params.metricsFilterParameter.resolve(List.of(RESTARTS_METRIC));
    return client
        .sendRequest(JobMetricsHeaders.getInstance(), params, EmptyRequestBody.getInstance())
        .thenApply(
            body ->
                body.getMetrics().stream()
                    .filter(m -> RESTARTS_METRIC.equals(m.getId()))
                    .map(Metric::getValue)
                    .findFirst()
                    .map(RestFlinkGateway::parseCount)
                    .orElse(-1L));
  }

  private static long parseCount(String value) {
    try {
      return (long) Double.parseDouble(value);
    } catch (NumberFormatException e) {
      return -1L;
    }
  }

  static Optional<CheckpointInfo> latestCompleted(CheckpointingStatistics stats) {
    CheckpointingStatistics.LatestCheckpoints latest = stats.getLatestCheckpoints();
    if (latest == null) {
      return Optional.empty();
    }
    Optional<CheckpointInfo> checkpoint = toInfo(latest.getCompletedCheckpointStatistics());
    Optional<CheckpointInfo> savepoint = toInfo(latest.getSavepointStatistics());
    if (checkpoint.isEmpty()) {
      return savepoint;
    }
    if (savepoint.isEmpty()) {
      return checkpoint;
    }
    return checkpoint.get().completedAt() >= savepoint.get().completedAt() ? checkpoint : savepoint;
  }

  static Optional<RestoredFrom> restored(CheckpointingStatistics stats) {
    CheckpointingStatistics.LatestCheckpoints latest = stats.getLatestCheckpoints();
    CheckpointingStatistics.RestoredCheckpointStatistics restored =
        latest == null ? null : latest.getRestoredCheckpointStatistics();
    return restored == null
        ? Optional.empty()
        : Optional.of(
            new RestoredFrom(
                restored.getId(),
                restored.getRestoreTimestamp(),
                restored.isSavepoint(),
                restored.getExternalPath()));
  }

  static Optional<CheckpointInfo> latestSavepoint(CheckpointingStatistics stats) {
    CheckpointingStatistics.LatestCheckpoints latest = stats.getLatestCheckpoints();
    return latest == null ? Optional.empty() : toInfo(latest.getSavepointStatistics());
  }

  private static Optional<CheckpointInfo> toInfo(
      CheckpointStatistics.CompletedCheckpointStatistics stats) {
    if (stats == null || stats.isDiscarded()) {
      return Optional.empty();
    }
    return Optional.of(
        new CheckpointInfo(
            stats.getId(),
            stats.getLatestAckTimestamp(),
            stats.isSavepoint(),
            stats.getExternalPath()));
  }

  private static JobSummary toSummary(JobDetails d) {
    return new JobSummary(
        d.getJobId().toHexString(),
        d.getJobName(),
        d.getStatus(),
        d.getStartTime(),
        d.getEndTime(),
        d.getDuration(),
        d.getLastUpdateTime());
  }

  @Override
  public CompletableFuture<TaskManagers> taskManagers() {
    return bounded(TaskManagerReads.read(client));
  }

  private <T> CompletableFuture<T> bounded(CompletableFuture<T> future) {
    return future.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }
}
