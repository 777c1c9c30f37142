package dev.flinksupervisor.supervision;

import dev.flinksupervisor.flink.ClusterOverview;
import dev.flinksupervisor.flink.FlinkGateway;
import dev.flinksupervisor.flink.JobProgress;
import dev.flinksupervisor.flink.JobSummary;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Polls the leading JobManager and keeps {@link ClusterState} current. One cycle reads {@code
 * /jobs/overview}, then the details of the jobs {@link RefreshPolicy} names, in parallel. A failing
 * call fails only its own job's refresh; nothing escapes the cycle, so the loop cannot die.
 */
public final class SupervisionLoop implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SupervisionLoop.class);

  private final FlinkGateway gateway;
  private final ClusterState state;
  private final Clock clock;
  private final RefreshPolicy refreshPolicy;
  private final Duration pollInterval;
  private final Duration detailsInterval;
  private final ScheduledExecutorService executor;
  private ScheduledFuture<?> task;
  private Instant overviewAt;

  public SupervisionLoop(
      FlinkGateway gateway,
      ClusterState state,
      Clock clock,
      Duration pollInterval,
      Duration detailsInterval,
      ScheduledExecutorService executor) {
    this.gateway = gateway;
    this.state = state;
    this.clock = clock;
    this.pollInterval = pollInterval;
    this.detailsInterval = detailsInterval;
    this.refreshPolicy = new RefreshPolicy(detailsInterval);
    this.executor = executor;
  }

  public synchronized void start() {
    if (task == null) {
      task =
          executor.scheduleWithFixedDelay(
              this::cycleSafely, 0, pollInterval.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void cycleSafely() {
    try {
      cycle();
    } catch (Throwable t) {
      // The loop boundary: whatever happened, the next cycle runs.
      LOG.error("Supervision cycle failed unexpectedly", t);
      state.update(s -> s.withFailure("Unexpected error: " + t));
    }
  }

  /** One supervision cycle; public so tests can drive cycles without a scheduler. */
  public void cycle() {
    List<JobSummary> jobs;
    try {
      jobs = gateway.jobs().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    } catch (ExecutionException e) {
      String reason = describe(e.getCause());
      LOG.debug("Polling /jobs/overview failed: {}", reason);
      state.update(s -> s.withFailure("GET /jobs/overview failed: " + reason));
      return;
    }
    Instant now = clock.instant();
    Map<String, JobView> known = state.snapshot().jobs();
    Map<String, JobView> next = new HashMap<>();
    for (JobSummary summary : jobs) {
      JobView previous = known.get(summary.id());
      next.put(
          summary.id(),
          previous == null ? JobView.firstSeen(summary) : previous.withSummary(summary));
    }
    Map<String, CompletableFuture<JobProgress>> refreshes = new HashMap<>();
    for (String jobId : refreshPolicy.jobsToRefresh(known, jobs, now)) {
      refreshes.put(jobId, gateway.progress(jobId));
    }
    if (overviewAt == null || !overviewAt.plus(detailsInterval).isAfter(now)) {
      refreshOverview();
    }
    for (Map.Entry<String, CompletableFuture<JobProgress>> refresh : refreshes.entrySet()) {
      String jobId = refresh.getKey();
      try {
        JobProgress progress = refresh.getValue().join();
        next.computeIfPresent(jobId, (id, view) -> view.withProgress(progress, clock.instant()));
      } catch (CompletionException e) {
        MDC.put("jobId", jobId);
        try {
          LOG.debug("Refreshing job {} failed: {}", jobId, describe(e.getCause()));
        } finally {
          MDC.remove("jobId");
        }
      }
    }
    state.update(s -> s.withJobs(next, now));
  }

  private void refreshOverview() {
    try {
      ClusterOverview overview = gateway.clusterOverview().join();
      overviewAt = clock.instant();
      state.update(s -> s.withOverview(overview));
    } catch (CompletionException e) {
      LOG.debug("Reading the cluster overview failed: {}", describe(e.getCause()));
    }
  }

  static String describe(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  @Override
  public synchronized void close() {
    if (task != null) {
      task.cancel(false);
      task = null;
    }
  }
}
