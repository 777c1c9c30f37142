package dev.flinksupervisor.store;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Builds the sidecar's own fabric8 client: from a kubeconfig file, or in-cluster. */
public final class KubernetesClients {
  private KubernetesClients() {}

  public static KubernetesClient create(Optional<String> kubeconfig, String namespace) {
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
    return new KubernetesClientBuilder().withConfig(config).build();
  }
}
