package dev.flinksupervisor.testing;

import dev.flinksupervisor.demo.EmbeddedFlink;
import dev.flinksupervisor.demo.KubernetesApi;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.apache.flink.configuration.HighAvailabilityOptions;

/**
 * A MiniCluster with Kubernetes HA on the test's Kubernetes API, and settings for a sidecar beside
 * it. Closing cancels what still runs, waits for Flink's HA cleanup, then stops both.
 */
public final class MiniClusterOnKubernetes implements AutoCloseable {
  private final KubernetesApi kubernetes;
  private final EmbeddedFlink flink;
  private final String clusterId;

  private MiniClusterOnKubernetes(KubernetesApi kubernetes, EmbeddedFlink flink, String clusterId) {
    this.kubernetes = kubernetes;
    this.flink = flink;
    this.clusterId = clusterId;
  }

  public static MiniClusterOnKubernetes start(Path dir, String name, int slots) throws Exception {
    return start(dir, name, slots, TestKubernetes.start(dir.resolve("k8s")));
  }

  /** On the given Kubernetes API (closed with the cluster). */
  public static MiniClusterOnKubernetes start(
      Path dir, String name, int slots, KubernetesApi kubernetes) throws Exception {
    String clusterId = name + "-" + UUID.randomUUID().toString().substring(0, 8);
    try {
      EmbeddedFlink flink =
          EmbeddedFlink.start(
              EmbeddedFlink.haConfiguration(
                  clusterId, kubernetes.namespace(), kubernetes.kubeconfig(), dir.resolve("flink")),
              slots);
      return new MiniClusterOnKubernetes(kubernetes, flink, clusterId);
    } catch (Exception e) {
      kubernetes.close();
      throw e;
    }
  }

  public EmbeddedFlink flink() {
    return flink;
  }

  public KubernetesApi kubernetes() {
    return kubernetes;
  }

  public String clusterId() {
    return clusterId;
  }

  /** Settings of a sidecar for this cluster. */
  public SidecarSettings sidecar() {
    return SidecarSettings.forCluster(
        kubernetes, clusterId, flink.configuration().get(HighAvailabilityOptions.HA_STORAGE_PATH));
  }

  @Override
  public void close() throws Exception {
    try {
      for (var job : flink.miniCluster().listJobs().get()) {
        if (!job.getJobState().isGloballyTerminalState()) {
          flink.cancelAndAwaitCleanup(job.getJobId(), kubernetes, Duration.ofSeconds(60));
        }
      }
    } finally {
      try {
        // Flink's MiniCluster can hang on close after HA cleanup (see FLINK-FACTS); bounded here,
        // so that one slow shutdown never holds the rest of the suite.
        flink.miniCluster().closeAsync().get(90, java.util.concurrent.TimeUnit.SECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        System.out.println(
            "The MiniCluster of " + clusterId + " did not close within 90 s; left to the JVM");
      } finally {
        kubernetes.close();
      }
    }
  }
}
