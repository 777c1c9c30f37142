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
 * (see the configuration reference), except that stopping it takes no shutdown savepoints. {@link
 * #startFloor} starts the floor it is measured against the same way.
 */
final class SidecarProcess implements AutoCloseable {
  /**
   * The JVM flags of the sidecar and of the floor: the production image's, unless {@code
   * --sidecar-flags} replaced them for a run that tries others.
   */
  private static volatile List<String> jvmFlags = SidecarJar.IMAGE_JVM_FLAGS;

  static List<String> jvmFlags() {
    return jvmFlags;
  }

  static void useJvmFlags(List<String> flags) {
    jvmFlags = List.copyOf(flags);
  }

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
    command.addAll(jvmFlags);
    command.addAll(extraFlags);
    command.add("-jar");
    command.add(jar.toString());
    command.add("run");
    command.add("--config");
    command.add(config.toString());
    return launch(command, port, dir.resolve(name + ".log"));
  }

  /**
   * The floor the sidecar is measured against ({@link ClientsFloor}): the same clients, built in a
   * JVM with the same flags, from the benchmarks' jar; measured as a sidecar is, through {@code
   * /readyz}. Its {@code /bare/jobs} serialises {@code json} per request.
   */
  static SidecarProcess startFloor(
      Target target, java.util.Map<String, String> flinkConfiguration, Path json, Path dir)
      throws IOException {
    Path confDir = dir.resolve("floor-conf");
    Files.createDirectories(confDir);
    StringBuilder yaml = new StringBuilder();
    flinkConfiguration.forEach(
        (k, v) -> yaml.append(k).append(": \"").append(v.replace("\"", "\\\"")).append("\"\n"));
    Files.writeString(confDir.resolve("config.yaml"), yaml);
    int port = Ports.free();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmFlags);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(ClientsFloor.class.getName());
    command.addAll(
        List.of(
            confDir.toString(),
            String.valueOf(port),
            target.kubeconfig().toString(),
            target.namespace(),
            target.clusterId() + "-supervisor",
            json.toString()));
    return launch(command, port, dir.resolve("floor-" + port + ".log"));
  }

  private static SidecarProcess launch(List<String> command, int port, Path log)
      throws IOException {
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
