package dev.flinksupervisor.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A scheduler that runs nothing by itself: tests run its scheduled tasks when they choose, in
 * whatever order, to play races out step by step. As with a real scheduled task, cancelling one
 * that a test has not run yet succeeds, and so does cancelling one that "already started".
 */
public final class ManualScheduler extends ScheduledThreadPoolExecutor {

  /** One scheduled task. */
  public final class Task implements ScheduledFuture<Object> {
    private final Runnable runnable;
    private boolean cancelled;
    private boolean ran;

    Task(Runnable runnable) {
      this.runnable = runnable;
    }

    /** Runs it, as its thread would; a task cancelled before it started does not run. */
    public void run() {
      if (!cancelled || startedBeforeCancel) {
        ran = true;
        runnable.run();
      }
    }

    private boolean startedBeforeCancel;

    /** Runs it as a thread would that had begun to run it just before it was cancelled. */
    public void runAsIfStartedBeforeCancel() {
      startedBeforeCancel = true;
      run();
    }

    @Override
    public boolean cancel(boolean mayInterrupt) {
      if (ran) {
        return false;
      }
      cancelled = true;
      return true;
    }

    @Override
    public boolean isCancelled() {
      return cancelled;
    }

    @Override
    public boolean isDone() {
      return ran || cancelled;
    }

    @Override
    public Object get() {
      return null;
    }

    @Override
    public Object get(long timeout, TimeUnit unit) {
      return null;
    }

    @Override
    public long getDelay(TimeUnit unit) {
      return 0;
    }

    @Override
    public int compareTo(Delayed other) {
      return 0;
    }
  }

  private final List<Task> tasks = new ArrayList<>();

  public ManualScheduler() {
    super(1);
  }

  @Override
  public synchronized ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
    Task task = new Task(command);
    tasks.add(task);
    return task;
  }

  /** Every task scheduled so far, in order. */
  public synchronized List<Task> tasks() {
    return List.copyOf(tasks);
  }

  /** Tasks neither run nor cancelled. */
  public synchronized long pending() {
    return tasks.stream().filter(t -> !t.isDone()).count();
  }
}
