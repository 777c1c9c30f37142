package dev.flinksupervisor.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every kustomization under {@code k8s/} (the base and each overlay; components through the
 * overlays that use them) renders with {@code kubectl kustomize}, and what it renders keeps the
 * sidecar's least-privilege Role, names the objects the pod templates mount (the push-token Secret
 * among them), gives the sidecar the push token's path, and keeps the JobManager plugins' wiring in
 * the FlinkDeployment and the Confluent environment as rendered. Without kubectl the checks are
 * skipped and say so, except where {@code FLINK_SUPERVISOR_REQUIRE_KUBECTL} is set (CI installs
 * kubectl and sets it).
 */
class KustomizeTest {

  static List<Path> kustomizations() throws Exception {
    try (Stream<Path> files = Files.walk(Repository.K8S)) {
      return files
          .filter(f -> f.getFileName().toString().equals("kustomization.yaml"))
          .map(Path::getParent)
          .filter(d -> !d.getParent().getFileName().toString().equals("components"))
          .sorted()
          .toList();
    }
  }

  static List<JsonNode> render(Path dir) throws Exception {
    Commands.Result result =
        Commands.run(
            Repository.ROOT,
            Duration.ofMinutes(2),
            List.of("kubectl", "kustomize", dir.toString()));
    assertThat(result.ok()).as("kubectl kustomize %s:\n%s", dir, result.output()).isTrue();
    return Repository.yamlDocuments(result.output());
  }

  @TestFactory
  List<DynamicTest> every_overlay_renders() throws Exception {
    requireKubectl("the kustomizations were not rendered");
    List<DynamicTest> tests = new ArrayList<>();
    for (Path dir : kustomizations()) {
      String name = Repository.K8S.relativize(dir).toString();
      tests.add(DynamicTest.dynamicTest(name, () -> checkRendered(name, render(dir))));
    }
    assertThat(tests).hasSizeGreaterThanOrEqualTo(5);
    return tests;
  }

  private static void checkRendered(String overlay, List<JsonNode> objects) {
    List<String> kinds = objects.stream().map(o -> o.path("kind").asText()).toList();
    assertThat(kinds)
        .contains("ServiceAccount", "Role", "RoleBinding", "ConfigMap", "Secret", "Service");
    JsonNode role = only(objects, "Role");
    JsonNode rules = role.path("rules");
    assertThat(rules).hasSize(5);
    assertThat(rules.get(0).path("verbs").toString()).isEqualTo("[\"get\",\"list\",\"watch\"]");
    assertThat(rules.get(0).has("resourceNames")).isFalse();
    assertThat(rules.get(1).path("verbs").toString()).isEqualTo("[\"update\"]");
    assertThat(rules.get(1).path("resourceNames")).isNotEmpty();
    rules.get(1).path("resourceNames").forEach(n -> assertThat(n.asText()).endsWith("-supervisor"));
    assertThat(rules.get(2).path("verbs").toString()).isEqualTo("[\"create\"]");
    for (int i = 0; i < 3; i++) {
      assertThat(rules.get(i).path("resources").toString()).isEqualTo("[\"configmaps\"]");
    }
    // Its own pod's status (by name, which is not known in advance), and Events about it.
    assertThat(rules.get(3).path("resources").toString()).isEqualTo("[\"pods\"]");
    assertThat(rules.get(3).path("verbs").toString()).isEqualTo("[\"list\",\"watch\"]");
    assertThat(rules.get(4).path("resources").toString()).isEqualTo("[\"events\"]");
    assertThat(rules.get(4).path("verbs").toString()).isEqualTo("[\"create\",\"get\",\"update\"]");
    for (JsonNode rule : rules) {
      assertThat(rule.path("apiGroups").toString()).isEqualTo("[\"\"]");
      assertThat(rule.path("verbs").toString()).doesNotContain("delete", "patch", "*");
    }
    JsonNode binding = only(objects, "RoleBinding");
    assertThat(binding.path("roleRef").path("name")).isEqualTo(role.path("metadata").path("name"));
    assertThat(binding.path("subjects").get(0).path("name").asText()).isEqualTo("flink-supervisor");
    // The objects the pod template mounts, under the names it uses.
    assertThat(names(objects, "ConfigMap")).contains("flink-supervisor");
    assertThat(names(objects, "Secret"))
        .contains(
            "flink-supervisor-tokens",
            "flink-supervisor-token",
            JobManagerPluginsTest.PUSH_TOKEN_SECRET);
    for (JsonNode v : Repository.nativePodSpec().path("volumes")) {
      if (v.has("secret")) {
        assertThat(names(objects, "Secret")).contains(v.path("secret").path("secretName").asText());
      }
      if (v.has("configMap")) {
        assertThat(names(objects, "ConfigMap")).contains(v.path("configMap").path("name").asText());
      }
    }
    JsonNode config =
        objects.stream()
            .filter(o -> o.path("kind").asText().equals("ConfigMap"))
            .filter(o -> o.path("metadata").path("name").asText().equals("flink-supervisor"))
            .findFirst()
            .orElseThrow()
            .path("data")
            .path("supervisor.yaml");
    assertThat(Repository.flattened(Repository.yamlText(config.asText())).get("push.token-file"))
        .as("the rendered sidecar configuration's push.token-file")
        .isEqualTo(
            JobManagerPluginsTest.assertPushTokenMounted("native", Repository.nativePodSpec())
                + "/"
                + JobManagerPluginsTest.TOKEN_KEY);
    if (!overlay.equals("base")) {
      assertThat(role.path("rules").get(1).path("resourceNames").toString())
          .isEqualTo("[\"orders-supervisor\"]");
    }
    if (overlay.startsWith("operator")) {
      JsonNode deployment = only(objects, "FlinkDeployment");
      JsonNode podSpec =
          deployment.path("spec").path("jobManager").path("podTemplate").path("spec");
      JsonNode sidecar =
          ((ObjectNode)
                  Repository.withoutEmpties(Repository.container(podSpec, Repository.SIDECAR)))
              .without("restartPolicy");
      assertThat(sidecar)
          .as("the sidecar as in the native pod template (a native sidecar adds restartPolicy)")
          .isEqualTo(
              Repository.withoutEmpties(
                  Repository.container(Repository.nativePodSpec(), Repository.SIDECAR)));
      JobManagerPluginsTest.assertPluginsTurnedOn(
          JobManagerPluginsTest.fromSpec(overlay + " FlinkDeployment", deployment));
    }
    if (overlay.equals("confluent")) {
      assertThat(kinds).contains("FlinkEnvironment", "FlinkApplication");
      JobManagerPluginsTest.assertPluginsTurnedOn(
          JobManagerPluginsTest.fromSpec(
              overlay + " FlinkApplication",
              JobManagerPluginsTest.confluentApplication(
                  only(objects, "FlinkEnvironment").path("spec"),
                  only(objects, "FlinkApplication").path("spec"))));
    }
  }

