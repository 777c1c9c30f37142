package dev.flinksupervisor.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.flinksupervisor.testing.KubernetesRequests;
import dev.flinksupervisor.testing.KubernetesRequests.Request;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Least privilege, checked against what the sidecar really does: every request the sidecar made to
 * the Kubernetes API across the integration tests (recorded at the mock API server, {@link
 * KubernetesRequests}) is allowed by the Role in {@code k8s/base/role.yaml}, and every verb of
 * every rule of that Role was used by some request. Run by failsafe after the ITs (execution {@code
 * rbac-coverage}); when only some ITs ran ({@code -Dit.test=...}), unused rules are reported but do
 * not fail.
 */
class RbacCoverageCheck {
  static final Path ROLE = Path.of("..", "k8s", "base", "role.yaml");

  /** The cluster id the base Role is written for; each overlay names its own clusters. */
  static final String BASE_CLUSTER_ID = "example";

  /** Kubernetes lets every authenticated caller read these (system:discovery and friends). */
  private static final Set<String> OPEN_PATHS = Set.of("/version", "/api", "/apis", "/api/v1");

  /** One rule of the Role. An empty {@code resourceNames} allows any name. */
  record Rule(
      int index,
      Set<String> apiGroups,
      Set<String> resources,
      Set<String> verbs,
      Set<String> resourceNames) {

    /** This rule as it is for the cluster {@code clusterId}: its record's name in place. */
    Rule forCluster(String clusterId) {
      Set<String> names = new TreeSet<>();
      for (String n : resourceNames) {
        names.add(
            n.startsWith(BASE_CLUSTER_ID + "-")
                ? clusterId + n.substring(BASE_CLUSTER_ID.length())
                : n);
      }
      return new Rule(index, apiGroups, resources, verbs, names);
    }

    /** As Kubernetes' RBAC authorizer decides it for a namespaced Role. */
    boolean allows(Request r) {
      return !r.namespace().isEmpty()
          && apiGroups.contains(r.apiGroup())
          && resources.contains(r.resource())
          && verbs.contains(r.verb())
          && (resourceNames.isEmpty() || resourceNames.contains(r.name()));
    }

    String describe() {
      return verbs + " " + resources + (resourceNames.isEmpty() ? "" : " named " + resourceNames);
    }
  }

  static List<Rule> readRole(Path file) throws Exception {
    JsonNode role = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
    assertThat(role.path("kind").asText()).isEqualTo("Role");
    List<Rule> rules = new ArrayList<>();
    JsonNode list = role.path("rules");
    for (int i = 0; i < list.size(); i++) {
      JsonNode r = list.get(i);
      rules.add(
          new Rule(
              i,
              strings(r.path("apiGroups")),
              strings(r.path("resources")),
              strings(r.path("verbs")),
              strings(r.path("resourceNames"))));
    }
    return rules;
  }

  private static Set<String> strings(JsonNode array) {
    Set<String> out = new TreeSet<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  /** The request with the cluster id and job ids in its name replaced by placeholders. */
  static String shape(Request r) {
    if (!r.isResourceRequest()) {
      return "get " + r.path();
    }
    String name = r.name();
    if (name.startsWith(r.clusterId() + "-")) {
      name = "<cluster-id>" + name.substring(r.clusterId().length());
    }
    name = name.replaceAll("[0-9a-f]{32}", "<job-id>");
    String scope = r.namespace().isEmpty() ? "(cluster-wide)" : "in the namespace";
    return r.verb() + " " + r.resource() + (name.isEmpty() ? "" : " " + name) + " " + scope;
  }

  @Test
  void every_request_is_allowed_and_every_rule_is_used() throws Exception {
    Path dir = KubernetesRequests.directory();
    List<Request> requests = KubernetesRequests.readAll(dir);
    assumeTrue(
        !requests.isEmpty(),
        "No request of the sidecar was recorded in "
            + dir.toAbsolutePath()
            + ": the integration tests did not run here, or ran against a real cluster"
            + " (KUBECONFIG), where requests are not recorded.");
    List<Rule> rules = readRole(ROLE);

    Map<String, Integer> shapes = new TreeMap<>();
    Set<String> refused = new TreeSet<>();
    Set<String> used = new TreeSet<>();
    for (Request r : requests) {
      String shape = shape(r);
      shapes.merge(shape, 1, Integer::sum);
      if (!r.isResourceRequest()) {
        if (!OPEN_PATHS.contains(r.path())) {
          refused.add(shape);
        }
        continue;
      }
      boolean allowed = false;
      for (Rule rule : rules) {
        if (rule.forCluster(r.clusterId()).allows(r)) {
          allowed = true;
          used.add(rule.index() + " " + r.verb());
        }
      }
      if (!allowed) {
        refused.add(shape);
      }
    }
    List<String> unused = new ArrayList<>();
    for (Rule rule : rules) {
      for (String verb : rule.verbs()) {
        if (!used.contains(rule.index() + " " + verb)) {
          unused.add("rule " + rule.index() + " (" + rule.describe() + "): " + verb);
        }
      }
    }

    System.out.println("The sidecar's Kubernetes requests in the integration tests (" + dir + "):");
    shapes.forEach((shape, count) -> System.out.printf("  %6d  %s%n", count, shape));
    String subset = System.getProperty("flink-supervisor.it-subset", "");
    boolean partial = !subset.isBlank() && !subset.startsWith("${");
    if (partial && !unused.isEmpty()) {
      System.out.println(
          "Only some integration tests ran (" + subset + "); unused here: " + unused);
    }
    assertThat(refused).as("requests the Role in %s does not allow", ROLE).isEmpty();
    if (!partial) {
      assertThat(unused).as("verbs of the Role in %s that no request used", ROLE).isEmpty();
    }
  }
}
