package dev.flinksupervisor.supervision;

import dev.flinksupervisor.config.SupervisorConfig;
import dev.flinksupervisor.config.SupervisorOptions;
import dev.flinksupervisor.flink.FlinkGateway;
import dev.flinksupervisor.flink.RetainedCheckpoints;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.flink.util.concurrent.ExecutorThreadFactory;

/** The supervision feature: the loop that keeps {@link ClusterState} current, on its own thread. */
public final class Supervision implements AutoCloseable {
  private final ScheduledExecutorService thread;
  private final SupervisionLoop loop;

  public Supervision(
      SupervisorConfig config,
      FlinkGateway gateway,
      RetainedCheckpoints retained,
      ClusterState state,
      EventLog events,
      HealthPolicies health,
      RestorableRecord restorable,
      SupervisionObserver observer,
      Clock clock) {
    this.thread =
        Executors.newSingleThreadScheduledExecutor(new ExecutorThreadFactory("supervision"));
    this.loop =
        new SupervisionLoop(
            gateway,
            state,
            events,
            clock,
            new Backoff(
                config.get(SupervisorOptions.POLL_INTERVAL),
                config.get(SupervisorOptions.MAX_BACKOFF)),
            config.get(SupervisorOptions.DETAILS_INTERVAL),
            retained,
            config.get(SupervisorOptions.RETAINED_READ_INTERVAL),
            health::of,
            restorable,
            thread);
    loop.observe(observer);
  }

  public void start() {
    loop.start();
  }

  /** Polls now: the leader changed. */
  public void wake() {
    loop.wake();
  }

  /** Polls now: the JobManager said something changed. */
  public void pollSoon() {
    loop.pollSoon();
  }

  /**
   * The JobManager said {@code jobId} failed at {@code failedAt}: read its exceptions until seen.
   */
  public void failureAnnounced(String jobId, long failedAt) {
    loop.failureAnnounced(jobId, failedAt);
  }

  @Override
  public void close() throws InterruptedException {
    loop.close();
    thread.shutdownNow();
    thread.awaitTermination(5, TimeUnit.SECONDS);
  }
}