  /**
   * The optional component for Kubernetes tokens, added to an overlay as its README says: it binds
   * the sidecar's service account, in the overlay's namespace, to system:auth-delegator.
   */
  @org.junit.jupiter.api.Test
  void the_kubernetes_auth_component_binds_the_sidecar_to_auth_delegator() throws Exception {
    requireKubectl("the kubernetes-auth component was not rendered");
    Path overlay = Files.createDirectories(Path.of("target", "kustomize-kubernetes-auth"));
    Files.writeString(
        overlay.resolve("kustomization.yaml"),
        """
        apiVersion: kustomize.config.k8s.io/v1beta1
        kind: Kustomization
        namespace: streaming
        resources:
          - %s
        components:
          - %s
        """
            .formatted(
                overlay
                    .toAbsolutePath()
                    .relativize(Repository.K8S.resolve("native").toAbsolutePath()),
                overlay
                    .toAbsolutePath()
                    .relativize(
                        Repository.K8S.resolve("components/kubernetes-auth").toAbsolutePath())));
    List<JsonNode> objects = render(overlay.toAbsolutePath());
    JsonNode binding = only(objects, "ClusterRoleBinding");
    assertThat(binding.at("/roleRef/kind").asText()).isEqualTo("ClusterRole");
    assertThat(binding.at("/roleRef/name").asText()).isEqualTo("system:auth-delegator");
    assertThat(binding.at("/subjects/0/name").asText())
        .isEqualTo(only(objects, "ServiceAccount").at("/metadata/name").asText());
    assertThat(binding.at("/subjects/0/namespace").asText()).isEqualTo("streaming");
    checkRendered("native + kubernetes-auth", objects);
  }

  /** Skips the test without kubectl, saying {@code what} was not checked; CI requires it. */
  private static void requireKubectl(String what) {
    if (Commands.available("kubectl", "version", "--client").isEmpty()) {
      String reason = "kubectl is not on the PATH: " + what;
      System.out.println("SKIPPED: " + reason);
      assertThat(System.getenv("FLINK_SUPERVISOR_REQUIRE_KUBECTL"))
          .as("%s, but FLINK_SUPERVISOR_REQUIRE_KUBECTL is set", reason)
          .isNull();
      assumeTrue(false, reason);
    }
  }

  private static JsonNode only(List<JsonNode> objects, String kind) {
    List<JsonNode> found =
        objects.stream().filter(o -> o.path("kind").asText().equals(kind)).toList();
    assertThat(found).as("objects of kind %s", kind).hasSize(1);
    return found.get(0);
  }

  private static List<String> names(List<JsonNode> objects, String kind) {
    return objects.stream()
        .filter(o -> o.path("kind").asText().equals(kind))
        .map(o -> o.path("metadata").path("name").asText())
        .toList();
  }
}
