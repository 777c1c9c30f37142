package dev.flinksupervisor.supervision;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.flinksupervisor.store.LedgerSection;
import dev.flinksupervisor.util.Json;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Health thresholds per job, over the cluster's default; kept in the ledger. */
public final class HealthPolicies implements LedgerSection {
  private final HealthThresholds defaults;
  private final Map<String, HealthThresholds> perJob = new HashMap<>();
  private long version;

  public HealthPolicies(HealthThresholds defaults) {
    this.defaults = defaults;
  }

  /** The thresholds of a job: its own, or the default. */
  public synchronized HealthThresholds of(String jobId) {
    return perJob.getOrDefault(jobId, defaults);
  }

  public synchronized Optional<HealthThresholds> own(String jobId) {
    return Optional.ofNullable(perJob.get(jobId));
  }

  public synchronized void set(String jobId, HealthThresholds thresholds) {
    perJob.put(jobId, thresholds);
    version++;
  }

  @Override
  public String key() {
    return "health.json";
  }

  @Override
  public synchronized long version() {
    return version;
  }

  @Override
  public synchronized String export(int maxBytes) {
    try {
      return Json.mapper().writeValueAsString(perJob);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Health thresholds cannot be written as JSON", e);
    }
  }

  @Override
  public synchronized void restore(String json) throws Exception {
    Map<String, HealthThresholds> restored =
        Json.mapper().readValue(json, new TypeReference<Map<String, HealthThresholds>>() {});
    perJob.clear();
    perJob.putAll(restored);
    version++;
  }
}
