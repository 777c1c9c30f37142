package dev.flinksupervisor.testing;

import dev.flinksupervisor.demo.EmbeddedKubernetes;
import dev.flinksupervisor.demo.KubernetesApi;
import java.nio.file.Path;

/**
 * The Kubernetes API for integration tests: a real cluster when {@code KUBECONFIG} is set (in the
 * namespace {@code FLINK_SUPERVISOR_IT_NAMESPACE}, default {@code default}), otherwise fabric8's
 * mock API server in CRUD mode in this JVM, which records the sidecar's requests ({@link
 * KubernetesRequests}).
 */
public final class TestKubernetes {
  private TestKubernetes() {}

  public static KubernetesApi start(Path workDir) {
    String kubeconfig = System.getenv("KUBECONFIG");
    if (kubeconfig != null && !kubeconfig.isBlank()) {
      String namespace = System.getenv().getOrDefault("FLINK_SUPERVISOR_IT_NAMESPACE", "default");
      System.out.println("Kubernetes API: the cluster in KUBECONFIG=" + kubeconfig);
      return KubernetesApi.external(Path.of(kubeconfig), namespace);
    }
    EmbeddedKubernetes embedded =
        EmbeddedKubernetes.start(workDir, "default", 0, KubernetesRequests.Recorder::new);
    System.out.println(
        "Kubernetes API: fabric8 mock server (CRUD) at "
            + embedded.url()
            + "; set KUBECONFIG to run against a real cluster");
    return embedded;
  }
}
