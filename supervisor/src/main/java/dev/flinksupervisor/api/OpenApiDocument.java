package dev.flinksupervisor.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The OpenAPI 3 description of the admin API, served at {@code /openapi.json}. A test compares its
 * operations with the routes the server really has, so the two cannot drift apart.
 */
final class OpenApiDocument {
  private final Map<String, Map<String, Object>> paths = new LinkedHashMap<>();

  private OpenApiDocument() {}

  /** Who may call an operation. */
  private enum Access {
    OPEN,
    VIEWER,
    OPERATOR
  }

  static Map<String, Object> build(String version) {
    OpenApiDocument d = new OpenApiDocument();
    String job = "/api/v1/jobs/{jobId}";
    d.op("get", "/healthz", Access.OPEN, "The process is alive", null, 200);
    d.op(
        "get",
        "/readyz",
        Access.OPEN,
        "The leading JobManager answers (200) or why not (503)",
        null,
        200,
        503);
    d.op("get", "/metrics", Access.OPEN, "Prometheus text of every meter", null, 200);
    d.op("get", "/openapi.json", Access.OPEN, "This document", null, 200);
    d.op(
        "get",
        "/api/v1/cluster",
        Access.VIEWER,
        "Cluster, leader and this sidecar's role",
        null,
        200);
    d.op(
        "get",
        "/api/v1/jobs",
        Access.VIEWER,
        "Every job with status, health and restorable state",
        null,
        200);
    d.op(
        "post",
        "/api/v1/jobs",
        Access.OPERATOR,
        "Submit a job from a jar on the pod, or uploaded as multipart (parts 'jar' and 'spec')",
        "SubmitRequest",
        202,
        400,
        409,
        413,
        415,
        422);
    d.multipart(
        "post",
        "/api/v1/jobs",
        object(
            Map.of(
                "jar",
                Map.of("type", "string", "format", "binary"),
                "spec",
                Map.of(
                    "type", "string", "description", "A SubmitRequest as JSON, without jarPath")),
            List.of("jar", "spec")));
    d.op("get", job, Access.VIEWER, "One job", null, 200, 404);
    d.op(
        "get",
        job + "/spec",
        Access.VIEWER,
        "How a job the sidecar submitted is run",
        null,
        200,
        404);
    d.op(
        "post",
        job + "/restart",
        Access.OPERATOR,
        "Run a stopped job again from its newest state",
        null,
        202,
        404,
        409,
        422);
    d.op(
        "put",
        job + "/slot-profiles",
        Access.OPERATOR,
        "Re-profile a running job: stop with a savepoint, run again with the new profiles",
        "ReprofileRequest",
        202,
        400,
        404,
        409,
        415,
        422);
    d.op(
        "get",
        job + "/reprofiles",
        Access.VIEWER,
        "The job's re-profiling operations, oldest first",
        null,
        200,
        404);
    d.op(
        "get",
        job + "/reprofiles/{id}",
        Access.VIEWER,
        "One re-profiling operation",
        null,
        200,
        404);
    d.op(
        "post",
        job + "/savepoints",
        Access.OPERATOR,
        "Take a savepoint",
        "SavepointRequest",
        202,
        400,
        404,
        409,
        415);
    d.op(
        "get",
        job + "/savepoints",
        Access.VIEWER,
        "The job's savepoints, newest first",
        null,
        200,
        404);
    d.op("get", job + "/savepoints/{id}", Access.VIEWER, "One savepoint record", null, 200, 404);
    d.op(
        "delete",
        job + "/savepoints/{id}",
        Access.OPERATOR,
        "Dispose of a completed savepoint through Flink",
        null,
        200,
        404,
        409);
    d.op(
        "post",
        job + "/stop",
        Access.OPERATOR,
        "Stop with a savepoint, or cancel",
        "StopRequest",
        202,
        400,
        404,
        409);
    d.op(
        "get",
        job + "/savepoint-policy",
        Access.VIEWER,
        "The job's savepoint policy",
        null,
        200,
        404);
    d.op(
        "put",
        job + "/savepoint-policy",
        Access.OPERATOR,
        "Set the job's savepoint policy",
        "SavepointPolicy",
        200,
        400,
        404,
        422);
    d.op(
        "post",
        job + "/savepoints/register",
        Access.OPERATOR,
        "Register a savepoint taken elsewhere; checked that Flink can read it",
        "SavepointRegistration",
        202,
        400,
        404,
        409,
        503);
    for (String action : List.of("pause", "resume")) {
      d.op(
          "post",
          job + "/savepoint-policy/" + action,
          Access.OPERATOR,
          ("pause".equals(action) ? "Pause" : "Resume") + " the job's scheduled savepoints",
          null,
          200,
          404,
          409,
          503);
    }
    d.op(
        "get",
        job + "/health-thresholds",
        Access.VIEWER,
        "The job's health thresholds",
        null,
        200,
        404);
    d.op(
        "put",
        job + "/health-thresholds",
        Access.OPERATOR,
        "Set the job's health thresholds",
        "HealthThresholds",
        200,
        400,
        404,
        422);
    d.op(
        "get",
        "/api/v1/events",
        Access.VIEWER,
        "Events, newest first (?jobId=&since=)",
        null,
        200,
        400);
    d.op(
        "get",
        "/api/v1/events/stream",
        Access.VIEWER,
        "Events as server-sent events (Accept: text/event-stream)",
        null,
        200,
        406);
    d.op(
        "get",
        "/api/v1/restorable",
        Access.VIEWER,
        "Every job's newest restorable state, from the record",
        null,
        200);

    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("openapi", "3.0.3");
    doc.put(
        "info",
        Map.of(
            "title",
            "flink-supervisor admin API",
            "version",
            version,
            "description",
            "Operators act, viewers read; actions are carried out by the ACTIVE sidecar only."
                + " Every error is application/problem+json."));
    doc.put("paths", d.paths);
    doc.put(
        "components",
        Map.of(
            "securitySchemes", Map.of("bearer", Map.of("type", "http", "scheme", "bearer")),
            "schemas", schemas()));
    return doc;
  }

