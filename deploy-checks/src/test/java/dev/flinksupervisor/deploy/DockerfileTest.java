package dev.flinksupervisor.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Dockerfiles in {@code images/}, read as Docker reads them: multi-stage builds with the Maven
 * wrapper, a JRE runtime, a numeric non-root user, no version written twice, and the sidecar's JVM
 * flags exactly those the benchmarks measure.
 */
class DockerfileTest {
  static final java.nio.file.Path SIDECAR = Repository.ROOT.resolve("images/sidecar/Dockerfile");
  static final java.nio.file.Path FLINK = Repository.ROOT.resolve("images/flink/Dockerfile");
  static final String JAR = "/opt/flink-supervisor/flink-supervisor.jar";
  static final String ARCHIVE = "/opt/flink-supervisor/flink-supervisor.jsa";

  @Test
  void both_build_with_the_maven_wrapper_in_a_stage_of_their_own() throws Exception {
    for (java.nio.file.Path file : List.of(SIDECAR, FLINK)) {
      Dockerfile d = Dockerfile.read(file);
      assertThat(d.all("FROM")).as("%s stages", file).hasSizeGreaterThanOrEqualTo(2);
      assertThat(d.all("FROM").get(0).arguments()).endsWith("AS build");
      assertThat(d.all("RUN").stream().anyMatch(r -> r.arguments().contains("./mvnw -B")))
          .as("%s builds with ./mvnw", file)
          .isTrue();
      assertThat(d.finalStage().stream().filter(i -> i.keyword().equals("COPY")))
          .allMatch(c -> c.arguments().contains("--from=build"));
    }
  }

  @Test
  void no_version_of_the_pom_is_written_again() throws Exception {
    List<String> versions = new ArrayList<>();
    String project = Repository.pom("project.version");
    versions.add(project);
    versions.add(project.replace("-SNAPSHOT", ""));
    String flink = Repository.pom("flink.version");
    versions.add(flink);
    versions.add(flink.substring(0, flink.lastIndexOf('.'))); // 2.3
    for (java.nio.file.Path file : List.of(SIDECAR, FLINK)) {
      String text = Files.readString(file);
      for (String v : versions) {
        assertThat(text).as("%s repeats the pom's version %s", file, v).doesNotContain(v);
      }
    }
    assertThat(Files.readString(FLINK)).contains("FROM flink:${FLINK_VERSION}");
    assertThat(Files.readString(SIDECAR)).contains("help:evaluate -Dexpression=project.version");
  }

  @Test
  void the_sidecar_runs_on_a_jre_as_a_numeric_non_root_user() throws Exception {
    Dockerfile d = Dockerfile.read(SIDECAR);
    List<Dockerfile.Instruction> last = d.finalStage();
    assertThat(last.get(0).arguments()).matches("eclipse-temurin:\\d+-jre\\S* AS runtime");
    List<Dockerfile.Instruction> users =
        last.stream().filter(i -> i.keyword().equals("USER")).toList();
    assertThat(users).hasSize(1);
    assertThat(users.get(0).arguments()).matches("\\d+(:\\d+)?");
    assertThat(Integer.parseInt(users.get(0).arguments().split(":")[0])).isGreaterThan(0);
    assertThat(Files.readString(Repository.NATIVE_POD_TEMPLATE))
        .as("the pod template runs as the image's user")
        .contains("runAsUser: " + users.get(0).arguments().split(":")[0]);
  }

  @Test
  void the_entrypoint_runs_the_jar_with_the_benchmarked_flags_and_the_cds_archive()
      throws Exception {
    Dockerfile d = Dockerfile.read(SIDECAR);
    List<String> entrypoint = d.all("ENTRYPOINT").get(0).execForm();
    JsonNode machine =
        Repository.YAML.readTree(
            Repository.ROOT.resolve("benchmarks/results/machine.json").toFile());
    List<String> measured = new ArrayList<>();
    machine.path("sidecar_jvm_flags").forEach(f -> measured.add(f.asText()));
    assertThat(measured).isNotEmpty();

    List<String> expected = new ArrayList<>(List.of("java"));
    expected.addAll(measured);
    expected.addAll(List.of("-XX:SharedArchiveFile=" + ARCHIVE, "-jar", JAR));
    assertThat(entrypoint).isEqualTo(expected);
    // The archive is made with the same flags and jar path, as AppCDS requires.
    String training =
        d.all("RUN").stream()
            .map(Dockerfile.Instruction::arguments)
            .filter(r -> r.contains("-XX:ArchiveClassesAtExit=" + ARCHIVE))
            .findFirst()
            .orElseThrow();
    assertThat(training.replaceAll("\\s+", " "))
        .contains(String.join(" ", measured))
        .contains("-jar " + JAR + " run --config");
  }
}
