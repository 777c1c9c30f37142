package dev.flinksupervisor.metrics;

import dev.flinksupervisor.push.PushBatch;
import dev.flinksupervisor.push.PushHints;
import dev.flinksupervisor.push.PushObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;

/**
 * The push meters: events the JobManager pushed, by Flink's event name; how long after the
 * JobManager observed them they arrived; the plugin's own counts of events it dropped and batches
 * that failed; and what the plugin cost its JobManager: the time its thread spent handing events
 * over, and the CPU time of the plugin's sender thread (the latest each JobManager reported,
 * summed).
 */
public final class PushMeters implements PushObserver {
  private final MeterRegistry registry;
  private final Map<String, long[]> counts =
      java.util.Collections.synchronizedMap(new PushHints.Sources<>());
  private static final int DROPPED = 0;
  private static final int FAILED = 1;
  private static final int HAND_OFFS = 2;
  private static final int HAND_OFF_NANOS = 3;
  private static final int HAND_OFF_MAX_NANOS = 4;
  private static final int SENDER_CPU_NANOS = 5;

  public PushMeters(MeterRegistry registry) {
    this.registry = registry;
    Gauge.builder("flink.supervisor.push.dropped", this, m -> m.sum(DROPPED))
        .description("Events the JobManager's push plugin dropped (queue full, sidecar silent)")
        .register(registry);
    Gauge.builder("flink.supervisor.push.failed.batches", this, m -> m.sum(FAILED))
        .description("Batches of the JobManager's push plugin that this sidecar did not accept")
        .register(registry);
    Gauge.builder("flink.supervisor.push.jobmanager.handoffs", this, m -> m.sum(HAND_OFFS))
        .description("Calls of the JobManager's thread into the push plugin")
        .register(registry);
    Gauge.builder(
            "flink.supervisor.push.jobmanager.handoff.time", this, m -> m.sum(HAND_OFF_NANOS) / 1e9)
        .description("Time the JobManager's thread spent in the push plugin, in all")
        .baseUnit("seconds")
        .register(registry);
    Gauge.builder(
            "flink.supervisor.push.jobmanager.handoff.max",
            this,
            m -> m.max(HAND_OFF_MAX_NANOS) / 1e9)
        .description("The longest single call of the JobManager's thread into the push plugin")
        .baseUnit("seconds")
        .register(registry);
    Gauge.builder(
            "flink.supervisor.push.jobmanager.sender.cpu", this, m -> m.sum(SENDER_CPU_NANOS) / 1e9)
        .description("CPU time of the push plugin's sender thread in the JobManager")
        .baseUnit("seconds")
        .register(registry);
  }

  @Override
  public void received(String eventName, Duration lag) {
    Counter.builder("flink.supervisor.push.events")
        .description("Events the JobManager pushed, by Flink's event name")
        .tag("event", eventName)
        .register(registry)
        .increment();
    if (!lag.isNegative()) {
      Timer.builder("flink.supervisor.push.lag")
          .description(
              "From the JobManager's timestamp of an event (for a status change, the job's own"
                  + " transition) to the sidecar receiving it")
          .tag("event", eventName)
          .publishPercentileHistogram()
          .register(registry)
          .record(lag);
    }
  }

  @Override
  public void reported(String reporter, long dropped, long failedBatches, PushBatch.Cost cost) {
    counts.put(
        reporter,
        new long[] {
          dropped,
          failedBatches,
          cost.handOffs(),
          cost.handOffNanos(),
          cost.handOffMaxNanos(),
          Math.max(0, cost.senderCpuNanos())
        });
  }

  private double sum(int index) {
    synchronized (counts) {
      return counts.values().stream().mapToLong(c -> c[index]).sum();
    }
  }

  private double max(int index) {
    synchronized (counts) {
      return counts.values().stream().mapToLong(c -> c[index]).max().orElse(0);
    }
  }
}
