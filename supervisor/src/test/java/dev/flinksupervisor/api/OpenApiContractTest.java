package dev.flinksupervisor.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The contract in the repository ({@code docs/openapi.json}) is the document the server serves, and
 * it passes Redocly's recommended rules. After a change to the API, refresh the file with {@code
 * ./mvnw -pl supervisor test -Dtest=OpenApiContractTest -Dopenapi.update=true}.
 */
class OpenApiContractTest {
  static final Path CONTRACT = dev.flinksupervisor.testing.ApiContract.file();

  static String rendered() throws IOException {
    return new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            // Keys in order: the document is built of maps whose order Java does not fix.
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .writeValueAsString(OpenApiDocument.build())
        + "\n";
  }

  @Test
  void the_committed_contract_is_the_document_the_server_serves() throws IOException {
    String served = rendered();
    if (Boolean.getBoolean("openapi.update")) {
      Files.writeString(CONTRACT, served, StandardCharsets.UTF_8);
    }
    assertThat(Files.readString(CONTRACT, StandardCharsets.UTF_8))
        .as(
            "docs/openapi.json differs from the document the server serves; refresh it with"
                + " ./mvnw -pl supervisor test -Dtest=OpenApiContractTest -Dopenapi.update=true")
        .isEqualTo(served);
  }

  @Test
  void every_body_has_a_schema_and_every_open_route_says_so() throws IOException {
    JsonNode doc = new ObjectMapper().readTree(rendered());
    assertThat(doc.at("/info/license/name").asText()).isEqualTo("Apache-2.0");
    assertThat(doc.get("servers")).isNotEmpty();
    List<String> untyped = new ArrayList<>();
    List<String> open = new ArrayList<>();
    for (Map.Entry<String, JsonNode> op : operations(doc).entrySet()) {
      String name = op.getKey();
      assertThat(op.getValue().has("security")).as(name).isTrue();
      for (Map.Entry<String, JsonNode> r : op.getValue().get("responses").properties()) {
        for (Map.Entry<String, JsonNode> c : r.getValue().path("content").properties()) {
          JsonNode schema = c.getValue().path("schema");
          boolean typed =
              schema.has("$ref")
                  || schema.has("anyOf")
                  || schema.path("type").asText().equals("string")
                  || name.equals("GET /openapi.json");
          if (!typed) {
            untyped.add(name + " " + r.getKey());
          }
        }
      }
      JsonNode request = op.getValue().at("/requestBody/content/application~1json/schema");
      if (!request.isMissingNode()) {
        refusesUnknown(doc, request, open);
      }
    }
    assertThat(untyped).as("responses without a schema").isEmpty();
    assertThat(open).as("request schemas that take unknown properties").isEmpty();
    JsonNode submit = doc.at("/components/schemas/SubmitRequest");
    assertThat(submit.get("additionalProperties").asBoolean(true)).isFalse();
    assertThat(submit.at("/properties/recovery/$ref").asText())
        .isEqualTo("#/components/schemas/Recovery");
  }

  /** Every operation of the document by its method and path. */
  private static Map<String, JsonNode> operations(JsonNode doc) {
    Map<String, JsonNode> ops = new java.util.LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> path : doc.get("paths").properties()) {
      for (Map.Entry<String, JsonNode> op : path.getValue().properties()) {
        ops.put(op.getKey().toUpperCase() + " " + path.getKey(), op.getValue());
      }
    }
    return ops;
  }

  /** Collects the request schemas, nested ones too, that do not refuse unknown properties. */
  private static void refusesUnknown(JsonNode doc, JsonNode schema, List<String> open) {
    if (schema.has("$ref")) {
      String ref = schema.get("$ref").asText();
      JsonNode target = doc.at(ref.substring(1));
      if (target.path("additionalProperties").asBoolean(true)) {
        open.add(ref);
      }
      target.path("properties").forEach(p -> refusesUnknown(doc, p, open));
    } else if (schema.has("items")) {
      refusesUnknown(doc, schema.get("items"), open);
    }
  }

  /**
   * Redocly's CLI, from the npm registry: CI installs it and sets {@code
   * FLINK_SUPERVISOR_REQUIRE_REDOCLY}; elsewhere the check is skipped when it is missing.
   */
  @Test
  void redocly_recommended_rules_report_no_error() throws Exception {
    String redocly = System.getenv().getOrDefault("FLINK_SUPERVISOR_REDOCLY", "redocly");
    boolean present;
    try {
      present = new ProcessBuilder(redocly, "--version").start().waitFor(60, TimeUnit.SECONDS);
    } catch (IOException e) {
      present = false;
    }
    if (!present) {
      String reason =
          "Redocly's CLI (" + redocly + ") is not installed: the contract was not linted";
      System.out.println("SKIPPED: " + reason);
      assertThat(System.getenv("FLINK_SUPERVISOR_REQUIRE_REDOCLY"))
          .as("%s, but FLINK_SUPERVISOR_REQUIRE_REDOCLY is set", reason)
          .isNull();
      assumeTrue(false, reason);
    }
    Process lint =
        new ProcessBuilder(
                redocly,
                "lint",
                "--extends=recommended",
                "--format=stylish",
                CONTRACT.toAbsolutePath().normalize().toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(lint.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(lint.waitFor(2, TimeUnit.MINUTES)).isTrue();
    System.out.println(output);
    assertThat(lint.exitValue()).as("redocly lint:\n%s", output).isZero();
  }
}
