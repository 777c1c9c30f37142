package dev.flinksupervisor.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Builds the images where a container engine answers ({@code docker info} or {@code podman info});
 * elsewhere skipped, saying so. The sidecar's container runs as it would in the pod: read-only root
 * filesystem, a writable /tmp, no capabilities. The Flink image holds each plugin's jar in its
 * directory under Flink's plugins/.
 */
class ImageBuildTest {

  static Optional<String> engine() {
    return Commands.available("docker", "info").or(() -> Commands.available("podman", "info"));
  }

  /** The container engine, or the test skipped saying that {@code image} was not built. */
  static Optional<String> engineOrSkip(String image) {
    Optional<String> engine = engine();
    if (engine.isEmpty()) {
      String reason =
          "No container engine answers here (docker info and podman info fail): the "
              + image
              + " image was not built. The Dockerfiles are checked by DockerfileTest.";
      System.out.println("SKIPPED: " + reason);
      assumeTrue(false, reason);
    }
    return engine;
  }

  @Test
  void the_sidecar_image_builds_and_starts() throws Exception {
    Optional<String> engine = engineOrSkip("sidecar");
    String tag = "flink-supervisor:deploy-checks";
    Commands.Result build =
        Commands.run(
            Repository.ROOT,
            Duration.ofMinutes(30),
            List.of(engine.get(), "build", "-f", "images/sidecar/Dockerfile", "-t", tag, "."));
    assertThat(build.ok()).as("%s build:\n%s", engine.get(), build.output()).isTrue();

    Commands.Result help =
        Commands.run(
            Repository.ROOT,
            Duration.ofMinutes(2),
            List.of(
                engine.get(),
                "run",
                "--rm",
                "--read-only",
                "--tmpfs",
                "/tmp",
                "--cap-drop",
                "ALL",
                "--security-opt",
                "no-new-privileges",
                tag,
                "--help"));
    assertThat(help.ok()).as("%s run --help:\n%s", engine.get(), help.output()).isTrue();
    assertThat(help.output()).contains("flink-supervisor run --config FILE");
    assertThat(help.output()).as("the CDS archive is usable").doesNotContain("[warning][cds");
  }

  @Test
  void the_flink_image_builds_with_each_plugin_in_its_directory() throws Exception {
    Optional<String> engine = engineOrSkip("Flink");
    String tag = "flink-supervisor-flink:deploy-checks";
    Commands.Result build =
        Commands.run(
            Repository.ROOT,
            Duration.ofMinutes(30),
            List.of(
                engine.get(),
                "build",
                "-f",
                "images/flink/Dockerfile",
                "--build-arg",
                "FLINK_VERSION=" + Repository.pom("flink.version"),
                "-t",
                tag,
                "."));
    assertThat(build.ok()).as("%s build:\n%s", engine.get(), build.output()).isTrue();

    Commands.Result jars =
        Commands.run(
            Repository.ROOT,
            Duration.ofMinutes(2),
            List.of(
                engine.get(),
                "run",
                "--rm",
                "--entrypoint",
                "find",
                tag,
                "/opt/flink/plugins",
                "-name",
                "*.jar"));
    assertThat(jars.ok()).as("%s run find:\n%s", engine.get(), jars.output()).isTrue();
    assertThat(jars.output().lines().map(String::strip))
        .containsAll(DockerfileTest.flinkImagePluginJars());
  }
}
