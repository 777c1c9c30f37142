package dev.flinksupervisor.benchmarks;

import dev.flinksupervisor.testing.Ports;
import dev.flinksupervisor.testing.SidecarJar;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The packaged sidecar as its own process, {@code java FLAGS -jar flink-supervisor.jar run --config
 * FILE}, configured as in a pod: the cluster id, namespace and kubeconfig, the HA storage
 * directory, a port, and the operator token from the environment. Everything else keeps its default
 * (polling every 500 ms, details every 5 s, savepoints tracked every 500 ms), except that stopping
 * it takes no shutdown savepoints.
 */
final class SidecarProcess implements AutoCloseable {
  /** The flags of the production image; the JIT is left at its default tiers. */
  static final List<String> JVM_FLAGS = SidecarJar.IMAGE_JVM_FLAGS;

  static final String TOKEN = "benchmark-operator-token";

  /** Where a sidecar finds its cluster. */
  record Target(String clusterId, String namespace, Path kubeconfig, String haStorageDir) {}

  private final Process process;
  private final int port;
  private final long startedNanos;
  private final Path log;

  private SidecarProcess(Process process, int port, long startedNanos, Path log) {
    this.process = process;
    this.port = port;
    this.startedNanos = startedNanos;
    this.log = log;
  }

  static SidecarProcess start(Path jar, Target target, Path dir, String name) throws IOException {
    return start(jar, target, dir, name, List.of());
  }

  /** As above, with {@code extraFlags} after the production flags (a CDS archive, say). */
  static SidecarProcess start(
      Path jar, Target target, Path dir, String name, List<String> extraFlags) throws IOException {
    return start(jar, target, dir, name, extraFlags, "");
  }

  /** As above, with {@code moreYaml} appended to its configuration file. */
  static SidecarProcess start(
      Path jar, Target target, Path dir, String name, List<String> extraFlags, String moreYaml)
      throws IOException {
    Files.createDirectories(dir);
    int port = Ports.free();
    Path config =
        SidecarJar.writeConfig(
            dir.resolve(name + ".yaml"),
            target.clusterId(),
            target.namespace(),
            target.kubeconfig(),
            target.haStorageDir(),
            port,
            """
            savepoints:
              on-shutdown: false
            """
                + moreYaml);
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(JVM_FLAGS);
    command.addAll(extraFlags);
    command.add("-jar");
    command.add(jar.toString());
    command.add("run");
    command.add("--config");
    command.add(config.toString());
    Path log = dir.resolve(name + ".log");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.redirectOutput(log.toFile());
    builder.environment().keySet().removeIf(k -> k.startsWith("SUPERVISOR_"));
    builder.environment().put("SUPERVISOR_ADMIN_TOKEN", TOKEN);
    long started = System.nanoTime();
    return new SidecarProcess(builder.start(), port, started, log);
  }

  String url() {
    return "http://127.0.0.1:" + port;
  }

  long pid() {
    return process.pid();
  }

  /** From the process's start to the first 200 of {@code /readyz}, checked every 10 ms. */
  Duration awaitReady(Http http, Duration timeout) throws Exception {
    try {
      return Poll.until(
          "the sidecar " + url() + " to be ready",
          timeout,
          Duration.ofMillis(10),
          () -> {
            if (!process.isAlive()) {
              throw new IllegalStateException(
                  "The sidecar exited with " + process.exitValue() + "; see " + log);
            }
            return http.status(url() + "/readyz", null) == 200
                ? Duration.ofNanos(System.nanoTime() - startedNanos)
                : null;
          });
    } catch (Exception e) {
      throw new IllegalStateException(e.getMessage() + "\n" + logTail(), e);
    }
  }

  String logTail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return "Sidecar log "
          + log
          + ":\n"
          + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(sidecar log " + log + " unreadable: " + e + ")";
    }
  }

  /** SIGTERM, as Kubernetes stops a container; SIGKILL if it is not gone within 30 s. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
