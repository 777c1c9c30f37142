package dev.flinksupervisor.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.flink.kubernetes.shaded.io.fabric8.kubernetes.client.Config;
import org.apache.flink.kubernetes.shaded.io.fabric8.kubernetes.client.KubernetesClient;
import org.apache.flink.kubernetes.shaded.io.fabric8.kubernetes.client.KubernetesClientBuilder;

/**
 * Builds the sidecar's own fabric8 client: from a kubeconfig file, or in-cluster, with every call
 * bounded by the request timeout and no retries of its own (the record keeper retries on its
 * schedule). It is the fabric8 client Flink's Kubernetes HA services use, shaded into {@code
 * flink-kubernetes} (OkHttp underneath): the sidecar loads one Kubernetes client, not two.
 */
public final class KubernetesClients {
  private KubernetesClients() {}

  public static KubernetesClient create(
      Optional<String> kubeconfig, String namespace, java.time.Duration requestTimeout) {
    Config config;
    if (kubeconfig.isPresent()) {
      try {
        config = Config.fromKubeconfig(Files.readString(Path.of(kubeconfig.get())));
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read kubeconfig " + kubeconfig.get(), e);
      }
    } else {
      config = Config.autoConfigure(null);
    }
    config.setNamespace(namespace);
    int millis = (int) Math.min(Integer.MAX_VALUE, requestTimeout.toMillis());
    config.setConnectionTimeout(millis);
    config.setRequestTimeout(millis);
    config.setRequestRetryBackoffLimit(0);
    return new KubernetesClientBuilder().withConfig(config).build();
  }
}
