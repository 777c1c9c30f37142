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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
  static final Path SUPERVISOR_CONFIG = K8S.resolve("base/supervisor.yaml");
  static final Path PUSH_TOKEN_SECRET = K8S.resolve("base/push-token-secret.yaml");
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

  /**
   * The Flink options the native pod template's header gives the Flink client, one {@code
   * -Dkey=value} a line, as the client reads them (split at the first {@code =}).
   */
  static Map<String, String> nativeFlinkOptions() throws IOException {
    Pattern option = Pattern.compile("#\\s+-D([^=\\s]+)=(\\S+)(\\s+\\\\)?");
    Map<String, String> out = new LinkedHashMap<>();
    for (String line : Files.readAllLines(NATIVE_POD_TEMPLATE)) {
      if (!line.startsWith("#")) {
        break;
      }
      Matcher m = option.matcher(line.strip());
      if (m.matches() && out.put(m.group(1), m.group(2)) != null) {
        throw new AssertionError("-D" + m.group(1) + " twice in " + NATIVE_POD_TEMPLATE);
      }
    }
    return out;
  }

  /** The sidecar's configuration file as the sidecar reads it: nested keys joined with dots. */
  static Map<String, String> supervisorConfig() {
    return flattened(yaml(SUPERVISOR_CONFIG));
  }

  /**
   * A sidecar configuration's settings: nested keys joined with dots, as the sidecar reads them.
   */
  static Map<String, String> flattened(JsonNode config) {
    Map<String, String> out = new LinkedHashMap<>();
    flatten("", config, out);
    return out;
  }

  static JsonNode yamlText(String text) {
    try {
      return YAML.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
    node.fields()
        .forEachRemaining(
            e -> {
              if (e.getValue().isObject()) {
                flatten(prefix + e.getKey() + ".", e.getValue(), out);
              } else {
                out.put(prefix + e.getKey(), e.getValue().asText());
              }
            });
  }

  /** A Flink configuration as written in a manifest (a map of strings, numbers and booleans). */
  static Map<String, String> flinkConfiguration(JsonNode written) {
    Map<String, String> out = new LinkedHashMap<>();
    written.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
    return out;
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