  private void op(
      String method, String path, Access access, String summary, String body, int... statuses) {
    Map<String, Object> op = new LinkedHashMap<>();
    op.put("summary", summary);
    op.put("operationId", method + path.replaceAll("[^A-Za-z0-9]+", "_"));
    if (access != Access.OPEN) {
      op.put("security", List.of(Map.of("bearer", List.of())));
      op.put("x-role", access.name().toLowerCase());
    }
    List<Map<String, Object>> parameters =
        java.util.regex.Pattern.compile("\\{(\\w+)}")
            .matcher(path)
            .results()
            .map(
                m ->
                    Map.<String, Object>of(
                        "name",
                        m.group(1),
                        "in",
                        "path",
                        "required",
                        true,
                        "schema",
                        Map.of("type", "string")))
            .toList();
    if (!parameters.isEmpty()) {
      op.put("parameters", parameters);
    }
    if (body != null) {
      op.put(
          "requestBody",
          Map.of(
              "content",
              Map.of(
                  "application/json",
                  Map.of("schema", Map.of("$ref", "#/components/schemas/" + body)))));
    }
    Map<String, Object> responses = new LinkedHashMap<>();
    for (int status : statuses) {
      responses.put(String.valueOf(status), response(status));
    }
    if (access != Access.OPEN) {
      responses.put("401", response(401));
    }
    if (access == Access.OPERATOR) {
      responses.put("403", response(403));
      responses.putIfAbsent("409", response(409));
    }
    op.put("responses", responses);
    paths.computeIfAbsent(path, p -> new LinkedHashMap<>()).put(method, op);
  }

  /** Adds a multipart/form-data body to an operation that also takes JSON. */
  @SuppressWarnings("unchecked")
  private void multipart(String method, String path, Map<String, Object> schema) {
    Map<String, Object> op =
        paths.get(path).get(method) instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
    Map<String, Object> content =
        new LinkedHashMap<>(
            (Map<String, Object>) ((Map<String, Object>) op.get("requestBody")).get("content"));
    content.put("multipart/form-data", Map.of("schema", schema));
    op.put("requestBody", Map.of("content", content));
  }

  private static Map<String, Object> response(int status) {
    if (status < 400 && status != 503) {
      return Map.of(
          "description",
          "Success",
          "content",
          Map.of("application/json", Map.of("schema", Map.of("type", "object"))));
    }
    return Map.of(
        "description",
        status == 503 ? "Not ready, with the reason" : "A problem detail",
        "content",
        Map.of(
            "application/problem+json",
            Map.of("schema", Map.of("$ref", "#/components/schemas/Problem"))));
  }

