package dev.flinksupervisor.api;

import dev.flinksupervisor.api.AdminApi.RestorableList;
import dev.flinksupervisor.api.ApiModel.ClusterJson;
import dev.flinksupervisor.api.ApiModel.EventJson;
import dev.flinksupervisor.api.ApiModel.EventListJson;
import dev.flinksupervisor.api.ApiModel.JobDetailJson;
import dev.flinksupervisor.api.ApiModel.JobListJson;
import dev.flinksupervisor.api.ApiModel.ReadyJson;
import dev.flinksupervisor.api.ApiModel.UpJson;
import dev.flinksupervisor.api.HealthRoutes.ThresholdsJson;
import dev.flinksupervisor.api.JobRoutes.ReprofileList;
import dev.flinksupervisor.api.JobRoutes.ReprofileRequest;
import dev.flinksupervisor.api.JobRoutes.SubmitRequest;
import dev.flinksupervisor.api.SavepointRoutes.Cancelling;
import dev.flinksupervisor.api.SavepointRoutes.PolicyJson;
import dev.flinksupervisor.api.SavepointRoutes.RegisterRequest;
import dev.flinksupervisor.api.SavepointRoutes.SavepointList;
import dev.flinksupervisor.api.SavepointRoutes.SavepointRequest;
import dev.flinksupervisor.api.SavepointRoutes.StopRequest;
import dev.flinksupervisor.jobs.OwnedJob;
import dev.flinksupervisor.jobs.Reprofile;
import dev.flinksupervisor.savepoints.SavepointRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The OpenAPI 3 description of the admin API, served at {@code /openapi.json} and kept in the
 * repository as {@code docs/openapi.json}. Its bodies' schemas are derived from the Java records
 * the server reads and writes ({@link RecordSchemas}); tests compare its operations with the routes
 * the server really has and validate every response the integration tests receive against it, so
 * the document, the code and the wire cannot drift apart.
 */
final class OpenApiDocument {
  private static final Pattern PATH_PARAMETER = Pattern.compile("\\{(\\w+)}");

  private final Map<String, Map<String, Object>> paths = new LinkedHashMap<>();
  private final RecordSchemas schemas = new RecordSchemas();

  private OpenApiDocument() {}

  /** Who may call an operation. */
  private enum Access {
    OPEN,
    VIEWER,
    OPERATOR
  }

  /** The version of the API this document describes; a client is generated against it. */
  static final String API_VERSION = "1.0";

