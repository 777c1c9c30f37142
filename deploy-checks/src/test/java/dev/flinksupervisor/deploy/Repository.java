package dev.flinksupervisor.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The repository's deployment files (images/, k8s/) as the checks read them. */
final class Repository {
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  static final Path K8S = ROOT.resolve("k8s");
  static final Path NATIVE_POD_TEMPLATE = K8S.resolve("native/jobmanager-pod-template.yaml");
  static final Path FLINK_DEPLOYMENT = K8S.resolve("operator/flinkdeployment.yaml");
  static final Path CONFLUENT_ENVIRONMENT = K8S.resolve("confluent/flinkenvironment.yaml");
  static final Path CONFLUENT_ENVIRONMENT_REST = K8S.resolve("confluent/environment.json");
  static final Path CONFLUENT_APPLICATION = K8S.resolve("confluent/flinkapplication.yaml");
  static final String MAIN_CONTAINER = "flink-main-container";
  static final String SIDECAR = "flink-supervisor";

  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private Repository() {}

  static JsonNode yaml(Path file) {
    try {
      return YAML.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<JsonNode> yamlDocuments(String text) throws IOException {
    List<JsonNode> docs = new ArrayList<>();
    try (var parser = YAML.getFactory().createParser(text)) {
      YAML.readValues(parser, JsonNode.class)
          .forEachRemaining(
              d -> {
                if (d != null && !d.isNull() && !d.isEmpty()) {
                  docs.add(d);
                }
              });
    }
    return docs;
  }

  /** The pod spec of the native JobManager pod template. */
  static JsonNode nativePodSpec() {
    return yaml(NATIVE_POD_TEMPLATE).path("spec");
  }

  /** The container named {@code name} among a pod spec's containers and init containers. */
  static JsonNode container(JsonNode podSpec, String name) {
    for (String list : List.of("containers", "initContainers")) {
      for (JsonNode c : podSpec.path(list)) {
        if (c.path("name").asText().equals(name)) {
          return c;
        }
      }
    }
    throw new AssertionError("No container '" + name + "' in " + podSpec);
  }

  /** A copy without the fields a consumer may add or drop when it is absent (nulls, empties). */
  static JsonNode withoutEmpties(JsonNode node) {
    if (node.isObject()) {
      ObjectNode out = YAML.createObjectNode();
      node.fields()
          .forEachRemaining(
              e -> {
                JsonNode v = withoutEmpties(e.getValue());
                if (!v.isNull() && !(v.isContainerNode() && v.isEmpty())) {
                  out.set(e.getKey(), v);
                }
              });
      return out;
    }
    if (node.isArray()) {
      var out = YAML.createArrayNode();
      node.forEach(v -> out.add(withoutEmpties(v)));
      return out;
    }
    return node;
  }

  /**
   * Where {@code actual} differs from {@code expected}, by path, nulls and empties left aside
   * (empty when they are the same).
   */
  static List<String> differences(JsonNode actual, JsonNode expected) {
    List<String> out = new ArrayList<>();
    diff("", withoutEmpties(actual), withoutEmpties(expected), out);
    return out;
  }

  private static void diff(String path, JsonNode actual, JsonNode expected, List<String> out) {
    if (actual.isObject() && expected.isObject()) {
      java.util.Set<String> names = new java.util.TreeSet<>();
      actual.fieldNames().forEachRemaining(names::add);
      expected.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        JsonNode a = actual.path(name);
        JsonNode e = expected.path(name);
        if (a.isMissingNode()) {
          out.add(path + "/" + name + ": missing, expected " + e);
        } else if (e.isMissingNode()) {
          out.add(path + "/" + name + ": unexpected " + a);
        } else {
          diff(path + "/" + name, a, e, out);
        }
      }
    } else if (actual.isArray() && expected.isArray() && actual.size() == expected.size()) {
      for (int i = 0; i < actual.size(); i++) {
        diff(path + "/" + i, actual.get(i), expected.get(i), out);
      }
    } else if (!actual.equals(expected)
        && !(actual.isValueNode()
            && expected.isValueNode()
            && actual.asText().equals(expected.asText()))) {
      out.add(path + ": " + actual + ", expected " + expected);
    }
  }

  /** A property of the root pom, such as {@code project.version} or {@code flink.version}. */
  static String pom(String property) throws IOException {
    String pom = Files.readString(ROOT.resolve("pom.xml"));
    String tag = property.equals("project.version") ? "version" : property;
    Matcher m = Pattern.compile("<" + Pattern.quote(tag) + ">([^<]+)</").matcher(pom);
    if (!m.find()) {
      throw new AssertionError("No <" + tag + "> in the root pom");
    }
    return m.group(1).trim();
  }
}