  private static Map<String, Object> schemas() {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put(
        "Problem",
        object(
            Map.of(
                "type",
                string(),
                "title",
                string(),
                "status",
                Map.of("type", "integer"),
                "detail",
                string(),
                "field",
                string(),
                "correlationId",
                string()),
            List.of("type", "title", "status", "detail")));
    s.put(
        "SavepointRequest",
        object(
            Map.of("targetDirectory", string(), "formatType", enumOf("CANONICAL", "NATIVE")),
            List.of()));
    s.put(
        "StopRequest",
        object(
            Map.of(
                "savepoint",
                bool(),
                "drain",
                bool(),
                "targetDirectory",
                string(),
                "formatType",
                enumOf("CANONICAL", "NATIVE")),
            List.of()));
    s.put(
        "SubmitRequest",
        object(
            Map.of(
                "jarPath",
                string(),
                "entryClass",
                string(),
                "args",
                Map.of("type", "array", "items", string()),
                "parallelism",
                Map.of("type", "integer", "minimum", 1),
                "restorePath",
                string(),
                "allowNonRestoredState",
                bool(),
                "slotProfiles",
                profileMapping(),
                "recovery",
                object(
                    Map.of(
                        "mode",
                        enumOf("NONE", "RESTART_FROM_LATEST"),
                        "maxAttempts",
                        Map.of("type", "integer"),
                        "backoff",
                        string(),
                        "maxStateAge",
                        string(),
                        "restoreFrom",
                        enumOf("LATEST_STATE", "LATEST_SAVEPOINT", "NONE")),
                    List.of())),
            List.of("jarPath", "entryClass")));
    s.put(
        "ReprofileRequest",
        object(
            Map.of("slotProfiles", profileMapping(), "targetDirectory", string()),
            List.of("slotProfiles")));
    s.put(
        "SavepointPolicy",
        object(
            Map.of(
                "interval",
                string(),
                "cron",
                string(),
                "blackouts",
                Map.of(
                    "type",
                    "array",
                    "items",
                    object(
                        Map.of("cron", string(), "duration", string(), "zone", string()),
                        List.of("cron", "duration", "zone"))),
                "retainCount",
                Map.of("type", "integer", "minimum", 1),
                "retainAge",
                string(),
                "onShutdown",
                bool(),
                "paused",
                bool(),
                "jitter",
                string(),
                "catchUp",
                Map.of("type", "string", "enum", List.of("ONCE", "SKIP")),
                "keep",
                object(
                    Map.of(
                        "within",
                        string(),
                        "hourly",
                        Map.of("type", "integer", "minimum", 0),
                        "daily",
                        Map.of("type", "integer", "minimum", 0),
                        "weekly",
                        Map.of("type", "integer", "minimum", 0),
                        "monthly",
                        Map.of("type", "integer", "minimum", 0)),
                    List.of())),
            List.of()));
    s.put("SavepointRegistration", object(Map.of("path", string()), List.of("path")));
    s.put(
        "HealthThresholds",
        object(
            Map.of(
                "restartLimit",
                Map.of("type", "integer", "minimum", 0),
                "restartWindow",
                string(),
                "checkpointWindow",
                string(),
                "checkpointFailureLimit",
                Map.of("type", "integer", "minimum", 1),
                "stuckAfter",
                string(),
                "savepointFreshness",
                string()),
            List.of()));
    return s;
  }

  private static Map<String, Object> object(Map<String, Object> properties, List<String> required) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("type", "object");
    o.put("additionalProperties", false);
    o.put("properties", properties);
    if (!required.isEmpty()) {
      o.put("required", required);
    }
    return o;
  }

  /** Slot-sharing group name ({@code default} for the unnamed one) to a configured profile. */
  private static Map<String, Object> profileMapping() {
    return Map.of("type", "object", "additionalProperties", string());
  }

  private static Map<String, Object> string() {
    return Map.of("type", "string");
  }

  private static Map<String, Object> bool() {
    return Map.of("type", "boolean");
  }

  private static Map<String, Object> enumOf(String... values) {
    return Map.of("type", "string", "enum", List.of(values));
  }
}
