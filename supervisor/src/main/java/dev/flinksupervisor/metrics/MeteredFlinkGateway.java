package dev.flinksupervisor.metrics;

import dev.flinksupervisor.flink.ClusterOverview;
import dev.flinksupervisor.flink.FailureCause;
import dev.flinksupervisor.flink.FlinkGateway;
import dev.flinksupervisor.flink.JobProgress;
import dev.flinksupervisor.flink.JobSummary;
import dev.flinksupervisor.flink.TaskManagers;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/** Times every call to the JobManager's REST API, by call and outcome. */
public final class MeteredFlinkGateway implements FlinkGateway {
  private final FlinkGateway delegate;
  private final MeterRegistry registry;

  public MeteredFlinkGateway(FlinkGateway delegate, MeterRegistry registry) {
    this.delegate = delegate;
    this.registry = registry;
  }

  private <T> CompletableFuture<T> timed(String call, Supplier<CompletableFuture<T>> request) {
    long start = System.nanoTime();
    return request
        .get()
        .whenComplete(
            (result, error) ->
                Timer.builder("flink.supervisor.rest.requests")
                    .description("Calls to the leading JobManager's REST API")
                    .tags("call", call, "outcome", error == null ? "success" : "error")
                    .register(registry)
                    .record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS));
  }

  @Override
  public CompletableFuture<ClusterOverview> clusterOverview() {
    return timed("overview", delegate::clusterOverview);
  }

  @Override
  public CompletableFuture<List<JobSummary>> jobs() {
    return timed("jobs_overview", delegate::jobs);
  }

  @Override
  public CompletableFuture<JobProgress> progress(String jobId) {
    return timed("job_progress", () -> delegate.progress(jobId));
  }

  @Override
  public CompletableFuture<TaskManagers> taskManagers() {
    return timed("taskmanagers", delegate::taskManagers);
  }

  @Override
  public CompletableFuture<Optional<FailureCause>> latestFailure(String jobId) {
    return timed("job_exceptions", () -> delegate.latestFailure(jobId));
  }
}
