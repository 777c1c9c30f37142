package dev.flinksupervisor.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import org.apache.flink.kubernetes.operator.api.FlinkDeployment;
import org.apache.flink.kubernetes.operator.api.spec.FlinkDeploymentSpec;
import org.junit.jupiter.api.Test;

/**
 * Automatic attachment with Confluent Manager for Apache Flink: the environment's
 * flinkApplicationDefaults carry the pod template, and an application that names no sidecar gets
 * one. The resources have the documented shape ({@code confluent-flink-resources.schema.yaml}); the
 * application's spec with the environment's defaults merged in, as CMF merges them, is a
 * FlinkDeployment spec that the operator's CRD and model take with the sidecar whole.
 */
class ConfluentEnvironmentTest {
  static JsonNode documented() throws Exception {
    try (InputStream in =
        ConfluentEnvironmentTest.class.getResourceAsStream(
            "/confluent/confluent-flink-resources.schema.yaml")) {
      return Repository.YAML.readTree(in);
    }
  }

  @Test
  void the_resources_have_the_documented_shape() throws Exception {
    JsonNode environment = Repository.yaml(Repository.CONFLUENT_ENVIRONMENT);
    JsonNode application = Repository.yaml(Repository.CONFLUENT_APPLICATION);
    JsonNode rest = Repository.YAML.readTree(Repository.CONFLUENT_ENVIRONMENT_REST.toFile());

    assertThat(new CrdSchema(documented(), "FlinkEnvironment", Set.of()).problems(environment))
        .isEmpty();
    assertThat(new CrdSchema(documented(), "FlinkApplication", Set.of()).problems(application))
        .isEmpty();
    assertThat(new CrdSchema(documented(), "RestEnvironment", Set.of()).problems(rest)).isEmpty();
    assertThat(application.path("spec").path("flinkEnvironment").asText())
        .isEqualTo(environment.path("metadata").path("name").asText());
  }

  @Test
  void the_rest_body_is_the_same_environment() {
    JsonNode environment = Repository.yaml(Repository.CONFLUENT_ENVIRONMENT);
    JsonNode rest = Repository.yaml(Repository.CONFLUENT_ENVIRONMENT_REST);

    assertThat(rest.path("name")).isEqualTo(environment.path("metadata").path("name"));
    assertThat(rest.path("kubernetesNamespace"))
        .isEqualTo(environment.path("spec").path("kubernetesNamespace"));
    assertThat(rest.path("flinkApplicationDefaults"))
        .isEqualTo(environment.path("spec").path("flinkApplicationDefaults"));
  }

  @Test
  void the_application_names_no_sidecar_and_gets_one_from_its_environment() throws Exception {
    JsonNode environment = Repository.yaml(Repository.CONFLUENT_ENVIRONMENT);
    JsonNode application = Repository.yaml(Repository.CONFLUENT_APPLICATION);
    assertThat(application.toString()).doesNotContain("flink-supervisor\"");
    assertThat(application.path("spec").path("jobManager").has("podTemplate")).isFalse();

    JsonNode defaults = environment.path("spec").path("flinkApplicationDefaults");
    ObjectNode spec = merged(defaults.path("spec"), application.path("spec"));
    spec.remove("flinkEnvironment");
    spec.remove("cmfRestClassRef");
    ObjectNode metadata = merged(defaults.path("metadata"), application.path("metadata"));
    ObjectNode asDeployment = Repository.YAML.createObjectNode();
    asDeployment.put("apiVersion", "flink.apache.org/v1beta1");
    asDeployment.put("kind", "FlinkDeployment");
    asDeployment.set("metadata", metadata);
    asDeployment.set("spec", spec);

    assertThat(
            new CrdSchema(
                    OperatorFlinkDeploymentTest.crd(),
                    "v1beta1",
                    OperatorFlinkDeploymentTest.NEWER_THAN_THE_MODEL)
                .problems(asDeployment))
        .isEmpty();
    FlinkDeploymentSpec read =
        OperatorFlinkDeploymentTest.MODEL.treeToValue(spec, FlinkDeploymentSpec.class);
    OperatorFlinkDeploymentTest.assertSidecarAsInTheNativeTemplate(
        OperatorFlinkDeploymentTest.MODEL.valueToTree(
            read.getJobManager().getPodTemplate().getSpec()));
    assertThat(read.getJobManager().getResource().getMemory()).isEqualTo("1600m");
    assertThat(read.getFlinkConfiguration())
        .containsEntry("high-availability.type", "kubernetes")
        .containsEntry("taskmanager.numberOfTaskSlots", "2");
    assertThat(OperatorFlinkDeploymentTest.MODEL.treeToValue(asDeployment, FlinkDeployment.class))
        .isNotNull();
  }

  /**
   * CMF's documented merge: the environment's defaults under the application's own spec, except
   * flinkConfiguration, where the environment's keys win.
   */
  static ObjectNode merged(JsonNode defaults, JsonNode own) {
    ObjectNode out = deepMerge(defaults.deepCopy(), own);
    if (defaults.has("flinkConfiguration")) {
      ObjectNode conf = (ObjectNode) out.with("flinkConfiguration");
      defaults
          .path("flinkConfiguration")
          .fields()
          .forEachRemaining(e -> conf.set(e.getKey(), e.getValue()));
    }
    return out;
  }

  private static ObjectNode deepMerge(ObjectNode base, JsonNode over) {
    for (Iterator<Map.Entry<String, JsonNode>> it = over.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode existing = base.get(e.getKey());
      if (existing instanceof ObjectNode o && e.getValue().isObject()) {
        deepMerge(o, e.getValue());
      } else {
        base.set(e.getKey(), e.getValue().deepCopy());
      }
    }
    return base;
  }
}
