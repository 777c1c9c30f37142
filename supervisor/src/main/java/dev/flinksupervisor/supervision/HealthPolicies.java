package dev.flinksupervisor.supervision;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.flinksupervisor.store.MapSection;
import java.util.LinkedHashMap;

/** Health thresholds per job, over the cluster's default; kept in the ledger. */
public final class HealthPolicies extends MapSection<HealthThresholds> {
  private final HealthThresholds defaults;

  public HealthPolicies(HealthThresholds defaults) {
    super("health.json", new TypeReference<LinkedHashMap<String, HealthThresholds>>() {});
    this.defaults = defaults;
  }

  /** With the cluster's default thresholds from the {@code health.*} options. */
  public static HealthPolicies fromConfig(dev.flinksupervisor.config.SupervisorConfig config) {
    return new HealthPolicies(
        new HealthThresholds(
            config.get(dev.flinksupervisor.config.SupervisorOptions.HEALTH_RESTART_LIMIT),
            config.get(dev.flinksupervisor.config.SupervisorOptions.HEALTH_RESTART_WINDOW),
            config
                .getOptional(dev.flinksupervisor.config.SupervisorOptions.HEALTH_CHECKPOINT_WINDOW)
                .orElse(null),
            config.get(
                dev.flinksupervisor.config.SupervisorOptions.HEALTH_CHECKPOINT_FAILURE_LIMIT),
            config.get(dev.flinksupervisor.config.SupervisorOptions.HEALTH_STUCK_AFTER),
            config
                .getOptional(
                    dev.flinksupervisor.config.SupervisorOptions.HEALTH_SAVEPOINT_FRESHNESS)
                .orElse(null)));
  }

  /** The thresholds of a job: its own, or the default. */
  public HealthThresholds of(String jobId) {
    return find(jobId).orElse(defaults);
  }

  public void set(String jobId, HealthThresholds thresholds) {
    store(jobId, thresholds);
  }

  /** Whether the job has thresholds of its own. */
  public boolean has(String jobId) {
    return find(jobId).isPresent();
  }

  /** Drops the thresholds of a job that is gone for good. */
  public void forget(String jobId) {
    delete(jobId);
  }

  /** The jobs that have thresholds of their own. */
  public java.util.Set<String> jobIds() {
    return ids();
  }
}