  static Map<String, Object> build() {
    OpenApiDocument d = new OpenApiDocument();
    String job = "/api/v1/jobs/{jobId}";
    d.op("get", "/healthz", Access.OPEN, "The process is alive").ok(200, UpJson.class);
    d.op("get", "/readyz", Access.OPEN, "The leading JobManager answers (200) or why not (503)")
        .ok(200, ReadyJson.class)
        .ok(503, ReadyJson.class);
    d.op(
            "get",
            "/metrics",
            Access.OPEN,
            "Prometheus text of every meter; a bearer token is needed when metrics.require-token"
                + " is set")
        .tokenWhenConfigured()
        .text(200, "text/plain", "The Prometheus text format 0.0.4");
    d.op("get", "/openapi.json", Access.OPEN, "This document")
        .ok(200, Map.of("type", "object", "description", "An OpenAPI 3.0 document"));
    d.op(
            "get",
            "/status",
            Access.OPEN,
            "The read-only status page; it reads this API with the token entered in it")
        .text(200, "text/html", "The page");
    d.op("get", "/status/status.js", Access.OPEN, "The status page's script")
        .text(200, "text/javascript", "The script");
    d.op("get", "/status/status.css", Access.OPEN, "The status page's style sheet")
        .text(200, "text/css", "The style sheet");
    d.op("get", "/api/v1/cluster", Access.VIEWER, "Cluster, leader and this sidecar's role")
        .ok(200, ClusterJson.class);
    d.op("get", "/api/v1/jobs", Access.VIEWER, "Every job with status, health and restorable state")
        .ok(200, JobListJson.class)
        .notModified();
    d.op(
            "post",
            "/api/v1/jobs",
            Access.OPERATOR,
            "Submit a job from a jar on the pod, or uploaded as multipart (parts 'jar' and 'spec')")
        .body(SubmitRequest.class)
        .multipart(
            "SubmitUpload",
            object(
                Map.of(
                    "jar",
                    Map.of("type", "string", "format", "binary"),
                    "spec",
                    Map.of(
                        "type",
                        "string",
                        "description",
                        "A SubmitRequest as JSON, without jarPath")),
                List.of("jar", "spec")))
        .ok(202, OwnedJob.class)
        .errors(400, 409, 413, 415, 422);
    d.op("get", job, Access.VIEWER, "One job")
        .ok(200, JobDetailJson.class)
        .notModified()
        .errors(404);
    d.op(
            "get",
            job + "/spec",
            Access.VIEWER,
            "How a job the sidecar submitted is run; a viewer sees its argument values redacted")
        .ok(200, OwnedJob.class)
        .errors(404);
    d.op("post", job + "/restart", Access.OPERATOR, "Run a stopped job again from its newest state")
        .ok(202, OwnedJob.class)
        .errors(404, 409, 422);
    d.op(
            "put",
            job + "/slot-profiles",
            Access.OPERATOR,
            "Re-profile a running job: stop with a savepoint, run again with the new profiles")
        .body(ReprofileRequest.class)
        .ok(202, Reprofile.class)
        .errors(400, 404, 409, 415, 422);
    d.op(
            "get",
            job + "/reprofiles",
            Access.VIEWER,
            "The job's re-profiling operations, oldest first")
        .ok(200, ReprofileList.class)
        .errors(404);
    d.op("get", job + "/reprofiles/{id}", Access.VIEWER, "One re-profiling operation")
        .ok(200, Reprofile.class)
        .errors(404);
    d.op("post", job + "/savepoints", Access.OPERATOR, "Take a savepoint")
        .body(SavepointRequest.class)
        .ok(202, SavepointRecord.class)
        .errors(400, 404, 409, 415);
    d.op("get", job + "/savepoints", Access.VIEWER, "The job's savepoints, newest first")
        .ok(200, SavepointList.class)
        .errors(404);
    d.op("get", job + "/savepoints/{id}", Access.VIEWER, "One savepoint record")
        .ok(200, SavepointRecord.class)
        .errors(404);
    d.op(
            "delete",
            job + "/savepoints/{id}",
            Access.OPERATOR,
            "Dispose of a completed savepoint through Flink")
        .ok(202, SavepointRecord.class)
        .errors(404, 409);
    d.op("post", job + "/stop", Access.OPERATOR, "Stop with a savepoint, or cancel")
        .body(StopRequest.class)
        .ok(
            202,
            Map.of(
                "description",
                "The stop-with-savepoint's record, or (with savepoint: false) the cancellation",
                "anyOf",
                List.of(
                    d.schemas.ref(SavepointRecord.class, false),
                    d.schemas.ref(Cancelling.class, false))))
        .errors(400, 404, 409);
    d.op("get", job + "/savepoint-policy", Access.VIEWER, "The job's savepoint policy")
        .ok(200, PolicyJson.class)
        .errors(404);
    d.op("put", job + "/savepoint-policy", Access.OPERATOR, "Set the job's savepoint policy")
        .body(PolicyJson.class)
        .ok(200, PolicyJson.class)
        .errors(400, 404, 415, 422);
    d.op(
            "post",
            job + "/savepoints/register",
            Access.OPERATOR,
            "Register a savepoint taken elsewhere; checked that Flink can read it")
        .body(RegisterRequest.class)
        .ok(202, SavepointRecord.class)
        .errors(400, 404, 409, 415, 503);
    for (String action : List.of("pause", "resume")) {
      d.op(
              "post",
              job + "/savepoint-policy/" + action,
              Access.OPERATOR,
              ("pause".equals(action) ? "Pause" : "Resume") + " the job's scheduled savepoints")
          .ok(200, PolicyJson.class)
          .errors(404, 409, 503);
    }
    d.op("get", job + "/health-thresholds", Access.VIEWER, "The job's health thresholds")
        .ok(200, ThresholdsJson.class)
        .errors(404);
    d.op("put", job + "/health-thresholds", Access.OPERATOR, "Set the job's health thresholds")
        .body(ThresholdsJson.class)
        .ok(200, ThresholdsJson.class)
        .errors(400, 404, 415, 422);
    d.op("get", "/api/v1/events", Access.VIEWER, "Events, newest first")
        .query("jobId", "Only this job's events", Map.of("type", "string"))
        .query(
            "since",
            "Only events after this time (ISO-8601)",
            Map.of("type", "string", "format", "date-time"))
        .ok(200, EventListJson.class)
        .errors(400);
    Map<String, Object> event = d.schemas.ref(EventJson.class, false);
    d.op(
            "get",
            "/api/v1/events/stream",
            Access.VIEWER,
            "Events as server-sent events (Accept: text/event-stream): each event's name is its"
                + " type, its id the event's id, its data an Event as JSON; 'dropped' (data:"
                + " {\"reason\": ...}) ends a stream that could not keep up")
        .query("jobId", "Only this job's events", Map.of("type", "string"))
        .query(
            "since",
            "Also replay the kept events after this time (ISO-8601)",
            Map.of("type", "string", "format", "date-time"))
        .eventStream(
            "Server-sent events; each 'data:' line is an Event ("
                + event.get("$ref")
                + "), or,"
                + " for the event named 'dropped', a StreamDropped",
            event,
            d.schemas.ref(StreamDropped.class, false))
        .errors(400, 406, 429);
    d.op(
            "get",
            "/api/v1/restorable",
            Access.VIEWER,
            "Every job's newest restorable state, from the record")
        .ok(200, RestorableList.class);

    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("openapi", "3.0.3");
    doc.put(
        "info",
        Map.of(
            "title",
            "flink-supervisor admin API",
            "version",
            API_VERSION,
            "license",
            Map.of("name", "Apache-2.0", "url", "https://www.apache.org/licenses/LICENSE-2.0"),
            "description",
            "The admin API of the sidecar beside a Flink JobManager. Operators act, viewers"
                + " read; actions are carried out by the ACTIVE sidecar only (409 on a standby)."
                + " Every error is application/problem+json. Authenticate with a bearer token"
                + " (a static token, an OIDC JWT or a Kubernetes service-account token, as the"
                + " sidecar is configured) or, over TLS, a client certificate."));
    doc.put(
        "servers",
        List.of(
            Map.of(
                "url",
                "{scheme}://{host}:{port}",
                "description",
                "The sidecar, in the JobManager's pod",
                "variables",
                Map.of(
                    "scheme",
                    Map.of("default", "http", "enum", List.of("http", "https")),
                    "host",
                    Map.of("default", "localhost"),
                    "port",
                    Map.of("default", "8085")))));
    doc.put("tags", TAGS);
    doc.put("paths", d.paths);
    doc.put(
        "components",
        Map.of(
            "securitySchemes",
            Map.of(
                "bearer",
                Map.of(
                    "type",
                    "http",
                    "scheme",
                    "bearer",
                    "description",
                    "A static token, an OIDC JWT (issuer, audience and role claim as configured)"
                        + " or a Kubernetes service-account token (TokenReview, then a"
                        + " SubjectAccessReview on flink-supervisor.dev/jobs). Over TLS, a client"
                        + " certificate that a rule maps to a role authenticates as well; OpenAPI"
                        + " 3.0 has no scheme for it.")),
            "schemas",
            d.schemas.all()));
    return doc;
  }

