package dev.flinksupervisor.demo;

import dev.flinksupervisor.Sidecar;
import dev.flinksupervisor.config.ConfigLoader;
import dev.flinksupervisor.config.SupervisorConfig;
import dev.flinksupervisor.config.SupervisorOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.JobID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything in one process: a Kubernetes API, a Flink cluster with Kubernetes HA on it, the
 * example job, and the sidecar configured exactly as in a pod: it finds the leader through the HA
 * ConfigMap and talks to it through Flink's REST client.
 */
public final class Demo implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Demo.class);

  public static final String CLUSTER_ID = "flink-demo";
  public static final String NAMESPACE = "default";

  private final KubernetesApi kubernetes;
  private final String clusterId;
  private final EmbeddedFlink flink;
  private final JobID jobId;
  private final Sidecar sidecar;
  private final SupervisorConfig sidecarConfig;

  private Demo(
      KubernetesApi kubernetes,
      String clusterId,
      EmbeddedFlink flink,
      JobID jobId,
      Sidecar sidecar,
      SupervisorConfig sidecarConfig) {
    this.kubernetes = kubernetes;
    this.clusterId = clusterId;
    this.flink = flink;
    this.jobId = jobId;
    this.sidecar = sidecar;
    this.sidecarConfig = sidecarConfig;
  }

  /**
   * Starts the demo in {@code workDir} on an embedded Kubernetes API. {@code settings} are sidecar
   * options (for example {@code api.port} and {@code admin.token}); the cluster's coordinates are
   * the demo's own.
   */
  public static Demo start(Path workDir, Map<String, String> settings, Clock clock)
      throws Exception {
    return start(workDir, settings, Map.of(), clock);
  }

  /**
   * As above, with {@code SUPERVISOR_*} variables of {@code env} over {@code settings}; those that
   * would move the sidecar off the demo's cluster (its id, namespace, Kubernetes API and HA
   * storage) are ignored.
   */
  public static Demo start(
      Path workDir, Map<String, String> settings, Map<String, String> env, Clock clock)
      throws Exception {
    Files.createDirectories(workDir);
    return start(
        workDir,
        EmbeddedKubernetes.start(workDir.resolve("k8s"), NAMESPACE, 0),
        CLUSTER_ID,
        settings,
        env,
        clock);
  }

  /**
   * Starts the demo on the given Kubernetes API, which this demo owns from now on (closing the demo
   * closes it).
   */
  public static Demo start(
      Path workDir,
      KubernetesApi kubernetes,
      String clusterId,
      Map<String, String> settings,
      Clock clock)
      throws Exception {
    return start(workDir, kubernetes, clusterId, settings, Map.of(), clock);
  }

  private static Demo start(
      Path workDir,
      KubernetesApi kubernetes,
      String clusterId,
      Map<String, String> settings,
      Map<String, String> env,
      Clock clock)
      throws Exception {
    EmbeddedFlink flink = null;
    Sidecar sidecar = null;
    try {
      Path flinkDir = workDir.resolve("flink");
      flink =
          EmbeddedFlink.start(
              EmbeddedFlink.haConfiguration(
                  clusterId, kubernetes.namespace(), kubernetes.kubeconfig(), flinkDir),
              4);
      JobID jobId = flink.submitDemoJob("--name", "demo-job");

      Map<String, String> sidecarSettings = new HashMap<>(settings);
      sidecarSettings.put(SupervisorOptions.CLUSTER_ID.key(), clusterId);
      sidecarSettings.put(SupervisorOptions.NAMESPACE.key(), kubernetes.namespace());
      sidecarSettings.put(SupervisorOptions.KUBECONFIG.key(), kubernetes.kubeconfig().toString());
      sidecarSettings.put(
          SupervisorOptions.HA_STORAGE_DIR.key(), flinkDir.resolve("ha").toUri().toString());
      Map<String, String> sidecarEnv = new HashMap<>(env);
      for (var fixed :
          List.of(
              SupervisorOptions.CLUSTER_ID,
              SupervisorOptions.NAMESPACE,
              SupervisorOptions.KUBECONFIG,
              SupervisorOptions.HA_STORAGE_DIR)) {
        sidecarEnv.remove(fixed.envName());
      }
      SupervisorConfig config = new ConfigLoader().load(sidecarSettings, sidecarEnv);
      sidecar = Sidecar.start(config, clock);
      return new Demo(kubernetes, clusterId, flink, jobId, sidecar, config);
    } catch (Exception e) {
      closeQuietly(sidecar);
      closeQuietly(flink);
      kubernetes.close();
      throw e;
    }
  }

  public JobID jobId() {
    return jobId;
  }

  public int apiPort() {
    return sidecar.apiPort();
  }

  public String clusterId() {
    return clusterId;
  }

  public KubernetesApi kubernetes() {
    return kubernetes;
  }

  public EmbeddedFlink flink() {
    return flink;
  }

  /** The configuration the demo's sidecar runs with. */
  public SupervisorConfig sidecarConfig() {
    return sidecarConfig;
  }

  /**
   * Stops the sidecar, cancels every job still running, waits until Flink has removed them from its
   * HA ConfigMap (closing a MiniCluster before that can hang), then stops Flink and the API server.
   */
  @Override
  public void close() throws Exception {
    closeQuietly(sidecar);
    try {
      flink.cancelAllAndAwaitCleanup(kubernetes, Duration.ofSeconds(30));
    } catch (Exception e) {
      LOG.warn("The demo's jobs did not stop cleanly: {}", e.toString());
    }
    closeQuietly(flink);
    kubernetes.close();
  }

  private static void closeQuietly(AutoCloseable closeable) {
    if (closeable == null) {
      return;
    }
    try {
      closeable.close();
    } catch (Exception e) {
      LOG.warn("Closing {} failed: {}", closeable.getClass().getSimpleName(), e.toString());
    }
  }
}
