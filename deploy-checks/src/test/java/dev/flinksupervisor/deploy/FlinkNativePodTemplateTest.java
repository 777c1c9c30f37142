package dev.flinksupervisor.deploy;

import static dev.flinksupervisor.deploy.Repository.MAIN_CONTAINER;
import static dev.flinksupervisor.deploy.Repository.SIDECAR;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.HighAvailabilityOptions;
import org.apache.flink.kubernetes.configuration.KubernetesConfigOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The native pod template as Flink 2.3 itself turns it into the JobManager's Deployment ({@code
 * KubernetesJobManagerFactory.buildKubernetesJobManagerSpecification}, as {@code flink
 * run-application --target kubernetes-application} does): the sidecar container comes out whole,
 * beside the JobManager, which keeps its preStop hook and the shared handshake directory.
 */
class FlinkNativePodTemplateTest {
  @TempDir static Path dir;
  static JsonNode pod;
  static JsonNode template;

  @BeforeAll
  static void build() throws Exception {
    Configuration conf = new Configuration();
    conf.set(KubernetesConfigOptions.CLUSTER_ID, "orders");
    conf.set(KubernetesConfigOptions.NAMESPACE, "flink");
    conf.set(KubernetesConfigOptions.CONTAINER_IMAGE, "flink-supervisor-flink:latest");
    conf.set(
        KubernetesConfigOptions.JOB_MANAGER_POD_TEMPLATE,
        Repository.NATIVE_POD_TEMPLATE.toString());
    conf.set(HighAvailabilityOptions.HA_MODE, "kubernetes");
    conf.set(HighAvailabilityOptions.HA_STORAGE_PATH, "s3://flink/ha");
    pod = FlinkJobManagerPod.build(conf, dir);
    template = Repository.yaml(Repository.NATIVE_POD_TEMPLATE);
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
  void the_jobmanager_keeps_its_prestop_hook_and_the_handshake_directory() {
    JsonNode jobManager = Repository.container(pod.path("spec"), MAIN_CONTAINER);
    JsonNode written = Repository.container(template.path("spec"), MAIN_CONTAINER);

    assertThat(jobManager.path("lifecycle")).isEqualTo(written.path("lifecycle"));
    assertThat(jobManager.path("volumeMounts").findValuesAsText("mountPath"))
        .contains("/var/run/flink-supervisor");
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
