package dev.flinksupervisor.deploy;

import static dev.flinksupervisor.deploy.Repository.MAIN_CONTAINER;
import static dev.flinksupervisor.deploy.Repository.SIDECAR;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.util.Set;
import org.apache.flink.kubernetes.operator.api.FlinkDeployment;
import org.apache.flink.kubernetes.operator.api.spec.FlinkDeploymentSpec;
import org.apache.flink.kubernetes.operator.api.utils.SpecUtils;
import org.apache.flink.kubernetes.operator.api.utils.SpecWithMeta;
import org.junit.jupiter.api.Test;

/**
 * The FlinkDeployment of {@code k8s/operator/} as the Flink Kubernetes Operator receives it: the
 * API server checks it against the operator's CRD and prunes what the schema does not know, the
 * operator reads it into its own model ({@code flink-kubernetes-operator-api}) and keeps the last
 * reconciled spec with its own {@code SpecUtils}. The sidecar and the JobManager's preStop hook
 * come through each step whole.
 *
 * <p>The newest operator model on Maven Central is 1.10, which predates Flink 2 ({@code
 * flinkVersion} goes up to {@code v1_20}); the example asks for {@code v2_3}, which operators from
 * 1.13 on know. That one field's enum is therefore not held against 1.10's list.
 */
class OperatorFlinkDeploymentTest {
  static final Set<String> NEWER_THAN_THE_MODEL = Set.of("/spec/flinkVersion");

  /** The operator's model mapper, told to read a Flink version it predates as null. */
  static final ObjectMapper MODEL =
      new ObjectMapper().enable(DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_AS_NULL);

  static JsonNode crd() throws Exception {
    try (InputStream in =
        FlinkDeployment.class.getResourceAsStream(
            "/META-INF/fabric8/flinkdeployments.flink.apache.org-v1.yml")) {
      return Repository.YAML.readTree(in);
    }
  }

  @Test
  void the_api_server_accepts_it_and_prunes_nothing() throws Exception {
    JsonNode deployment = Repository.yaml(Repository.FLINK_DEPLOYMENT);
    CrdSchema schema = new CrdSchema(crd(), "v1beta1", NEWER_THAN_THE_MODEL);

    assertThat(schema.problems(deployment)).isEmpty();
    assertThat(deployment.path("spec").path("flinkVersion").asText()).isEqualTo("v2_3");
  }

  @Test
  void the_operator_model_keeps_the_sidecar_and_the_prestop_hook() throws Exception {
    JsonNode written = Repository.yaml(Repository.FLINK_DEPLOYMENT);
    FlinkDeployment deployment = MODEL.treeToValue(written, FlinkDeployment.class);

    JsonNode podSpec =
        MODEL.valueToTree(deployment.getSpec().getJobManager().getPodTemplate().getSpec());
    assertSidecarAsInTheNativeTemplate(podSpec);
    assertThat(deployment.getMetadata().getName()).isEqualTo("orders");
    assertThat(deployment.getSpec().getJobManager().getReplicas()).isEqualTo(1);
  }

  @Test
  void the_last_reconciled_spec_keeps_the_sidecar() throws Exception {
    FlinkDeployment deployment =
        MODEL.treeToValue(Repository.yaml(Repository.FLINK_DEPLOYMENT), FlinkDeployment.class);
    deployment.getSpec().setFlinkVersion(null); // see the class comment

    String stored = SpecUtils.writeSpecWithMeta(deployment.getSpec(), deployment);
    SpecWithMeta<FlinkDeploymentSpec> read =
        SpecUtils.deserializeSpecWithMeta(stored, FlinkDeploymentSpec.class);

    assertSidecarAsInTheNativeTemplate(
        MODEL.valueToTree(read.getSpec().getJobManager().getPodTemplate().getSpec()));
  }

  /** The sidecar and the JobManager's hook, exactly as in the native pod template. */
  static void assertSidecarAsInTheNativeTemplate(JsonNode podSpec) {
    JsonNode nativeSpec = Repository.nativePodSpec();
    for (String name : new String[] {SIDECAR, MAIN_CONTAINER}) {
      assertThat(
              Repository.differences(
                  Repository.container(podSpec, name), Repository.container(nativeSpec, name)))
          .as("container %s", name)
          .isEmpty();
    }
    ObjectNode volumes = MODEL.createObjectNode();
    podSpec.path("volumes").forEach(v -> volumes.set(v.path("name").asText(), v));
    for (JsonNode v : nativeSpec.path("volumes")) {
      assertThat(Repository.differences(volumes.path(v.path("name").asText()), v)).isEmpty();
    }
    assertThat(podSpec.path("terminationGracePeriodSeconds").asInt()).isEqualTo(90);
  }
}
