package dev.flinksupervisor.demo;

import java.nio.file.Path;

/** A Kubernetes API server that Flink and the sidecar reach through a kubeconfig file. */
public interface KubernetesApi extends AutoCloseable {

  Path kubeconfig();

  String namespace();

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
