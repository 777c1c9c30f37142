package dev.flinksupervisor.store;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Builds the sidecar's own fabric8 client: from a kubeconfig file, or in-cluster, with every call
 * bounded by the request timeout and no retries of its own (the record keeper retries on its
 * schedule).
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
