package dev.flinksupervisor.util;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.flink.util.concurrent.ExecutorThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * A feature's actions, one lane per job: the actions of one job run one after the other, those of
 * different jobs in parallel on a bounded pool. A periodic pass {@link #offer}s work and skips a
 * job whose previous action is still running; a request {@link #submit}s it after what is queued.
 */
public final class JobLanes implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(JobLanes.class);

  private final Executor executor;
  private final ExecutorService owned;
  private final Map<String, Deque<Runnable>> lanes = new HashMap<>();

  /** Lanes on a pool of {@code threads} threads named {@code name}, owned by these lanes. */
  public JobLanes(String name, int threads) {
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            threads,
            threads,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            new ExecutorThreadFactory(name));
    pool.allowCoreThreadTimeOut(true);
    this.owned = pool;
    this.executor = pool;
  }

  /** Lanes on someone else's executor (a direct one runs every action on the caller's thread). */
  public JobLanes(Executor executor) {
    this.executor = executor;
    this.owned = null;
  }

  /** Runs {@code action} after the job's queued actions. */
  public void submit(String jobId, Runnable action) {
    boolean start;
    synchronized (lanes) {
      Deque<Runnable> lane = lanes.get(jobId);
      start = lane == null;
      if (start) {
        lane = new ArrayDeque<>();
        lanes.put(jobId, lane);
      }
      lane.addLast(action);
    }
    if (start) {
      start(jobId);
    }
  }

  /**
   * Runs {@code action} unless the job has an action running or queued.
   *
   * @return whether it was taken
   */
  public boolean offer(String jobId, Runnable action) {
    synchronized (lanes) {
      if (lanes.containsKey(jobId)) {
        return false;
      }
      Deque<Runnable> lane = new ArrayDeque<>();
      lane.addLast(action);
      lanes.put(jobId, lane);
    }
    start(jobId);
    return true;
  }

  /** Whether the job has an action running or queued. */
  public boolean busy(String jobId) {
    synchronized (lanes) {
      return lanes.containsKey(jobId);
    }
  }

  private void start(String jobId) {
    try {
      executor.execute(() -> drain(jobId));
    } catch (RejectedExecutionException e) {
      synchronized (lanes) {
        lanes.remove(jobId);
      }
      LOG.debug("Not running the actions of job {}: stopping", jobId);
    }
  }

  private void drain(String jobId) {
    while (true) {
      Runnable next;
      synchronized (lanes) {
        Deque<Runnable> lane = lanes.get(jobId);
        if (lane == null || lane.isEmpty()) {
          lanes.remove(jobId);
          return;
        }
        next = lane.peekFirst();
      }
      MDC.put("jobId", jobId);
      try {
        next.run();
      } catch (Throwable e) { // the lane goes on with the job's next action
        LOG.error("An action on job {} failed unexpectedly", jobId, e);
      } finally {
        MDC.remove("jobId");
        synchronized (lanes) {
          Deque<Runnable> lane = lanes.get(jobId);
          if (lane != null) {
            lane.pollFirst();
          }
        }
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (owned != null) {
      owned.shutdownNow();
      owned.awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
