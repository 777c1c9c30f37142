package dev.flinksupervisor.benchmarks;

import dev.flinksupervisor.testing.Ports;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The class-data-sharing archive of the sidecar's image, made the way {@code
 * images/sidecar/Dockerfile} makes it: a training run of the sidecar itself ({@code run}) with the
 * production flags and {@code -XX:ArchiveClassesAtExit}, against a Kubernetes API that does not
 * answer (as in an image build), stopped with SIGTERM a few seconds after its admin API answers. A
 * sidecar started with {@code -XX:SharedArchiveFile} then maps those classes instead of loading
 * them.
 */
final class CdsArchive {
  private CdsArchive() {}

  static Path train(Path jar, Path dir, Http http) throws Exception {
    Files.createDirectories(dir);
    Path archive = dir.resolve("flink-supervisor.jsa");
    Files.deleteIfExists(archive);
    int port = Ports.free();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(SidecarProcess.jvmFlags());
    command.add("-XX:ArchiveClassesAtExit=" + archive);
    Path kubeconfig = dir.resolve("kubeconfig");
    Files.writeString(
        kubeconfig,
        "apiVersion: v1\nkind: Config\nclusters:\n- name: t\n  cluster:\n"
            + "    server: http://127.0.0.1:1\ncontexts:\n- name: t\n  context:\n"
            + "    cluster: t\n    user: t\ncurrent-context: t\nusers:\n- name: t\n  user:\n"
            + "    token: t\n");
    Path config = dir.resolve("training.yaml");
    Files.writeString(
        config,
        "kubernetes.cluster-id: cds-training\nkubernetes.config.file: "
            + kubeconfig
            + "\nhigh-availability.storageDir: file://"
            + dir.resolve("ha")
            + "\napi.host: 127.0.0.1\napi.port: "
            + port
            + "\n");
    command.addAll(List.of("-jar", jar.toString(), "run", "--config", config.toString()));
    Path log = dir.resolve("cds-training.log");
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().keySet().removeIf(k -> k.startsWith("SUPERVISOR_"));
    builder.environment().put("SUPERVISOR_ADMIN_TOKEN", "training");
    Process demo = builder.start();
    try {
      Poll.until(
          "the CDS training run to answer",
          Duration.ofSeconds(120),
          Duration.ofMillis(100),
          () -> {
            if (!demo.isAlive()) {
              throw new IllegalStateException("The training run exited; see " + log);
            }
            return http.status("http://127.0.0.1:" + port + "/healthz", null) == 200
                ? Boolean.TRUE
                : null;
          });
      TimeUnit.SECONDS.sleep(5); // its first reads and polls, and their failures
    } finally {
      demo.destroy(); // SIGTERM: the archive is written as the JVM exits
      if (!demo.waitFor(120, TimeUnit.SECONDS)) {
        demo.destroyForcibly();
      }
    }
    if (!Files.isRegularFile(archive) || Files.size(archive) == 0) {
      throw new IOException("No CDS archive was written; see " + log);
    }
    return archive;
  }
}
