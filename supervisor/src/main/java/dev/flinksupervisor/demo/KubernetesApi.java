package dev.flinksupervisor.demo;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A Kubernetes API server that Flink and the sidecar reach through a kubeconfig file. */
public interface KubernetesApi extends AutoCloseable {

  Path kubeconfig();

  String namespace();

  /**
   * A kubeconfig whose requests carry the bearer token {@code token}, for a caller the server is to
   * tell apart; against a real cluster the kubeconfig itself, with its own credentials.
   */
  default Path kubeconfigFor(String token) {
    return kubeconfig();
  }

  /** A fabric8 client for this API server; the caller closes it. */
  default KubernetesClient client() {
    try {
      return new KubernetesClientBuilder()
          .withConfig(Config.fromKubeconfig(Files.readString(kubeconfig())))
          .build();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + kubeconfig(), e);
    }
  }

  /** A short description for logs and the demo's banner. */
  String describe();

  @Override
  void close();

  /** An API server that exists already (a real cluster); closing it does nothing. */
  static KubernetesApi external(Path kubeconfig, String namespace) {
    return new KubernetesApi() {
      @Override
      public Path kubeconfig() {
        return kubeconfig;
      }

      @Override
      public String namespace() {
        return namespace;
      }

      @Override
      public String describe() {
        return "the cluster in " + kubeconfig;
      }

      @Override
      public void close() {}
    };
  }
}
