package dev.flinksupervisor.testing;

import dev.flinksupervisor.Sidecar;
import dev.flinksupervisor.config.ConfigLoader;
import dev.flinksupervisor.config.ConfigOption;
import dev.flinksupervisor.config.SupervisorOptions;
import dev.flinksupervisor.demo.KubernetesApi;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/** Settings of a sidecar under test: the cluster's coordinates, a free port, fast polling. */
public final class SidecarSettings {
  public static final String OPERATOR_TOKEN = "operator-token";

  private final Map<String, String> settings = new HashMap<>();

  private SidecarSettings() {}

  public static SidecarSettings forCluster(
      KubernetesApi kubernetes, String clusterId, String haStorageDir) {
    SidecarSettings s = new SidecarSettings();
    s.set(SupervisorOptions.CLUSTER_ID, clusterId)
        .set(SupervisorOptions.NAMESPACE, kubernetes.namespace())
        .set(
            SupervisorOptions.KUBECONFIG,
            kubernetes.kubeconfigFor(KubernetesRequests.sidecarToken(clusterId)).toString())
        .set(SupervisorOptions.HA_STORAGE_DIR, haStorageDir)
        .set(SupervisorOptions.API_HOST, "127.0.0.1")
        .set(SupervisorOptions.API_PORT, "0")
        .set(SupervisorOptions.ADMIN_TOKEN, OPERATOR_TOKEN)
        .set(SupervisorOptions.POLL_INTERVAL, "200ms")
        .set(SupervisorOptions.DETAILS_INTERVAL, "1s")
        .set(SupervisorOptions.LEDGER_FLUSH_INTERVAL, "200ms")
        .set(SupervisorOptions.SAVEPOINT_TRACK_INTERVAL, "200ms");
    return s;
  }

  public SidecarSettings set(ConfigOption<?> option, String value) {
    settings.put(option.key(), value);
    return this;
  }

  /** A setting without a declared option, such as a slot profile field. */
  public SidecarSettings setRaw(String key, String value) {
    settings.put(key, value);
    return this;
  }

  /**
   * The settings as the configuration file of the packaged sidecar, but the admin token, which a
   * pod takes from a Secret through the environment ({@link #environment()}).
   */
  public java.nio.file.Path writeYaml(java.nio.file.Path file) throws java.io.IOException {
    StringBuilder yaml = new StringBuilder();
    new java.util.TreeMap<>(settings)
        .forEach(
            (key, value) -> {
              if (!key.equals(SupervisorOptions.ADMIN_TOKEN.key())) {
                yaml.append(key)
                    .append(": \"")
                    .append(value.replace("\\", "\\\\").replace("\"", "\\\""))
                    .append("\"\n");
              }
            });
    return java.nio.file.Files.writeString(file, yaml);
  }

  /** The environment of the packaged sidecar that goes with {@link #writeYaml}. */
  public Map<String, String> environment() {
    String token = settings.get(SupervisorOptions.ADMIN_TOKEN.key());
    return token == null ? Map.of() : Map.of(SupervisorOptions.ADMIN_TOKEN.envName(), token);
  }

  public Sidecar start() throws Exception {
    return Sidecar.start(new ConfigLoader().load(settings, Map.of()), Clock.systemUTC());
  }
}