  /**
   * Each operation's tag and id, which a generated client names its classes and methods after;
   * changing one breaks those clients.
   */
  private static final Map<String, List<String>> NAMES =
      Map.ofEntries(
          Map.entry("get /healthz", List.of("probes", "healthz")),
          Map.entry("get /readyz", List.of("probes", "readyz")),
          Map.entry("get /metrics", List.of("probes", "metrics")),
          Map.entry("get /openapi.json", List.of("probes", "openApiDocument")),
          Map.entry("get /status", List.of("status", "statusPage")),
          Map.entry("get /status/status.js", List.of("status", "statusPageScript")),
          Map.entry("get /status/status.css", List.of("status", "statusPageStyle")),
          Map.entry("get /api/v1/cluster", List.of("cluster", "getCluster")),
          Map.entry("get /api/v1/restorable", List.of("cluster", "listRestorable")),
          Map.entry("get /api/v1/jobs", List.of("jobs", "listJobs")),
          Map.entry("post /api/v1/jobs", List.of("jobs", "submitJob")),
          Map.entry("get /api/v1/jobs/{jobId}", List.of("jobs", "getJob")),
          Map.entry("get /api/v1/jobs/{jobId}/spec", List.of("jobs", "getJobSpec")),
          Map.entry("post /api/v1/jobs/{jobId}/restart", List.of("jobs", "restartJob")),
          Map.entry("put /api/v1/jobs/{jobId}/slot-profiles", List.of("jobs", "reprofileJob")),
          Map.entry("get /api/v1/jobs/{jobId}/reprofiles", List.of("jobs", "listReprofiles")),
          Map.entry("get /api/v1/jobs/{jobId}/reprofiles/{id}", List.of("jobs", "getReprofile")),
          Map.entry("post /api/v1/jobs/{jobId}/stop", List.of("jobs", "stopJob")),
          Map.entry(
              "get /api/v1/jobs/{jobId}/health-thresholds", List.of("jobs", "getHealthThresholds")),
          Map.entry(
              "put /api/v1/jobs/{jobId}/health-thresholds", List.of("jobs", "setHealthThresholds")),
          Map.entry(
              "post /api/v1/jobs/{jobId}/savepoints", List.of("savepoints", "triggerSavepoint")),
          Map.entry("get /api/v1/jobs/{jobId}/savepoints", List.of("savepoints", "listSavepoints")),
          Map.entry(
              "get /api/v1/jobs/{jobId}/savepoints/{id}", List.of("savepoints", "getSavepoint")),
          Map.entry(
              "delete /api/v1/jobs/{jobId}/savepoints/{id}",
              List.of("savepoints", "disposeSavepoint")),
          Map.entry(
              "post /api/v1/jobs/{jobId}/savepoints/register",
              List.of("savepoints", "registerSavepoint")),
          Map.entry(
              "get /api/v1/jobs/{jobId}/savepoint-policy",
              List.of("savepoints", "getSavepointPolicy")),
          Map.entry(
              "put /api/v1/jobs/{jobId}/savepoint-policy",
              List.of("savepoints", "setSavepointPolicy")),
          Map.entry(
              "post /api/v1/jobs/{jobId}/savepoint-policy/pause",
              List.of("savepoints", "pauseSavepoints")),
          Map.entry(
              "post /api/v1/jobs/{jobId}/savepoint-policy/resume",
              List.of("savepoints", "resumeSavepoints")),
          Map.entry("get /api/v1/events", List.of("events", "listEvents")),
          Map.entry("get /api/v1/events/stream", List.of("events", "streamEvents")));

