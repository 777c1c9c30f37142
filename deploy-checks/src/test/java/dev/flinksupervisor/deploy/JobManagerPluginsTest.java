package dev.flinksupervisor.deploy;

import static dev.flinksupervisor.deploy.Repository.MAIN_CONTAINER;
import static dev.flinksupervisor.deploy.Repository.SIDECAR;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.EventOptions;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.kubernetes.configuration.KubernetesConfigOptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The JobManager plugins of {@code images/flink}, wired the same in each way of running Flink here
 * (the native pod template with the {@code -D} options its header lists, the operator's
 * FlinkDeployment, Confluent's environment with its application, as YAML and as the REST body): the
 * JobManager runs the image that carries them; its pod mounts the push-token Secret in the
 * JobManager and in the sidecar, read-only, at one directory; its Flink configuration, read with
 * Flink's own options, turns on the event reporter, pointed at the sidecar's push listener with the
 * token file the JobManager mounts, and the failure enricher; and the sidecar reads its token from
 * the same file.
 */
class JobManagerPluginsTest {
  static final String PUSH_TOKEN_SECRET = "flink-supervisor-push-token";
  static final String TOKEN_KEY = "token";
  static final String FLINK_IMAGE = "flink-supervisor-flink:latest";
  static final String REPORTER_FACTORY =
      "dev.flinksupervisor.plugins.push.SupervisorEventReporterFactory";
  static final String FAILURE_ENRICHER = "dev.flinksupervisor.plugins.failures.FailureLabels";
  static final String PUSH_PATH = "/push/v1/events";

  /** The sidecar's own defaults of the push listener's options (its SupervisorOptions). */
  static final Map<String, String> SIDECAR_DEFAULTS =
      Map.of("push.host", "127.0.0.1", "push.port", "8091");

  /** A JobManager as one way of running Flink describes it. */
  record JobManager(
      String source, Map<String, String> flinkConfiguration, String image, JsonNode podSpec) {
    @Override
    public String toString() {
      return source;
    }
  }

  static List<JobManager> jobManagers() throws Exception {
    Map<String, String> options = Repository.nativeFlinkOptions();
    JsonNode application = Repository.yaml(Repository.CONFLUENT_APPLICATION).path("spec");
    return List.of(
        new JobManager(
            "native pod template and its -D options",
            options,
            options.get(KubernetesConfigOptions.CONTAINER_IMAGE.key()),
            Repository.nativePodSpec()),
        fromSpec("operator FlinkDeployment", Repository.yaml(Repository.FLINK_DEPLOYMENT)),
        fromSpec(
            "Confluent application in flinkenvironment.yaml",
            confluentApplication(
                Repository.yaml(Repository.CONFLUENT_ENVIRONMENT).path("spec"), application)),
        fromSpec(
            "Confluent application in environment.json",
            confluentApplication(
                Repository.yaml(Repository.CONFLUENT_ENVIRONMENT_REST), application)));
  }

  /** A FlinkDeployment-like resource: its spec's image, flinkConfiguration and pod template. */
  static JobManager fromSpec(String source, JsonNode resource) {
    JsonNode spec = resource.path("spec");
    return new JobManager(
        source,
        Repository.flinkConfiguration(spec.path("flinkConfiguration")),
        spec.path("image").asText(null),
        spec.path("jobManager").path("podTemplate").path("spec"));
  }

  /** An application's spec with its environment's defaults, as CMF merges them. */
  static JsonNode confluentApplication(JsonNode environment, JsonNode applicationSpec) {
    JsonNode defaults = environment.path("flinkApplicationDefaults");
    return Repository.YAML
        .createObjectNode()
        .set("spec", ConfluentEnvironmentTest.merged(defaults.path("spec"), applicationSpec));
  }

  static Stream<DynamicTest> forEach(Consumer<JobManager> check) throws Exception {
    return jobManagers().stream()
        .map(jm -> DynamicTest.dynamicTest(jm.source(), () -> check.accept(jm)));
  }

  @TestFactory
  Stream<DynamicTest> every_jobmanager_runs_the_flink_image_with_the_plugins() throws Exception {
    assertThat(Files.readString(DockerfileTest.FLINK))
        .as("images/flink is tagged with the name the manifests use")
        .contains("-t " + FLINK_IMAGE.substring(0, FLINK_IMAGE.indexOf(':')) + ":");
    return forEach(jm -> assertThat(jm.image()).as("%s: Flink's image", jm).isEqualTo(FLINK_IMAGE));
  }

  @TestFactory
  Stream<DynamicTest> every_jobmanager_pod_mounts_the_push_token_in_both_containers_at_one_path()
      throws Exception {
    return forEach(jm -> assertPushTokenMounted(jm.source(), jm.podSpec()));
  }

  @TestFactory
  Stream<DynamicTest> every_flink_configuration_pushes_to_the_sidecar_and_labels_failures()
      throws Exception {
    return forEach(JobManagerPluginsTest::assertPluginsTurnedOn);
  }

  @TestFactory
  Stream<DynamicTest> the_sidecar_reads_the_push_token_the_jobmanager_mounts() throws Exception {
    String configured = Repository.supervisorConfig().get("push.token-file");
    return forEach(
        jm -> {
          String file = assertPushTokenMounted(jm.source(), jm.podSpec()) + "/" + TOKEN_KEY;
          assertThat(configured)
              .as("push.token-file in %s", Repository.SUPERVISOR_CONFIG)
              .isEqualTo(file);
          assertThat(sidecarOption(Repository.container(jm.podSpec(), SIDECAR), "push.token-file"))
              .as("%s: the sidecar's push.token-file, its environment included", jm)
              .isEqualTo(file);
        });
  }

  @Test
  void the_base_secret_holds_no_token_so_the_sidecar_waits_for_a_real_one() {
    JsonNode secret = Repository.yaml(Repository.PUSH_TOKEN_SECRET);
    assertThat(secret.path("kind").asText()).isEqualTo("Secret");
    assertThat(secret.path("metadata").path("name").asText()).isEqualTo(PUSH_TOKEN_SECRET);
    assertThat(secret.has("data")).isFalse();
    assertThat(secret.path("stringData").has(TOKEN_KEY)).isTrue();
    assertThat(secret.path("stringData").path(TOKEN_KEY).asText())
        .as("a placeholder: an empty token file, which the sidecar refuses")
        .isBlank();
  }

  /**
   * The directory where both containers of a JobManager pod mount the push-token Secret: one volume
   * of the whole Secret (its key a file of the same name), mounted read-only and without subPath (a
   * subPath mount never sees a rotated token) at the same path in the JobManager and the sidecar.
   */
  static String assertPushTokenMounted(String pod, JsonNode podSpec) {
    List<JsonNode> volumes = new ArrayList<>();
    for (JsonNode v : podSpec.path("volumes")) {
      if (v.path("secret").path("secretName").asText().equals(PUSH_TOKEN_SECRET)) {
        volumes.add(v);
      }
    }
    assertThat(volumes).as("%s: volumes of the Secret %s", pod, PUSH_TOKEN_SECRET).hasSize(1);
    JsonNode secret = volumes.get(0).path("secret");
    assertThat(secret.has("items")).as("%s: the Secret's keys as they are", pod).isFalse();
    assertThat(secret.path("optional").asBoolean()).as("%s: an optional Secret", pod).isFalse();
    String volume = volumes.get(0).path("name").asText();
    String jobManager = mountPath(pod, Repository.container(podSpec, MAIN_CONTAINER), volume);
    String sidecar = mountPath(pod, Repository.container(podSpec, SIDECAR), volume);
    assertThat(sidecar)
        .as("%s: the push token's directory in the sidecar and in the JobManager", pod)
        .isEqualTo(jobManager);
    return jobManager;
  }

  private static String mountPath(String pod, JsonNode container, String volume) {
    String name = container.path("name").asText();
    List<JsonNode> mounts = new ArrayList<>();
    for (JsonNode m : container.path("volumeMounts")) {
      if (m.path("name").asText().equals(volume)) {
        mounts.add(m);
      }
    }
    assertThat(mounts).as("%s: mounts of %s in %s", pod, volume, name).hasSize(1);
    JsonNode mount = mounts.get(0);
    assertThat(mount.path("readOnly").asBoolean()).as("%s: %s read-only", pod, name).isTrue();
    assertThat(mount.has("subPath") || mount.has("subPathExpr"))
        .as("%s: %s mounts a subPath", pod, name)
        .isFalse();
    return mount.path("mountPath").asText();
  }

  /**
   * The Flink configuration turns on, as Flink reads it, exactly one event reporter of the
   * supervisor's factory, with the token file the JobManager container mounts and the URL of the
   * sidecar's push listener in that pod, and the failure enricher.
   */
  static void assertPluginsTurnedOn(JobManager jm) {
    Configuration conf = Configuration.fromMap(jm.flinkConfiguration());
    List<String> reporters =
        names(conf.get(EventOptions.REPORTERS_LIST)).stream()
            .filter(
                name ->
                    REPORTER_FACTORY.equals(
                        EventOptions.forEventReporter(conf, name)
                            .get(EventOptions.REPORTER_FACTORY_CLASS)))
            .toList();
    assertThat(reporters)
        .as("%s: reporters in %s of %s", jm, EventOptions.REPORTERS_LIST.key(), REPORTER_FACTORY)
        .hasSize(1);
    Map<String, String> reporter = EventOptions.forEventReporter(conf, reporters.get(0)).toMap();
    String prefix = "events.reporter." + reporters.get(0) + ".";

    String directory = assertPushTokenMounted(jm.source(), jm.podSpec());
    assertThat(reporter.get("token-file"))
        .as("%s: %stoken-file, in the directory the JobManager mounts", jm, prefix)
        .isEqualTo(directory + "/" + TOKEN_KEY);

    assertThat(reporter).as("%s: %surl", jm, prefix).containsKey("url");
    URI url = URI.create(reporter.get("url"));
    JsonNode sidecar = Repository.container(jm.podSpec(), SIDECAR);
    assertThat(url.getScheme()).as("%s: %surl", jm, prefix).isEqualTo("http");
    assertThat(url.getHost())
        .as("%s: %surl's host, the sidecar's push.host", jm, prefix)
        .isEqualTo(sidecarOption(sidecar, "push.host"));
    assertThat(url.getPort())
        .as("%s: %surl's port, the sidecar's push.port", jm, prefix)
        .isEqualTo(Integer.parseInt(sidecarOption(sidecar, "push.port")));
    assertThat(url.getPath()).as("%s: %surl", jm, prefix).isEqualTo(PUSH_PATH);

    assertThat(names(conf.get(JobManagerOptions.FAILURE_ENRICHERS_LIST)))
        .as("%s: %s", jm, JobManagerOptions.FAILURE_ENRICHERS_LIST.key())
        .contains(FAILURE_ENRICHER);
  }

  /**
   * A sidecar option as the sidecar in that container resolves it: its environment variable ({@code
   * push.port} is {@code SUPERVISOR_PUSH_PORT}), then the configuration file, then its default.
   */
  static String sidecarOption(JsonNode sidecar, String key) {
    String variable =
        "SUPERVISOR_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    for (JsonNode env : sidecar.path("env")) {
      if (env.path("name").asText().equals(variable)) {
        assertThat(env.has("value")).as("%s is set literally", variable).isTrue();
        return env.path("value").asText();
      }
    }
    return Repository.supervisorConfig().getOrDefault(key, SIDECAR_DEFAULTS.get(key));
  }

  /** A comma-separated list of names, as Flink splits its reporter and enricher lists. */
  private static List<String> names(String list) {
    if (list == null || list.isBlank()) {
      return List.of();
    }
    return Stream.of(list.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
  }
}
