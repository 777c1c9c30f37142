package dev.flinksupervisor.flink;

import dev.flinksupervisor.config.SupervisorConfig;
import dev.flinksupervisor.config.SupervisorOptions;
import java.time.Duration;
import org.apache.flink.client.deployment.StandaloneClusterId;
import org.apache.flink.client.program.rest.RestClusterClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.HighAvailabilityOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.kubernetes.configuration.KubernetesConfigOptions;

/** Builds Flink's own clients from the sidecar's configuration. */
public final class FlinkClients {
  private FlinkClients() {}

  /**
   * The Flink configuration of a client that finds the cluster through Kubernetes HA: the same keys
   * a JobManager of that cluster has, plus the {@code flink.*} pass-through settings.
   */
  public static Configuration flinkConfiguration(SupervisorConfig config) {
    Configuration conf = new Configuration();
    conf.set(HighAvailabilityOptions.HA_MODE, "kubernetes");
    conf.set(KubernetesConfigOptions.CLUSTER_ID, config.get(SupervisorOptions.CLUSTER_ID));
    conf.set(KubernetesConfigOptions.NAMESPACE, config.get(SupervisorOptions.NAMESPACE));
    config
        .getOptional(SupervisorOptions.KUBECONFIG)
        .ifPresent(file -> conf.set(KubernetesConfigOptions.KUBE_CONFIG_FILE, file));
    config
        .getOptional(SupervisorOptions.HA_STORAGE_DIR)
        .ifPresent(dir -> conf.set(HighAvailabilityOptions.HA_STORAGE_PATH, dir));
    // The supervision loop retries on its own schedule; a request must not retry for minutes
    // inside Flink's client, and must not wait for a leader longer than a request may take.
    Duration timeout = config.get(SupervisorOptions.REQUEST_TIMEOUT);
    conf.set(RestOptions.RETRY_MAX_ATTEMPTS, 0);
    conf.set(RestOptions.AWAIT_LEADER_TIMEOUT, timeout);
    conf.addAll(Configuration.fromMap(config.flinkSettings()));
    return conf;
  }

  /**
   * A REST client that follows the leader through Flink's HA leader retrieval, reporting every
   * leader change to {@code watch}.
   */
  public static RestClusterClient<StandaloneClusterId> restClient(
      Configuration flinkConfiguration, LeaderWatch watch) throws Exception {
    return new RestClusterClient<>(
        flinkConfiguration,
        StandaloneClusterId.getInstance(),
        new ObservingClientHaServicesFactory(watch));
  }
}
