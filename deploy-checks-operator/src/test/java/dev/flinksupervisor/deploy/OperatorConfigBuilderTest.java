package dev.flinksupervisor.deploy;

import static dev.flinksupervisor.deploy.Repository.MAIN_CONTAINER;
import static dev.flinksupervisor.deploy.Repository.SIDECAR;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.kubernetes.configuration.KubernetesConfigOptions;
import org.apache.flink.kubernetes.operator.api.FlinkDeployment;
import org.apache.flink.kubernetes.operator.api.spec.FlinkVersion;
import org.apache.flink.kubernetes.operator.config.FlinkConfigBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The FlinkDeployment of {@code k8s/operator/} through the Flink Kubernetes Operator's own code:
 * {@code FlinkConfigBuilder.buildFrom} turns it into Flink's configuration and writes the
 * JobManager pod template (the resource's pod templates merged), and Flink builds the JobManager's
 * Deployment from that. The newest operator on Maven Central is 1.7.0, which runs Flink 1.17 and
 * knows Flink versions up to 1.18: the example's {@code flinkVersion: v2_3} is read as that
 * release's own Flink version; every other field is as written.
 */
class OperatorConfigBuilderTest {
  @TempDir Path dir;

  static final ObjectMapper MODEL =
      new ObjectMapper().enable(DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_AS_NULL);

  static Configuration operatorConfiguration() throws Exception {
    JsonNode written = Repository.yaml(Repository.FLINK_DEPLOYMENT);
    assertThat(written.path("spec").path("flinkVersion").asText()).isEqualTo("v2_3");
    FlinkDeployment deployment = MODEL.treeToValue(written, FlinkDeployment.class);
    deployment.getSpec().setFlinkVersion(FlinkVersion.v1_17);
    return FlinkConfigBuilder.buildFrom(
        "flink", deployment.getMetadata().getName(), deployment.getSpec(), new Configuration());
  }

  @Test
  void the_operator_writes_the_jobmanager_pod_template_with_the_sidecar() throws Exception {
    Configuration conf = operatorConfiguration();

    JsonNode pod =
        Repository.yaml(Path.of(conf.get(KubernetesConfigOptions.JOB_MANAGER_POD_TEMPLATE)));
    assertSidecarAndHookAsInTheNativeTemplate(pod.path("spec"));
    assertThat(conf.get(KubernetesConfigOptions.CLUSTER_ID)).isEqualTo("orders");
  }

  @Test
  void flink_builds_the_jobmanager_deployment_with_the_sidecar() throws Exception {
    JsonNode pod = FlinkJobManagerPod.build(operatorConfiguration(), dir);

    assertSidecarAndHookAsInTheNativeTemplate(pod.path("spec"));
    assertThat(pod.path("metadata").path("labels").path("app").asText()).isEqualTo("orders");
  }

  static void assertSidecarAndHookAsInTheNativeTemplate(JsonNode podSpec) {
    JsonNode nativeSpec = Repository.nativePodSpec();
    assertThat(
            Repository.differences(
                Repository.container(podSpec, SIDECAR), Repository.container(nativeSpec, SIDECAR)))
        .isEmpty();
    JsonNode jobManager = Repository.container(podSpec, MAIN_CONTAINER);
    assertThat(jobManager.path("lifecycle"))
        .isEqualTo(Repository.container(nativeSpec, MAIN_CONTAINER).path("lifecycle"));
    assertThat(jobManager.path("volumeMounts").findValuesAsText("mountPath"))
        .contains("/var/run/flink-supervisor");
    for (JsonNode v : nativeSpec.path("volumes")) {
      assertThat(podSpec.path("volumes").findValuesAsText("name"))
          .contains(v.path("name").asText());
    }
    assertThat(podSpec.path("terminationGracePeriodSeconds").asInt()).isEqualTo(90);
  }
}