  private static final List<Map<String, String>> TAGS =
      List.of(
          Map.of("name", "probes", "description", "Liveness, readiness, metrics and this document"),
          Map.of("name", "cluster", "description", "The Flink cluster and the sidecar's record"),
          Map.of("name", "jobs", "description", "Jobs: status, health, submission, re-profiling"),
          Map.of("name", "savepoints", "description", "Savepoints and their policy"),
          Map.of("name", "events", "description", "What the sidecar saw and did"),
          Map.of("name", "status", "description", "The read-only status page"));

  private Op op(String method, String path, Access access, String summary) {
    Op op = new Op(access);
    List<String> names = NAMES.get(method + " " + path);
    if (names == null) {
      throw new IllegalStateException("No operation id for " + method + " " + path);
    }
    op.o.put("tags", List.of(names.get(0)));
    op.o.put("summary", summary);
    op.o.put("operationId", names.get(1));
    if (access == Access.OPEN) {
      op.o.put("security", List.of());
    } else {
      op.o.put("security", List.of(Map.of("bearer", List.of())));
      op.o.put("x-role", access.name().toLowerCase());
    }
    List<Object> parameters = new ArrayList<>();
    PATH_PARAMETER
        .matcher(path)
        .results()
        .forEach(
            m ->
                parameters.add(
                    Map.of(
                        "name",
                        m.group(1),
                        "in",
                        "path",
                        "required",
                        true,
                        "schema",
                        Map.of("type", "string"))));
    if (!parameters.isEmpty()) {
      op.o.put("parameters", parameters);
    }
    paths.computeIfAbsent(path, p -> new LinkedHashMap<>()).put(method, op.o);
    return op;
  }

  /** One operation being described; each answers the problems its access implies. */
  private final class Op {
    private final Map<String, Object> o = new LinkedHashMap<>();
    private final Map<String, Object> responses = new TreeMap<>();

