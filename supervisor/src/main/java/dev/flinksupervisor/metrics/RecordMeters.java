package dev.flinksupervisor.metrics;

import dev.flinksupervisor.store.RecordState;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/** Gauges of the sidecar's own record, read when scraped. */
public final class RecordMeters {
  private RecordMeters() {}

  public static void bind(MeterRegistry registry, RecordState record) {
    Gauge.builder("flink.supervisor.record.loaded", record, r -> r.status().loaded() ? 1 : 0)
        .description(
            "1 once the sidecar's record was read; until then it writes and acts on nothing")
        .register(registry);
    Gauge.builder("flink.supervisor.record.bytes", record, r -> r.status().bytes())
        .description("Size of the sidecar's record as last written or read")
        .baseUnit("bytes")
        .register(registry);
    Gauge.builder("flink.supervisor.record.capacity", record, r -> r.status().capacity())
        .description("The most the sidecar's record may hold")
        .baseUnit("bytes")
        .register(registry);
    Gauge.builder(
            "flink.supervisor.record.over.budget", record, r -> r.status().overBudget() ? 1 : 0)
        .description("1 while the record does not fit its budget even after compaction")
        .register(registry);
    Gauge.builder(
            "flink.supervisor.record.quarantined.sections",
            record,
            r -> r.status().quarantined().size())
        .description("Sections of the record kept aside because they could not be read")
        .register(registry);
    Gauge.builder(
            "flink.supervisor.record.write.failing",
            record,
            r -> r.status().loaded() && r.status().lastError() != null ? 1 : 0)
        .description("1 while the last read or write of the record failed")
        .register(registry);
  }
}
