package dev.flinksupervisor.supervision;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * One reader of the live events: the backlog it asked for, then every new event, in order. The
 * {@link EventLog} offers events without ever waiting; when the reader is {@code queueCapacity}
 * events behind, it is dropped and {@link #dropped()} says why. The reader takes events on its own
 * thread with {@link #next(Duration)}.
 */
public final class EventSubscription implements AutoCloseable {
  private final String jobId;
  private final int queueCapacity;
  private final Consumer<EventSubscription> onClose;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition available = lock.newCondition();
  private final Deque<Event> backlog;
  private final Deque<Event> queue = new ArrayDeque<>();
  private String dropped;
  private boolean closed;

  EventSubscription(
      String jobId, List<Event> backlog, int queueCapacity, Consumer<EventSubscription> onClose) {
    this.jobId = jobId;
    this.backlog = new ArrayDeque<>(backlog);
    this.queueCapacity = queueCapacity;
    this.onClose = onClose;
  }

  /** Called under the log's lock; never waits. Returns false when the reader is gone or dropped. */
  boolean offer(Event event) {
    if (jobId != null && !jobId.equals(event.jobId())) {
      return !closed();
    }
    lock.lock();
    try {
      if (closed || dropped != null) {
        return false;
      }
      if (queue.size() >= queueCapacity) {
        dropped =
            "The reader fell "
                + queueCapacity
                + " events behind; the stream is closed. Reconnect with ?since= to resume.";
        available.signalAll();
        return false;
      }
      queue.addLast(event);
      available.signalAll();
      return true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * The next event, waiting up to {@code wait}; empty when none came, or when the subscription was
   * dropped or closed (see {@link #dropped()} and {@link #closed()}).
   */
  public Optional<Event> next(Duration wait) throws InterruptedException {
    lock.lock();
    try {
      if (!backlog.isEmpty()) {
        return Optional.of(backlog.removeFirst());
      }
      long nanos = wait.toNanos();
      while (queue.isEmpty() && dropped == null && !closed && nanos > 0) {
        nanos = available.awaitNanos(nanos);
      }
      if (dropped != null || closed) {
        return Optional.empty();
      }
      return Optional.ofNullable(queue.pollFirst());
    } finally {
      lock.unlock();
    }
  }

  /** Why the reader was dropped, once it was. */
  public Optional<String> dropped() {
    lock.lock();
    try {
      return Optional.ofNullable(dropped);
    } finally {
      lock.unlock();
    }
  }

  public boolean closed() {
    lock.lock();
    try {
      return closed || dropped != null;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      available.signalAll();
    } finally {
      lock.unlock();
    }
    onClose.accept(this);
  }
}