    private Op(Access access) {
      o.put("responses", responses);
      if (access != Access.OPEN) {
        errors(401, 503);
      }
      if (access == Access.OPERATOR) {
        errors(403, 409, 429);
      }
      responses.put(
          "default",
          problem("An unexpected error, with a correlation id that its log line also shows"));
    }

    /** Open unless the sidecar is configured to ask for a token. */
    Op tokenWhenConfigured() {
      o.put("security", List.of(Map.of(), Map.of("bearer", List.of())));
      return errors(401, 503);
    }

    Op body(Class<?> request) {
      Map<String, Object> content = new LinkedHashMap<>();
      content.put("application/json", Map.of("schema", schemas.ref(request, true)));
      o.put("requestBody", Map.of("required", true, "content", content));
      return this;
    }

    @SuppressWarnings("unchecked")
    Op multipart(String name, Map<String, Object> schema) {
      Map<String, Object> content =
          (Map<String, Object>) ((Map<String, Object>) o.get("requestBody")).get("content");
      schemas.put(name, schema);
      content.put(
          "multipart/form-data", Map.of("schema", Map.of("$ref", "#/components/schemas/" + name)));
      return this;
    }

    Op ok(int status, Class<?> type) {
      return ok(status, schemas.ref(type, false));
    }

    Op ok(int status, Map<String, Object> schema) {
      responses.put(
          String.valueOf(status),
          Map.of(
              "description",
              status == 202 ? "Accepted; carried out in the background" : "Success",
              "content",
              Map.of("application/json", Map.of("schema", schema))));
      return this;
    }

    Op text(int status, String mediaType, String description) {
      responses.put(
          String.valueOf(status),
          Map.of(
              "description",
              description,
              "content",
              Map.of(mediaType, Map.of("schema", Map.of("type", "string")))));
      return this;
    }

    /**
     * Server-sent events: OpenAPI 3.0 has no schema for a stream's items, so the stream is a string
     * and the schemas of its events' data are named in {@code x-event-data}, by event name.
     */
    Op eventStream(
        String description, Map<String, Object> eventData, Map<String, Object> droppedData) {
      responses.put(
          "200",
          Map.of(
              "description",
              description,
              "content",
              Map.of(
                  "text/event-stream",
                  Map.of(
                      "schema",
                      Map.of("type", "string"),
                      "x-event-data",
                      Map.of("*", eventData, "dropped", droppedData)))));
      return this;
    }

    Op notModified() {
      responses.put("304", Map.of("description", "Not modified: the If-None-Match tag matched"));
      return this;
    }

    Op errors(int... statuses) {
      for (int status : statuses) {
        responses.put(String.valueOf(status), problem(ERRORS.get(status)));
      }
      return this;
    }

    @SuppressWarnings("unchecked")
    Op query(String name, String description, Map<String, Object> schema) {
      ((List<Object>) o.computeIfAbsent("parameters", k -> new ArrayList<>()))
          .add(Map.of("name", name, "in", "query", "description", description, "schema", schema));
      return this;
    }

    private Map<String, Object> problem(String description) {
      return Map.of(
          "description",
          description,
          "content",
          Map.of(Problem.CONTENT_TYPE, Map.of("schema", schemas.ref(Problem.class, false))));
    }
  }

  /** The data of the event that ends a stream that fell too far behind. */
  record StreamDropped(String reason) {}

  private static final Map<Integer, String> ERRORS =
      Map.ofEntries(
          Map.entry(400, "The request is malformed; the problem names the field"),
          Map.entry(401, "No valid credentials"),
          Map.entry(403, "The caller's role may not do this"),
          Map.entry(404, "No such job or record"),
          Map.entry(406, "The client does not accept the media type this route serves"),
          Map.entry(
              409,
              "Conflicts with the job's state, or this sidecar is on standby (type 'standby')"),
          Map.entry(413, "The body is too large"),
          Map.entry(415, "The body is not of a supported media type"),
          Map.entry(422, "The request reads well but cannot be carried out"),
          Map.entry(429, "Too many calls at once; retry after the Retry-After header's seconds"),
          Map.entry(
              503,
              "Not possible at the moment: the record is not read yet, or an identity provider"
                  + " did not answer (retry after the Retry-After header's seconds)"));

  private static Map<String, Object> object(Map<String, Object> properties, List<String> required) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("type", "object");
    o.put("properties", properties);
    o.put("required", required);
    return o;
  }
}
