package dev.flinksupervisor.plugins.push;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The reporter's counters, cumulative since the reporter was opened. Every event that passed the
 * name filter is, at any moment, delivered, dropped, waiting in the queue or in the batch being
 * sent.
 */
public final class PushStats {

  private final AtomicLong received = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong deliveredBatches = new AtomicLong();
  private final AtomicLong failedBatches = new AtomicLong();
  private final AtomicLong inFlight = new AtomicLong();
  private final AtomicLong handOffs = new AtomicLong();
  private final AtomicLong handOffNanos = new AtomicLong();
  private final AtomicLong handOffMaxNanos = new AtomicLong();
  private volatile long senderCpuNanos;

  /** Events handed over by Flink that passed the name filter. */
  public long received() {
    return received.get();
  }

  /** Events that were not delivered: queue full, batch failed, reporter disabled or closed. */
  public long dropped() {
    return dropped.get();
  }

  /** Events the sidecar accepted (answered 2xx). */
  public long delivered() {
    return delivered.get();
  }

  /** Requests the sidecar accepted. */
  public long deliveredBatches() {
    return deliveredBatches.get();
  }

  /** Batches that were not delivered, for whatever reason. */
  public long failedBatches() {
    return failedBatches.get();
  }

  /** Events in the batch being sent right now. */
  public long inFlight() {
    return inFlight.get();
  }

  /** Calls of the JobManager's thread into the reporter: what the plugin costs it, in time. */
  public long handOffs() {
    return handOffs.get();
  }

  /** Nanoseconds the JobManager's thread spent in the reporter, in all. */
  public long handOffNanos() {
    return handOffNanos.get();
  }

  /** The longest single hand-off, in nanoseconds. */
  public long handOffMaxNanos() {
    return handOffMaxNanos.get();
  }

  /** CPU time of the sender thread, in nanoseconds; -1 where the JVM cannot tell. */
  public long senderCpuNanos() {
    return senderCpuNanos;
  }

  void handOff(long nanos) {
    handOffs.incrementAndGet();
    handOffNanos.addAndGet(nanos);
    handOffMaxNanos.accumulateAndGet(nanos, Math::max);
  }

  void senderCpu(long nanos) {
    senderCpuNanos = nanos;
  }

  void countReceived() {
    received.incrementAndGet();
  }

  void countDropped(long events) {
    dropped.addAndGet(events);
  }

  void batchStarted(int events) {
    inFlight.set(events);
  }

  void batchDelivered(int events) {
    delivered.addAndGet(events);
    deliveredBatches.incrementAndGet();
    inFlight.set(0);
  }

  void batchFailed(int events) {
    dropped.addAndGet(events);
    failedBatches.incrementAndGet();
    inFlight.set(0);
  }

  @Override
  public String toString() {
    return "PushStats{received="
        + received
        + ", delivered="
        + delivered
        + ", dropped="
        + dropped
        + ", deliveredBatches="
        + deliveredBatches
        + ", failedBatches="
        + failedBatches
        + ", inFlight="
        + inFlight
        + '}';
  }
}
