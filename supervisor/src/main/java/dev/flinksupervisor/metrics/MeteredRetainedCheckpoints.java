package dev.flinksupervisor.metrics;

import dev.flinksupervisor.flink.CheckpointInfo;
import dev.flinksupervisor.flink.RetainedCheckpoints;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Optional;

/** Counts failed reads of Flink's HA ConfigMaps. */
public final class MeteredRetainedCheckpoints implements RetainedCheckpoints {
  private final RetainedCheckpoints delegate;
  private final Counter errors;

  public MeteredRetainedCheckpoints(RetainedCheckpoints delegate, MeterRegistry registry) {
    this.delegate = delegate;
    this.errors = MeteredLedger.errors(registry, "ha_checkpoint_read");
  }

  @Override
  public Optional<CheckpointInfo> latest(String jobId) throws Exception {
    try {
      return delegate.latest(jobId);
    } catch (Exception e) {
      errors.increment();
      throw e;
    }
  }
}
