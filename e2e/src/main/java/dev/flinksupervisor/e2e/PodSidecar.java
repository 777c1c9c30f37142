package dev.flinksupervisor.e2e;

import dev.flinksupervisor.testing.HttpTestClient;
import dev.flinksupervisor.testing.Ports;
import dev.flinksupervisor.testing.SidecarJar;
import dev.flinksupervisor.testing.SidecarSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The packaged sidecar ({@code supervisor/target/flink-supervisor.jar}) as its own process with the
 * image's JVM flags, as the container beside a JobManager runs it: killed with SIGKILL, it is gone
 * at once, and a new one is started in its place.
 */
final class PodSidecar implements AutoCloseable {
  private final String name;
  private final Process process;
  private final HttpTestClient api;
  private final Path log;
  private final Instant started = Instant.now();

  private PodSidecar(String name, Process process, int port, Path log) {
    this.name = name;
    this.process = process;
    this.api = new HttpTestClient(port);
    this.log = log;
  }

  /** Starts it with {@code settings} (the API port is chosen here) and waits until it answers. */
  static PodSidecar start(SidecarSettings settings, Path dir, String name) throws Exception {
    Files.createDirectories(dir);
    int port = Ports.free();
    settings.set(dev.flinksupervisor.config.SupervisorOptions.API_PORT, String.valueOf(port));
    Path config = settings.writeYaml(dir.resolve(name + ".yaml"));
    Path log = dir.resolve(name + ".log");
    Process process =
        SidecarJar.start(jar(), SidecarJar.IMAGE_JVM_FLAGS, config, settings.environment(), log);
    PodSidecar sidecar = new PodSidecar(name, process, port, log);
    dev.flinksupervisor.demo.Await.until(
        "sidecar " + name + " to answer",
        Duration.ofSeconds(60),
        () -> {
          if (!process.isAlive()) {
            throw new IllegalStateException(
                "sidecar " + name + " exited with " + process.exitValue() + "; see " + log);
          }
          try {
            return sidecar.api.get("/healthz", null).status() == 200 ? true : null;
          } catch (RuntimeException notYet) {
            return null;
          }
        });
    return sidecar;
  }

  /** The sidecar's jar: {@code -Dflink-supervisor.jar}, or the one the supervisor module built. */
  static Path jar() {
    return PipelineUnderFaults.builtJar("flink-supervisor.jar", "supervisor");
  }

  String name() {
    return name;
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  Instant started() {
    return started;
  }

  HttpTestClient api() {
    return api;
  }

  Path log() {
    return log;
  }

  /** Its resident memory in bytes, from {@code /proc/<pid>/status}; -1 where there is none. */
  long residentBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid()), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | NumberFormatException gone) {
      // Not Linux, or the process has exited.
    }
    return -1;
  }

  /** SIGKILL, and waits until the process is gone: no shutdown work of any kind. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      throw new IllegalStateException("sidecar " + name + " survived SIGKILL");
    }
  }

  /** The last lines of its log. */
  String logTail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(log unreadable: " + e + ")";
    }
  }

  /** At the end of a test: killed, for speed (a graceful stop would take a shutdown savepoint). */
  @Override
  public void close() {
    try {
      kill();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
