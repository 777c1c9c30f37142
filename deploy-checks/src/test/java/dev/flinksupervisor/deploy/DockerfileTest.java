package dev.flinksupervisor.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Dockerfiles in {@code images/}, read as Docker reads them: multi-stage builds with the Maven
 * wrapper, a JRE runtime, a numeric non-root user, no version written twice, the sidecar's JVM
 * flags exactly those the benchmarks measure, and every JobManager plugin in a directory of its own
 * under the Flink image's {@code plugins/}.
 */
class DockerfileTest {
  static final java.nio.file.Path SIDECAR = Repository.ROOT.resolve("images/sidecar/Dockerfile");
  static final java.nio.file.Path FLINK = Repository.ROOT.resolve("images/flink/Dockerfile");
  static final String JAR = "/opt/flink-supervisor/flink-supervisor.jar";
  static final String ARCHIVE = "/opt/flink-supervisor/flink-supervisor.jsa";
  static final Path PLUGINS = Repository.ROOT.resolve("flink-plugins");

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

  @Test
  void the_flink_image_builds_each_plugin_module_into_a_plugins_directory_of_its_own()
      throws Exception {
    List<String> modules = modules(PLUGINS.resolve("pom.xml"));
    assertThat(flinkImagePluginJars())
        .contains(
            "/opt/flink/plugins/event-push/flink-supervisor-event-push.jar",
            "/opt/flink/plugins/failure-labels/flink-supervisor-failure-labels.jar");
    String build =
        Dockerfile.read(FLINK).all("RUN").stream()
            .map(r -> r.arguments().replaceAll("\\s+", " "))
            .filter(r -> r.contains("./mvnw"))
            .findFirst()
            .orElseThrow();

    // Maven builds the plugin modules, all of them, and the parent poms they need.
    Matcher projects = Pattern.compile(" -pl (\\S+)").matcher(build);
    assertThat(projects.find()).as("the build names its projects: %s", build).isTrue();
    assertThat(projects.group(1).split(","))
        .containsExactlyInAnyOrderElementsOf(
            modules.stream().map(m -> "flink-plugins/" + m).toList());
    assertThat(build).contains(" -am ", " -DskipTests package ");
    // Each module's jar goes to /plugins/<module>/, then to Flink's plugins/ in the image.
    assertThat(build)
        .contains(
            "for module in flink-plugins/*/;",
            "name=$(basename \"$module\");",
            "for jar in \"$module\"target/*.jar;",
            "cp \"$jar\" \"/plugins/$name/\"");
    Matcher skipped = Pattern.compile("case \"\\$jar\" in (\\S+?)\\) continue").matcher(build);
    assertThat(skipped.find()).isTrue();
    for (String jar : flinkImagePluginJars()) {
      String module = Path.of(jar).getParent().getFileName().toString();
      String built = "flink-plugins/" + module + "/target/" + Path.of(jar).getFileName();
      for (String pattern : skipped.group(1).split("\\|")) {
        assertThat(built)
            .as("left out by the case pattern %s", pattern)
            .doesNotMatch(glob(pattern));
      }
    }
    assertThat(Dockerfile.read(FLINK).finalStage())
        .anyMatch(
            i ->
                i.keyword().equals("COPY")
                    && i.arguments()
                        .equals("--from=build --chown=flink:flink /plugins/ /opt/flink/plugins/"));
    // The build context holds the plugins' sources.
    List<String> ignored =
        Files.readAllLines(Repository.ROOT.resolve("images/flink/Dockerfile.dockerignore")).stream()
            .map(String::strip)
            .filter(l -> !l.isEmpty() && !l.startsWith("#"))
            .toList();
    List<String> sources = new ArrayList<>(List.of("pom.xml", "flink-plugins/pom.xml"));
    modules.forEach(
        m ->
            sources.addAll(
                List.of("flink-plugins/" + m + "/pom.xml", "flink-plugins/" + m + "/src")));
    for (String path : sources) {
      for (String prefix : prefixes(path)) {
        for (String pattern : ignored) {
          assertThat(
                  FileSystems.getDefault()
                      .getPathMatcher("glob:" + pattern)
                      .matches(Path.of(prefix)))
              .as(".dockerignore's %s leaves out %s", pattern, path)
              .isFalse();
        }
      }
    }
  }

  /**
   * What the Flink image's build puts in Flink's plugins directory: for each module of {@code
   * flink-plugins/}, the jar its pom's finalName names, in a directory named after the module.
   */
  static List<String> flinkImagePluginJars() throws Exception {
    List<String> jars = new ArrayList<>();
    for (String module : modules(PLUGINS.resolve("pom.xml"))) {
      String pom = Files.readString(PLUGINS.resolve(module).resolve("pom.xml"));
      Matcher finalName = Pattern.compile("<finalName>([^<]+)</finalName>").matcher(pom);
      assertThat(finalName.find())
          .as("flink-plugins/%s/pom.xml sets finalName: a jar name without a version", module)
          .isTrue();
      jars.add("/opt/flink/plugins/" + module + "/" + finalName.group(1).strip() + ".jar");
    }
    return jars;
  }

  private static List<String> modules(Path pom) throws Exception {
    List<String> modules = new ArrayList<>();
    Matcher m = Pattern.compile("<module>([^<]+)</module>").matcher(Files.readString(pom));
    while (m.find()) {
      modules.add(m.group(1).strip());
    }
    return modules;
  }

  /** A shell case pattern as a regex: * and ? match any characters, quoted text itself. */
  private static String glob(String pattern) {
    StringBuilder regex = new StringBuilder();
    boolean quoted = false;
    for (char c : pattern.toCharArray()) {
      if (c == '"') {
        quoted = !quoted;
      } else if (!quoted && c == '*') {
        regex.append(".*");
      } else if (!quoted && c == '?') {
        regex.append('.');
      } else {
        regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return regex.toString();
  }

  /** {@code a/b/c} and its parents: a .dockerignore pattern that matches one leaves it out. */
  private static List<String> prefixes(String path) {
    List<String> out = new ArrayList<>();
    for (int i = path.indexOf('/'); i >= 0; i = path.indexOf('/', i + 1)) {
      out.add(path.substring(0, i));
    }
    out.add(path);
    return out;
  }
}
