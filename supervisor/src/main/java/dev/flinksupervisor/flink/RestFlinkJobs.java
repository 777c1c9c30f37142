package dev.flinksupervisor.flink;

import dev.flinksupervisor.slots.Capacity;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.apache.flink.client.deployment.StandaloneClusterId;
import org.apache.flink.client.program.rest.RestClusterClient;
import org.apache.flink.runtime.jobgraph.JobGraph;

/**
 * {@link FlinkJobs} with Flink's client: a {@link JobGraphBuilder} runs the jar's main method to
 * build the job graph, and {@link RestClusterClient} uploads the jar and submits it.
 */
public final class RestFlinkJobs implements FlinkJobs {
  private final RestClusterClient<StandaloneClusterId> client;
  private final JobGraphBuilder graphs;
  private final Duration timeout;
  private final Executor executor;

  public RestFlinkJobs(
      RestClusterClient<StandaloneClusterId> client,
      JobGraphBuilder graphs,
      Duration timeout,
      Executor executor) {
    this.client = client;
    this.graphs = graphs;
    this.timeout = timeout;
    this.executor = executor;
  }

  /** Where one submission stands: its graph being built, sent, or given up before it was sent. */
  private static final int BUILDING = 0;

  private static final int SENT = 1;
  private static final int GIVEN_UP = 2;

  @Override
  public CompletableFuture<Void> submit(Submission s) {
    java.util.concurrent.atomic.AtomicInteger stage =
        new java.util.concurrent.atomic.AtomicInteger(BUILDING);
    return CompletableFuture.supplyAsync(() -> jobGraph(s), executor)
        .thenCompose(
            graph -> {
              // A graph that arrives after the submission timed out is never sent: the caller
              // has recorded the submission as not sent.
              if (!stage.compareAndSet(BUILDING, SENT)) {
                return CompletableFuture.failedFuture(
                    new java.util.concurrent.CancellationException("given up before it was sent"));
              }
              return client.submitJob(graph);
            })
        .thenApply(id -> (Void) null)
        .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .handle(
            (done, failure) -> {
              if (failure == null) {
                return done;
              }
              // Before the submit call nothing reached the JobManager; after it, it may have.
              Throwable cause =
                  failure instanceof java.util.concurrent.CompletionException
                          && failure.getCause() != null
                      ? failure.getCause()
                      : failure;
              boolean notSent = stage.compareAndSet(BUILDING, GIVEN_UP) || stage.get() == GIVEN_UP;
              throw new java.util.concurrent.CompletionException(
                  notSent ? new NotSent(cause) : cause);
            });
  }

  @Override
  public CompletableFuture<Void> check(Submission s) {
    return CompletableFuture.supplyAsync(() -> jobGraph(s), executor)
        .thenApply(graph -> (Void) null)
        .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public CompletableFuture<Void> cancel(String jobId) {
    return client
        .cancel(org.apache.flink.api.common.JobID.fromHexString(jobId))
        .thenApply(ack -> (Void) null)
        .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public CompletableFuture<Capacity> capacity() {
    return TaskManagerReads.capacity(client).orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private JobGraph jobGraph(Submission s) {
    try {
      return graphs.build(s);
    } catch (UnknownSlotSharingGroup e) {
      throw e;
    } catch (Exception e) {
      throw new java.util.concurrent.CompletionException(e);
    }
  }
}
