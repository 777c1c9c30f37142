package dev.flinksupervisor.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flinksupervisor.demo.KubernetesApi;
import dev.flinksupervisor.util.Json;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The packaged sidecar, {@code java -jar target/flink-supervisor.jar run --config FILE}, as its own
 * process, configured as in a pod: the cluster's coordinates, its own Kubernetes identity ({@link
 * KubernetesRequests#sidecarToken}), an admin port on 127.0.0.1, and whatever else a test adds.
 */
public final class SidecarJar {
  public static final Path JAR = Path.of("target", "flink-supervisor.jar");

  /**
   * The JVM flags of the sidecar's image ({@code images/sidecar/Dockerfile}) but its class-data
   * archive: a small fixed heap and the serial collector for a one-core sidecar, smaller thread
   * stacks, a bound on class metadata, and exit on out-of-memory so that Kubernetes restarts it.
   */
  public static final List<String> IMAGE_JVM_FLAGS =
      List.of(
          "-XX:+UseSerialGC",
          "-Xms32m",
          "-Xmx128m",
          "-Xss512k",
          "-XX:MaxMetaspaceSize=128m",
          "-XX:ReservedCodeCacheSize=64m",
          "-XX:+ExitOnOutOfMemoryError");

  private SidecarJar() {}

  /** Writes the configuration file: the coordinates and the port, then {@code moreYaml}. */
  public static Path writeConfig(
      Path file,
      String clusterId,
      String namespace,
      Path kubeconfig,
      String haStorageDir,
      int port,
      String moreYaml)
      throws IOException {
    Files.writeString(
        file,
        """
        kubernetes:
          cluster-id: %s
          namespace: %s
          config.file: %s
        high-availability.storageDir: %s
        api:
          host: 127.0.0.1
          port: %d
        """
                .formatted(clusterId, namespace, kubeconfig, haStorageDir, port)
            + moreYaml);
    return file;
  }

  /** As above, for a sidecar with its own identity on {@code kubernetes}. */
  public static Path writeConfig(
      Path file,
      String clusterId,
      KubernetesApi kubernetes,
      String haStorageDir,
      int port,
      String moreYaml)
      throws IOException {
    return writeConfig(
        file,
        clusterId,
        kubernetes.namespace(),
        kubernetes.kubeconfigFor(KubernetesRequests.sidecarToken(clusterId)),
        haStorageDir,
        port,
        moreYaml);
  }

  /** The savepoint records in the sidecar's ConfigMap {@code <cluster-id>-supervisor}. */
  public static JsonNode savepointRecords(KubernetesApi kubernetes, String clusterId)
      throws IOException {
    try (KubernetesClient client = kubernetes.client()) {
      String section =
          client
              .configMaps()
              .inNamespace(kubernetes.namespace())
              .withName(clusterId + "-supervisor")
              .get()
              .getData()
              .get("savepoints.json");
      return Json.mapper().readTree(section).get("records");
    }
  }

  /** Starts it with {@code env} as its only SUPERVISOR_* variables, its output into {@code log}. */
  public static Process start(Path config, Map<String, String> env, Path log) throws IOException {
    return start(JAR, List.of(), config, env, log);
  }

  /** As above, from {@code jar} with {@code jvmFlags}; the output is appended to {@code log}. */
  public static Process start(
      Path jar, List<String> jvmFlags, Path config, Map<String, String> env, Path log)
      throws IOException {
    List<String> command = new java.util.ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmFlags);
    command.addAll(List.of("-jar", jar.toString(), "run", "--config", config.toString()));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().keySet().removeIf(k -> k.startsWith("SUPERVISOR_"));
    builder.environment().putAll(env);
    return builder.start();
  }
}
