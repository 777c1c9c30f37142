package dev.flinksupervisor.deploy;

import static dev.flinksupervisor.deploy.Repository.MAIN_CONTAINER;
import static dev.flinksupervisor.deploy.Repository.SIDECAR;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.HighAvailabilityOptions;
import org.apache.flink.kubernetes.configuration.KubernetesConfigOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The native pod template as Flink 2.3 itself turns it into the JobManager's Deployment ({@code
 * KubernetesJobManagerFactory.buildKubernetesJobManagerSpecification}, as {@code flink run --target
 * kubernetes-application} does), with the {@code -D} options the template's header gives the Flink
 * client: the sidecar container comes out whole, beside the JobManager, which keeps its preStop
 * hook, the shared handshake directory and the push token.
 */
class FlinkNativePodTemplateTest {
  @TempDir static Path dir;
  static Map<String, String> options;
  static JsonNode pod;
  static JsonNode template;

  @BeforeAll
  static void build() throws Exception {
    options = Repository.nativeFlinkOptions();
    Configuration conf = Configuration.fromMap(options);
    // The client resolves the template's path from where it runs: the repository's root.
    conf.set(
        KubernetesConfigOptions.JOB_MANAGER_POD_TEMPLATE,
        Repository.ROOT
            .resolve(conf.get(KubernetesConfigOptions.JOB_MANAGER_POD_TEMPLATE))
            .toString());
    pod = FlinkJobManagerPod.build(conf, dir);
    template = Repository.yaml(Repository.NATIVE_POD_TEMPLATE);
  }

  @Test
  void the_header_options_start_a_cluster_of_this_template_with_kubernetes_ha() {
    Configuration conf = Configuration.fromMap(options);
    assertThat(Repository.ROOT.resolve(conf.get(KubernetesConfigOptions.JOB_MANAGER_POD_TEMPLATE)))
        .isEqualTo(Repository.NATIVE_POD_TEMPLATE);
    assertThat(conf.get(KubernetesConfigOptions.CLUSTER_ID)).isEqualTo("orders");
    assertThat(conf.get(KubernetesConfigOptions.NAMESPACE)).isEqualTo("flink");
    assertThat(conf.get(HighAvailabilityOptions.HA_MODE)).isEqualTo("kubernetes");
    assertThat(conf.get(HighAvailabilityOptions.HA_STORAGE_PATH))
        .as("the sidecar's high-availability.storageDir")
        .isEqualTo(Repository.supervisorConfig().get("high-availability.storageDir"));
  }

  @Test
  void the_sidecar_container_comes_out_as_written() {
    JsonNode sidecar = Repository.container(pod.path("spec"), SIDECAR);
    JsonNode written = Repository.container(template.path("spec"), SIDECAR);

    assertThat(Repository.differences(sidecar, written)).isEmpty();
    // Spelled out, what the sidecar needs in the pod:
    assertThat(sidecar.path("env").findValuesAsText("fieldPath"))
        .containsExactly(
            "metadata.labels['app']", "metadata.namespace", "status.podIP", "metadata.name");
    assertThat(sidecar.path("ports").get(0).path("containerPort").asInt()).isEqualTo(8085);
    assertThat(sidecar.path("readinessProbe").path("httpGet").path("path").asText())
        .isEqualTo("/readyz");
    assertThat(sidecar.path("livenessProbe").path("httpGet").path("path").asText())
        .isEqualTo("/healthz");
    JsonNode security = sidecar.path("securityContext");
    assertThat(security.path("runAsNonRoot").asBoolean()).isTrue();
    assertThat(security.path("readOnlyRootFilesystem").asBoolean()).isTrue();
    assertThat(security.path("allowPrivilegeEscalation").asBoolean()).isFalse();
    assertThat(security.path("capabilities").path("drop").get(0).asText()).isEqualTo("ALL");
  }

  @Test
  void the_jobmanager_keeps_its_prestop_hook_the_handshake_directory_and_the_push_token() {
    JsonNode jobManager = Repository.container(pod.path("spec"), MAIN_CONTAINER);
    JsonNode written = Repository.container(template.path("spec"), MAIN_CONTAINER);

    assertThat(jobManager.path("lifecycle")).isEqualTo(written.path("lifecycle"));
    assertThat(jobManager.path("volumeMounts").findValuesAsText("mountPath"))
        .contains("/var/run/flink-supervisor");
    assertThat(JobManagerPluginsTest.assertPushTokenMounted("Flink's pod", pod.path("spec")))
        .isEqualTo(JobManagerPluginsTest.assertPushTokenMounted("template", template.path("spec")));
    // Flink filled the rest of the main container: its image, its command and its config.
    assertThat(jobManager.path("image").asText()).isEqualTo("flink-supervisor-flink:latest");
    assertThat(jobManager.path("args").toString()).contains("jobmanager");
  }

  @Test
  void the_pod_keeps_the_volumes_grace_period_and_labels() {
    JsonNode spec = pod.path("spec");
    List<String> volumes = new ArrayList<>(spec.path("volumes").findValuesAsText("name"));
    for (JsonNode v : template.path("spec").path("volumes")) {
      assertThat(volumes).contains(v.path("name").asText());
      JsonNode out = null;
      for (JsonNode candidate : spec.path("volumes")) {
        if (candidate.path("name").equals(v.path("name"))) {
          out = candidate;
        }
      }
      assertThat(Repository.differences(out, v)).isEmpty();
    }
    assertThat(spec.path("terminationGracePeriodSeconds").asInt()).isEqualTo(90);
    JsonNode labels = pod.path("metadata").path("labels");
    assertThat(labels.path("flink-supervisor/attached").asText()).isEqualTo("true");
    assertThat(labels.path("app").asText())
        .as("the sidecar's cluster id comes from this label")
        .isEqualTo("orders");
    assertThat(labels.path("component").asText()).isEqualTo("jobmanager");
    assertThat(pod.path("metadata").path("annotations").path("prometheus.io/scrape").asText())
        .isEqualTo("true");
  }
}
