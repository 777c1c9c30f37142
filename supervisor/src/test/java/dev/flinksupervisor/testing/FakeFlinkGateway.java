package dev.flinksupervisor.testing;

import dev.flinksupervisor.flink.ClusterOverview;
import dev.flinksupervisor.flink.FailureCause;
import dev.flinksupervisor.flink.FlinkGateway;
import dev.flinksupervisor.flink.JobProgress;
import dev.flinksupervisor.flink.JobSummary;
import dev.flinksupervisor.flink.TaskManagers;
import dev.flinksupervisor.slots.Capacity;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

/** A {@link FlinkGateway} whose answers are function fields with harmless defaults. */
public final class FakeFlinkGateway implements FlinkGateway {
  public volatile Supplier<CompletableFuture<ClusterOverview>> clusterOverview =
      () -> CompletableFuture.completedFuture(new ClusterOverview("2.3.0", 1, 2, 2));
  public volatile Supplier<CompletableFuture<List<JobSummary>>> jobs =
      () -> CompletableFuture.completedFuture(List.of());
  public volatile Function<String, CompletableFuture<JobProgress>> progress =
      id ->
          CompletableFuture.completedFuture(
              new JobProgress(0, Optional.empty(), Optional.empty(), 0, 0));

  public volatile Function<String, CompletableFuture<Optional<FailureCause>>> latestFailure =
      id -> CompletableFuture.completedFuture(Optional.empty());

  public volatile Supplier<CompletableFuture<TaskManagers>> taskManagers =
      () ->
          CompletableFuture.completedFuture(
              new TaskManagers(new Capacity("default", List.of()), Map.of()));

  public final AtomicInteger progressCalls = new AtomicInteger();

  @Override
  public CompletableFuture<ClusterOverview> clusterOverview() {
    return clusterOverview.get();
  }

  @Override
  public CompletableFuture<List<JobSummary>> jobs() {
    return jobs.get();
  }

  @Override
  public CompletableFuture<JobProgress> progress(String jobId) {
    progressCalls.incrementAndGet();
    return progress.apply(jobId);
  }

  @Override
  public CompletableFuture<TaskManagers> taskManagers() {
    return taskManagers.get();
  }

  @Override
  public CompletableFuture<Optional<FailureCause>> latestFailure(String jobId) {
    return latestFailure.apply(jobId);
  }

  public static CompletableFuture<List<JobSummary>> jobsOf(JobSummary... summaries) {
    return CompletableFuture.completedFuture(List.of(summaries));
  }
}
