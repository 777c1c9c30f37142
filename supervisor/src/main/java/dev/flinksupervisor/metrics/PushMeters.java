package dev.flinksupervisor.metrics;

import dev.flinksupervisor.push.PushObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The push meters: events the JobManager pushed, by Flink's event name; how long after the
 * JobManager observed them they arrived; and the plugin's own counts of events it dropped and
 * batches that failed (the latest each JobManager reported, summed).
 */
public final class PushMeters implements PushObserver {
  private final MeterRegistry registry;
  private final Timer lag;
  private final Map<String, long[]> counts = new ConcurrentHashMap<>();

  public PushMeters(MeterRegistry registry) {
    this.registry = registry;
    this.lag =
        Timer.builder("flink.supervisor.push.lag")
            .description("From the JobManager observing an event to the sidecar receiving it")
            .publishPercentileHistogram()
            .register(registry);
    Gauge.builder("flink.supervisor.push.dropped", this, m -> m.sum(0))
        .description("Events the JobManager's push plugin dropped (queue full, sidecar silent)")
        .register(registry);
    Gauge.builder("flink.supervisor.push.failed.batches", this, m -> m.sum(1))
        .description("Batches of the JobManager's push plugin that this sidecar did not accept")
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
      this.lag.record(lag);
    }
  }

  @Override
  public void reported(String reporter, long dropped, long failedBatches) {
    counts.put(reporter, new long[] {dropped, failedBatches});
  }

  private double sum(int index) {
    return counts.values().stream().mapToLong(c -> c[index]).sum();
  }
}
