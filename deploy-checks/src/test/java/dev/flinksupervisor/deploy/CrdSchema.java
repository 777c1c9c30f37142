package dev.flinksupervisor.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the Kubernetes API server does with a custom resource before anyone reads it: checks it
 * against the CRD's structural schema (types and enums) and prunes the fields the schema does not
 * know. A field pruned here would never reach the operator.
 */
final class CrdSchema {
  private static final Set<String> ROOT_FIELDS = Set.of("apiVersion", "kind", "metadata");
  private final JsonNode schema;
  private final Set<String> ignoredEnums;

  /**
   * @param crd a CustomResourceDefinition (apiextensions.k8s.io/v1)
   * @param version the served version whose schema applies
   * @param ignoredEnums paths whose enum is not checked (said so by the caller)
   */
  CrdSchema(JsonNode crd, String version, Set<String> ignoredEnums) {
    JsonNode found = null;
    for (JsonNode v : crd.path("spec").path("versions")) {
      if (v.path("name").asText().equals(version)) {
        found = v.path("schema").path("openAPIV3Schema");
      }
    }
    if (found == null) {
      throw new AssertionError("The CRD has no version " + version);
    }
    this.schema = found;
    this.ignoredEnums = ignoredEnums;
  }

  /** Every field of {@code resource} the API server would prune or refuse, by path. */
  List<String> problems(JsonNode resource) {
    List<String> problems = new ArrayList<>();
    walk("", resource, schema, problems);
    return problems;
  }

  private void walk(String path, JsonNode value, JsonNode schema, List<String> problems) {
    if (schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)
        && !schema.has("properties")) {
      return;
    }
    if (schema.path("x-kubernetes-int-or-string").asBoolean(false)) {
      if (!value.isTextual() && !value.isIntegralNumber()) {
        problems.add(path + ": not an int or string");
      }
      return;
    }
    String type = schema.path("type").asText("");
    if (schema.has("enum") && !ignoredEnums.contains(path)) {
      boolean known = false;
      for (JsonNode e : schema.path("enum")) {
        known |= e.equals(value);
      }
      if (!known) {
        problems.add(path + ": '" + value.asText() + "' is not one of " + schema.path("enum"));
      }
    }
    switch (type) {
      case "object" -> {
        if (!value.isObject()) {
          problems.add(path + ": not an object");
          return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> field = it.next();
          String child = path + "/" + field.getKey();
          if (path.isEmpty() && ROOT_FIELDS.contains(field.getKey())) {
            continue; // every object has them; the API server checks them itself
          }
          if (schema.path("properties").has(field.getKey())) {
            walk(child, field.getValue(), schema.path("properties").path(field.getKey()), problems);
          } else if (schema.has("additionalProperties")) {
            walk(child, field.getValue(), schema.path("additionalProperties"), problems);
          } else if (!schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
            problems.add(child + ": unknown to the schema, pruned");
          }
        }
      }
      case "array" -> {
        if (!value.isArray()) {
          problems.add(path + ": not an array");
          return;
        }
        for (int i = 0; i < value.size(); i++) {
          walk(path + "/" + i, value.get(i), schema.path("items"), problems);
        }
      }
      case "string" -> {
        if (!value.isTextual()) {
          problems.add(path + ": not a string");
        }
      }
      case "integer" -> {
        if (!value.isIntegralNumber()) {
          problems.add(path + ": not an integer");
        }
      }
      case "number" -> {
        if (!value.isNumber()) {
          problems.add(path + ": not a number");
        }
      }
      case "boolean" -> {
        if (!value.isBoolean()) {
          problems.add(path + ": not a boolean");
        }
      }
      default -> {
        // no type: anything goes
      }
    }
  }
}
