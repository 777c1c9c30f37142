package dev.flinksupervisor.supervision;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.flinksupervisor.store.MapSection;
import java.util.Map;

/** Health thresholds per job, over the cluster's default; kept in the ledger. */
public final class HealthPolicies extends MapSection<HealthThresholds> {
  private final HealthThresholds defaults;

  public HealthPolicies(HealthThresholds defaults) {
    super("health.json", new TypeReference<Map<String, HealthThresholds>>() {});
    this.defaults = defaults;
  }

  /** The thresholds of a job: its own, or the default. */
  public HealthThresholds of(String jobId) {
    return find(jobId).orElse(defaults);
  }

  public void set(String jobId, HealthThresholds thresholds) {
    store(jobId, thresholds);
  }
}
