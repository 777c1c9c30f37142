package dev.flinksupervisor.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flinksupervisor.flink.CheckpointInfo;
import dev.flinksupervisor.flink.ClusterOverview;
import dev.flinksupervisor.flink.FlinkSavepoints;
import dev.flinksupervisor.flink.JobProgress;
import dev.flinksupervisor.flink.JobSummary;
import dev.flinksupervisor.flink.Leader;
import dev.flinksupervisor.metrics.MetricsSetup;
import dev.flinksupervisor.supervision.ClusterState;
import dev.flinksupervisor.supervision.Event;
import dev.flinksupervisor.supervision.EventLog;
import dev.flinksupervisor.supervision.EventTypes;
import dev.flinksupervisor.supervision.JobView;
import dev.flinksupervisor.supervision.Leadership;
import dev.flinksupervisor.supervision.Role;
import dev.flinksupervisor.supervision.Severity;
import dev.flinksupervisor.testing.FakeFlinkSavepoints;
import dev.flinksupervisor.testing.HttpTestClient;
import dev.flinksupervisor.testing.HttpTestClient.Response;
import dev.flinksupervisor.testing.MutableClock;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.api.common.JobStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The admin API on a real server (port 0) with a real HTTP client. */
class AdminApiTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final String TOKEN = "s3cret-token";
  private static final String JOB = "a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0";

  private final ClusterState state = new ClusterState();
  private final MutableClock clock = new MutableClock(T0);
  private final EventLog events = new EventLog(clock, 100);
  private final FakeFlinkSavepoints flink = new FakeFlinkSavepoints();
  private static final String VIEWER = "viewer-token";
  private final MetricsSetup metrics = TestAdminApis.metrics();
  private AdminApi api;
  private HttpTestClient http;

  @BeforeEach
  void start() {
    api =
        TestAdminApis.create(
                TestAdminApis.settings(
                    Map.of(TOKEN, ApiRole.OPERATOR, VIEWER, ApiRole.VIEWER), Optional.empty(), 1),
                state,
                events,
                flink,
                metrics,
                clock)
            .start();
    http = new HttpTestClient(api.port());
  }

  @AfterEach
  void stop() {
    api.close();
  }

  private void knowOneRunningJob() {
    JobSummary summary = new JobSummary(JOB, "orders-job", JobStatus.RUNNING, 1000, -1, 5000, 1);
    JobView view =
        JobView.firstSeen(summary)
            .withProgress(
                new JobProgress(
                    2,
                    Optional.of(new CheckpointInfo(7, 4000, false, "file:/cp/chk-7")),
                    Optional.empty(),
                    7,
                    0),
                T0);
    state.update(
        s ->
            s.withLeadership(
                    new Leadership(
                        Optional.of(new Leader("http://10.0.0.7:8081", "sid", T0)),
                        Role.ACTIVE,
                        T0,
                        1,
                        1))
                .withOverview(new ClusterOverview("2.3.0", 2, 4, 1))
                .withJobs(Map.of(JOB, view), T0));
  }

  private static void assertProblem(Response r, int status) {
    assertThat(r.status()).isEqualTo(status);
    assertThat(r.contentType()).startsWith(Problem.CONTENT_TYPE);
    JsonNode body = r.json();
    assertThat(body.get("status").asInt()).isEqualTo(status);
    assertThat(body.get("type").asText()).startsWith("https://");
    assertThat(body.get("title").asText()).isNotBlank();
    assertThat(body.get("detail").asText()).isNotBlank();
  }

  @Test
  void a_viewer_sees_a_jobs_spec_with_its_argument_values_redacted() throws Exception {
    knowOneRunningJob();
    java.io.ByteArrayOutputStream jar = new java.io.ByteArrayOutputStream();
    try (java.util.jar.JarOutputStream out = new java.util.jar.JarOutputStream(jar)) {
      out.putNextEntry(new java.util.jar.JarEntry("com/example/App.class"));
      out.write(new byte[] {(byte) 0xCA, (byte) 0xFE});
      out.closeEntry();
    }
    Response submitted =
        http.postMultipart(
            "/api/v1/jobs",
            TOKEN,
            Map.of(
                "spec",
                "{\"entryClass\": \"com.example.App\", \"args\": [\"--password\","
                    + " \"s3cret\", \"--url=jdbc:pg://u:pw@db\", \"plain\"]}"),
            "jar",
            jar.toByteArray());
    assertThat(submitted.status()).as(submitted.body()).isEqualTo(202);
    String spec = "/api/v1/jobs/" + submitted.json().get("jobId").asText() + "/spec";

    assertThat(http.get(spec, TOKEN).json().at("/spec/args").toString())
        .isEqualTo("[\"--password\",\"s3cret\",\"--url=jdbc:pg://u:pw@db\",\"plain\"]");
    Response asViewer = http.get(spec, VIEWER);
    assertThat(asViewer.status()).isEqualTo(200);
    assertThat(asViewer.json().at("/spec/args").toString())
        .isEqualTo("[\"--password\",\"<redacted>\",\"--url=<redacted>\",\"<redacted>\"]");
    assertThat(asViewer.body()).doesNotContain("s3cret").doesNotContain("pw@db");
  }

  @Test
  void an_upload_is_refused_to_a_viewer_and_when_too_large_and_nothing_is_stored()
      throws Exception {
    knowOneRunningJob();
    Path uploads = Path.of("target", "uploads");
    long before = uploads.toFile().exists() ? Files.list(uploads).count() : 0;
    String spec = "{\"entryClass\": \"com.example.App\"}";

    assertProblem(
        http.postMultipart("/api/v1/jobs", VIEWER, Map.of("spec", spec), "jar", new byte[1024]),
        403);
    Response tooLarge =
        http.postMultipart(
            "/api/v1/jobs", TOKEN, Map.of("spec", spec), "jar", new byte[9 * 1024 * 1024]);
    assertProblem(tooLarge, 413);
    Response noSpec = http.postMultipart("/api/v1/jobs", TOKEN, Map.of(), "jar", new byte[16]);
    assertProblem(noSpec, 400);
    assertThat(noSpec.json().get("field").asText()).isEqualTo("spec");
    Response both =
        http.postMultipart(
            "/api/v1/jobs",
            TOKEN,
            Map.of("spec", "{\"jarPath\": \"a.jar\", \"entryClass\": \"A\"}"),
            "jar",
            new byte[16]);
    assertProblem(both, 400);
    assertThat(both.json().get("field").asText()).isEqualTo("jarPath");

    assertThat(uploads.toFile().exists() ? Files.list(uploads).count() : 0).isEqualTo(before);
  }

  @Test
  void healthz_is_open_and_up() {
    Response r = http.get("/healthz", null);

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("status").asText()).isEqualTo("UP");
  }

  @Test
  void readyz_is_503_with_a_reason_until_the_leader_answers() {
    Response before = http.get("/readyz", null);
    assertThat(before.status()).isEqualTo(503);
    assertThat(before.json().get("reason").asText()).contains("No leading JobManager");

    knowOneRunningJob();
    assertThat(http.get("/readyz", null).status()).isEqualTo(200);

    clock.advance(Duration.ofSeconds(6));
    Response stale = http.get("/readyz", null);
    assertThat(stale.status()).isEqualTo(503);
    assertThat(stale.json().get("reason").asText()).contains("has not answered for 6000 ms");
  }

  @Test
  void api_requires_a_bearer_token() {
    assertProblem(http.get("/api/v1/jobs", null), 401);
    assertProblem(http.get("/api/v1/jobs", "wrong"), 401);
    assertProblem(http.get("/api/v1/cluster", "wrong"), 401);
    assertProblem(http.get("/api/v1/no-such-thing", null), 401);
    Response basic =
        http.send(
            HttpRequest.newBuilder(URI.create(http.baseUrl() + "/api/v1/jobs"))
                .header("Authorization", "Basic " + TOKEN)
                .build());
    assertProblem(basic, 401);
  }

  @Test
  void cluster_shows_identity_leader_and_capacity() {
    knowOneRunningJob();

    JsonNode c = http.get("/api/v1/cluster", TOKEN).json();

    assertThat(c.get("clusterId").asText()).isEqualTo("orders");
    assertThat(c.get("namespace").asText()).isEqualTo("flink");
    assertThat(c.at("/leader/restUrl").asText()).isEqualTo("http://10.0.0.7:8081");
    assertThat(c.get("role").asText()).isEqualTo("ACTIVE");
    assertThat(c.get("roleSince").asText()).isEqualTo("2026-01-01T00:00:00Z");
    assertThat(c.get("leaderChanges").asInt()).isEqualTo(1);
    assertThat(c.get("flinkVersion").asText()).isEqualTo("2.3.0");
    assertThat(c.get("taskManagers").asInt()).isEqualTo(2);
    assertThat(c.at("/slots/total").asInt()).isEqualTo(4);
    assertThat(c.at("/slots/available").asInt()).isEqualTo(1);
    assertThat(c.at("/freshness/stale").asBoolean()).isFalse();
  }

  @Test
  void jobs_list_and_one_job() {
    knowOneRunningJob();

    JsonNode list = http.get("/api/v1/jobs", TOKEN).json();
    assertThat(list.get("jobs")).hasSize(1);
    JsonNode job = list.get("jobs").get(0);
    assertThat(job.get("id").asText()).isEqualTo(JOB);
    assertThat(job.get("name").asText()).isEqualTo("orders-job");
    assertThat(job.get("status").asText()).isEqualTo("RUNNING");
    assertThat(job.get("startTime").asText()).isEqualTo("1970-01-01T00:00:01Z");
    assertThat(job.get("durationMs").asLong()).isEqualTo(5000);
    assertThat(job.get("restarts").asLong()).isEqualTo(2);
    assertThat(job.at("/lastCheckpoint/id").asLong()).isEqualTo(7);
    assertThat(job.at("/lastCheckpoint/path").asText()).isEqualTo("file:/cp/chk-7");

    JsonNode one = http.get("/api/v1/jobs/" + JOB, TOKEN).json();
    assertThat(one.get("id").asText()).isEqualTo(JOB);
    assertThat(one.get("restarts").asLong()).isEqualTo(2);
    assertThat(one.at("/freshness/stale").asBoolean()).isFalse();
    assertThat(one.at("/slots/allocated")).as("the fake JobManager's slots").isEmpty();
    assertThat(one.at("/slots/requested")).as("not a job the sidecar submitted").isEmpty();
  }

  private Response getIfNoneMatch(String path, String etag) {
    return http.send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create(http.baseUrl() + path))
            .header("Authorization", "Bearer " + TOKEN)
            .header("If-None-Match", etag)
            .GET()
            .build());
  }

  @Test
  void unchanged_job_views_are_304_until_the_job_changes_and_new_polls_alone_change_nothing() {
    knowOneRunningJob();
    Response list = http.get("/api/v1/jobs", TOKEN);
    String listTag = list.header("ETag");
    String jobTag = http.get("/api/v1/jobs/" + JOB, TOKEN).header("ETag");
    assertThat(listTag).startsWith("W/\"");
    assertThat(jobTag).startsWith("W/\"").isNotEqualTo(listTag);

    // A later poll: the job has run longer, nothing else changed.
    clock.advance(Duration.ofSeconds(1));
    JobSummary later = new JobSummary(JOB, "orders-job", JobStatus.RUNNING, 1000, -1, 6000, 1);
    state.update(
        s -> s.withJobs(Map.of(JOB, s.jobs().get(JOB).withSummary(later)), clock.instant()));
    Response unchanged = getIfNoneMatch("/api/v1/jobs", listTag);
    assertThat(unchanged.status()).isEqualTo(304);
    assertThat(unchanged.body()).isEmpty();
    assertThat(unchanged.header("ETag")).isEqualTo(listTag);
    assertThat(getIfNoneMatch("/api/v1/jobs/" + JOB, "\"other\", " + jobTag).status())
        .isEqualTo(304);
    assertThat(getIfNoneMatch("/api/v1/jobs", "*").status()).isEqualTo(304);
    assertThat(getIfNoneMatch("/api/v1/jobs", "W/\"other\"").status()).isEqualTo(200);

    // The job fails over: a new view, a new tag, and a whole body.
    JobSummary restarting =
        new JobSummary(JOB, "orders-job", JobStatus.RESTARTING, 1000, -1, 6500, 1);
    state.update(
        s -> s.withJobs(Map.of(JOB, s.jobs().get(JOB).withSummary(restarting)), clock.instant()));
    Response changed = getIfNoneMatch("/api/v1/jobs", listTag);
    assertThat(changed.status()).isEqualTo(200);
    assertThat(changed.header("ETag")).isNotEqualTo(listTag);
    assertThat(changed.json().at("/jobs/0/status").asText()).isEqualTo("RESTARTING");
    assertThat(changed.json().at("/jobs/0/durationMs").asLong()).isEqualTo(6500);
    assertThat(changed.json().at("/freshness/stale").asBoolean()).isFalse();
    assertThat(getIfNoneMatch("/api/v1/jobs/" + JOB, jobTag).status()).isEqualTo(200);
  }

  @Test
  void served_state_is_marked_stale_with_its_age() {
    knowOneRunningJob();
    clock.advance(Duration.ofSeconds(30));

    JsonNode list = http.get("/api/v1/jobs", TOKEN).json();

    assertThat(list.at("/freshness/stale").asBoolean()).isTrue();
    assertThat(list.at("/freshness/ageMs").asLong()).isEqualTo(30_000);
    JsonNode one = http.get("/api/v1/jobs/" + JOB, TOKEN).json();
    assertThat(one.at("/slots/allocatedError").asText())
        .as("slots are served from memory, never asked of the JobManager per request")
        .contains("not been read yet");
    assertThat(list.get("jobs")).hasSize(1);
  }

  @Test
  void events_are_listed_newest_first_and_filtered_by_job_and_time() {
    events.record("A", Severity.INFO, null, "cluster thing");
    clock.advance(Duration.ofSeconds(10));
    events.record("B", Severity.WARNING, JOB, "job thing");

    JsonNode all = http.get("/api/v1/events", TOKEN).json().get("events");
    assertThat(all).hasSize(2);
    assertThat(all.get(0).get("type").asText()).isEqualTo("B");
    assertThat(all.get(0).get("severity").asText()).isEqualTo("WARNING");
    assertThat(all.get(0).get("jobId").asText()).isEqualTo(JOB);
    assertThat(all.get(1).has("jobId")).isFalse();

    assertThat(http.get("/api/v1/events?jobId=" + JOB, TOKEN).json().get("events")).hasSize(1);
    assertThat(http.get("/api/v1/events?since=2026-01-01T00:00:05Z", TOKEN).json().get("events"))
        .hasSize(1);
  }

  @Test
  void a_malformed_since_is_a_400_problem_naming_the_field() {
    Response r = http.get("/api/v1/events?since=yesterday", TOKEN);

    assertProblem(r, 400);
    assertThat(r.json().get("field").asText()).isEqualTo("since");
  }

  private Response send(String method, String path, String token, String contentType, String body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(http.baseUrl() + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    return http.send(request.build());
  }

  @Test
  void every_endpoint_refuses_bad_input_with_a_problem_and_changes_nothing() {
    knowOneRunningJob();
    var jobsBefore = state.snapshot().jobs();
    String unknownJob = "ffffffffffffffffffffffffffffffff";
    JsonNode paths = http.get("/openapi.json", null).json().get("paths");
    int checked = 0;
    for (var path : (Iterable<java.util.Map.Entry<String, JsonNode>>) paths::fields) {
      for (var op : (Iterable<java.util.Map.Entry<String, JsonNode>>) path.getValue()::fields) {
        String method = op.getKey().toUpperCase();
        JsonNode operation = op.getValue();
        String role = operation.path("x-role").asText("open");
        boolean hasBody = operation.has("requestBody");
        String template = path.getKey();
        String concrete = template.replace("{jobId}", JOB).replace("{id}", unknownJob);
        String what = method + " " + template;
        String body = hasBody ? "{}" : null;
        String type = hasBody ? "application/json" : null;
        if (role.equals("open")) {
          continue;
        }
        assertProblem(send(method, concrete, null, type, body), 401);
        assertProblem(send(method, concrete, "expired-or-rotated", type, body), 401);
        if (role.equals("operator")) {
          Response viewer = send(method, concrete, VIEWER, type, body);
          assertThat(viewer.status()).as(what + " as viewer").isEqualTo(403);
          assertProblem(viewer, 403);
        }
        if (template.contains("{jobId}")) {
          Response unknown =
              send(
                  method,
                  template.replace("{jobId}", unknownJob).replace("{id}", unknownJob),
                  TOKEN,
                  type,
                  body);
          assertThat(unknown.status()).as(what + " of an unknown job").isEqualTo(404);
          assertProblem(unknown, 404);
        }
        if (hasBody) {
          assertProblem(send(method, concrete, TOKEN, "application/json", "{"), 400);
          assertProblem(send(method, concrete, TOKEN, "text/plain", "{}"), 415);
          Response unknownField =
              send(method, concrete, TOKEN, "application/json", "{\"noSuchField\": 1}");
          assertProblem(unknownField, 400);
          assertThat(unknownField.json().get("field").asText()).as(what).isEqualTo("noSuchField");
          assertProblem(send(method, concrete, TOKEN, "application/json", "[1, 2]"), 400);
          assertProblem(
              send(
                  method,
                  concrete,
                  TOKEN,
                  "application/json",
                  "{\"x\":\"" + "y".repeat(1_100_000) + "\"}"),
              413);
        }
        assertProblem(send("PATCH", concrete, TOKEN, null, null), 405);
        checked++;
      }
    }

    assertThat(checked).isGreaterThan(15);
    assertThat(flink.calls).as("nothing reached Flink").isEmpty();
    assertThat(state.snapshot().jobs()).isEqualTo(jobsBefore);
    assertThat(http.get("/api/v1/jobs/" + JOB + "/savepoints", TOKEN).json().get("savepoints"))
        .isEmpty();
  }

  private Response post(String path, String token, String contentType, String body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(http.baseUrl() + path))
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    return http.send(request.build());
  }

  @Test
  void an_operator_triggers_a_savepoint_and_finds_it_recorded() throws Exception {
    knowOneRunningJob();

    Response r =
        post(
            "/api/v1/jobs/" + JOB + "/savepoints",
            TOKEN,
            "application/json",
            "{\"targetDirectory\":\"s3://bucket/sp\",\"formatType\":\"NATIVE\"}");

    assertThat(r.status()).isEqualTo(202);
    JsonNode record = r.json();
    assertThat(record.get("state").asText())
        .as("answered once recorded, before Flink is asked")
        .isEqualTo("TRIGGER_PENDING");
    assertThat(r.header("Location"))
        .isEqualTo("/api/v1/jobs/" + JOB + "/savepoints/" + record.get("id").asText());
    dev.flinksupervisor.demo.Await.until(
        "the savepoint to complete",
        Duration.ofSeconds(10),
        () ->
            http.get(r.header("Location"), VIEWER).json().get("state").asText().equals("COMPLETED")
                ? true
                : null);
    assertThat(record.get("origin").asText()).isEqualTo("MANUAL");
    assertThat(flink.received)
        .filteredOn(c -> c.method().equals("trigger"))
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.targetDirectory()).isEqualTo("s3://bucket/sp");
              assertThat(c.format())
                  .isEqualTo(dev.flinksupervisor.flink.FlinkSavepoints.Format.NATIVE);
              assertThat(c.triggerId()).isEqualTo(record.get("triggerId").asText());
            });
    assertThat(record.get("formatType").asText()).isEqualTo("NATIVE");
    assertThat(record.get("targetDirectory").asText()).isEqualTo("s3://bucket/sp");
    String id = record.get("id").asText();
    JsonNode list = http.get("/api/v1/jobs/" + JOB + "/savepoints", VIEWER).json();
    assertThat(list.get("savepoints")).hasSize(1);
    assertThat(
            http.get("/api/v1/jobs/" + JOB + "/savepoints/" + id, VIEWER)
                .json()
                .get("path")
                .asText())
        .startsWith("file:/savepoints/");
    assertThat(events.query(JOB, null))
        .extracting(Event::type)
        .contains("ADMIN_ACTION", EventTypes.SAVEPOINT_COMPLETED);
  }

  @Test
  void rotated_tokens_take_effect_and_old_ones_stop_working() {
    api.replaceTokens(Map.of("rotated", ApiRole.OPERATOR));

    assertProblem(http.get("/api/v1/jobs", TOKEN), 401);
    assertThat(http.get("/api/v1/jobs", "rotated").status()).isEqualTo(200);
  }

  @Test
  void a_viewer_may_read_but_not_act() {
    knowOneRunningJob();

    assertThat(http.get("/api/v1/jobs", VIEWER).status()).isEqualTo(200);
    assertProblem(post("/api/v1/jobs/" + JOB + "/savepoints", VIEWER, null, ""), 403);
    assertThat(flink.calls).isEmpty();
  }

  @Test
  void a_standby_sidecar_refuses_actions_naming_the_active_one() {
    knowOneRunningJob();
    state.update(s -> s.withLeadership(s.leadership().withRole(Role.STANDBY, T0)));

    Response r = post("/api/v1/jobs/" + JOB + "/savepoints", TOKEN, null, "");

    assertProblem(r, 409);
    assertThat(r.json().get("detail").asText()).contains("http://10.0.0.7:8081");
    assertThat(flink.calls).isEmpty();
  }

  @Test
  void bad_savepoint_requests_are_refused_and_change_nothing() {
    knowOneRunningJob();
    String path = "/api/v1/jobs/" + JOB + "/savepoints";

    assertProblem(post(path, TOKEN, "application/json", "{not json"), 400);
    Response unknownField = post(path, TOKEN, "application/json", "{\"target\":\"x\"}");
    assertProblem(unknownField, 400);
    assertThat(unknownField.json().get("field").asText()).isEqualTo("target");
    Response badFormat = post(path, TOKEN, "application/json", "{\"formatType\":\"ZIP\"}");
    assertProblem(badFormat, 400);
    assertThat(badFormat.json().get("field").asText()).isEqualTo("formatType");
    Response traversal =
        post(path, TOKEN, "application/json", "{\"targetDirectory\":\"file:///data/../etc\"}");
    assertProblem(traversal, 400);
    assertProblem(
        post(path, TOKEN, "application/json", "{\"targetDirectory\":\"ftp://host/x\"}"), 400);
    assertProblem(post(path, TOKEN, "text/plain", "{}"), 415);
    assertProblem(
        post("/api/v1/jobs/ffffffffffffffffffffffffffffffff/savepoints", TOKEN, null, ""), 404);

    assertThat(flink.calls).isEmpty();
    assertThat(http.get(path, TOKEN).json().get("savepoints")).isEmpty();
  }

  @Test
  void a_second_savepoint_while_one_is_in_flight_is_a_conflict() {
    knowOneRunningJob();
    flink.status =
        (job, trigger) ->
            java.util.concurrent.CompletableFuture.completedFuture(
                new FlinkSavepoints.Status(FlinkSavepoints.Phase.IN_PROGRESS, null, null));
    String path = "/api/v1/jobs/" + JOB + "/savepoints";

    assertThat(post(path, TOKEN, null, "").status()).isEqualTo(202);
    assertProblem(post(path, TOKEN, null, ""), 409);
    assertThat(flink.count("trigger")).isEqualTo(1);
  }

  @Test
  void metrics_are_open_prometheus_text_with_request_timings() {
    http.get("/api/v1/jobs", TOKEN);

    Response r = http.get("/metrics", null);

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.contentType()).startsWith("text/plain");
    assertThat(r.body())
        .contains("jvm_memory_used_bytes")
        .contains("http_server_requests_seconds_count{")
        .contains("route=\"/api/v1/jobs\"")
        .contains("flink_cluster_id=\"orders\"");
  }

  @Test
  void the_openapi_document_describes_exactly_the_routes_the_server_has() {
    JsonNode doc = http.get("/openapi.json", null).json();
    assertThat(doc.get("openapi").asText()).startsWith("3.");

    List<String> documented = new java.util.ArrayList<>();
    doc.get("paths")
        .fields()
        .forEachRemaining(
            path ->
                path.getValue()
                    .fieldNames()
                    .forEachRemaining(
                        method -> documented.add(method.toUpperCase() + " " + path.getKey())));

    assertThat(documented).containsExactlyInAnyOrderElementsOf(api.routes());
    JsonNode trigger = doc.at("/paths/~1api~1v1~1jobs~1{jobId}~1savepoints/post");
    assertThat(trigger.get("x-role").asText()).isEqualTo("operator");
    assertThat(trigger.at("/responses/403/content").has("application/problem+json")).isTrue();
  }

  @Test
  void more_concurrent_actions_than_allowed_get_429() throws Exception {
    // A request holds its permit while it waits for its record to be written: stall the writes.
    java.util.concurrent.CountDownLatch writes = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.atomic.AtomicBoolean stall =
        new java.util.concurrent.atomic.AtomicBoolean();
    dev.flinksupervisor.store.InMemoryLedger store =
        new dev.flinksupervisor.store.InMemoryLedger(1_000_000);
    api.close();
    api =
        TestAdminApis.create(
                TestAdminApis.settings(Map.of(TOKEN, ApiRole.OPERATOR), Optional.empty(), 1),
                state,
                events,
                flink,
                metrics,
                clock,
                new dev.flinksupervisor.store.Ledger() {
                  @Override
                  public Stored read() {
                    return store.read();
                  }

                  @Override
                  public String write(Map<String, String> sections, String version)
                      throws dev.flinksupervisor.store.LedgerException {
                    if (stall.get()) {
                      try {
                        writes.await();
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                      }
                    }
                    return store.write(sections, version);
                  }

                  @Override
                  public int capacityBytes() {
                    return store.capacityBytes();
                  }

                  @Override
                  public String describe() {
                    return "a stalling record";
                  }
                })
            .start();
    http = new HttpTestClient(api.port());
    knowOneRunningJob();
    stall.set(true);
    String path = "/api/v1/jobs/" + JOB + "/savepoints";
    var first =
        java.util.concurrent.CompletableFuture.supplyAsync(() -> post(path, TOKEN, null, ""));
    dev.flinksupervisor.demo.Await.until(
        "the first action to wait for its record",
        Duration.ofSeconds(10),
        () -> http.get(path, TOKEN).json().get("savepoints").isEmpty() ? null : true);

    Response second = post("/api/v1/jobs/" + JOB + "/stop", TOKEN, null, "");

    assertProblem(second, 429);
    stall.set(false);
    writes.countDown();
    assertThat(first.get(10, java.util.concurrent.TimeUnit.SECONDS).status()).isEqualTo(202);
    assertThat(
            post(
                    "/api/v1/jobs/" + JOB + "/stop",
                    TOKEN,
                    "application/json",
                    "{\"savepoint\": false}")
                .status())
        .as("the permit came back")
        .isEqualTo(202);
  }

  @Test
  void a_huge_body_is_a_413_problem_and_changes_nothing() {
    knowOneRunningJob();
    String huge = "{\"targetDirectory\":\"" + "x".repeat(2_000_000) + "\"}";

    Response r = post("/api/v1/jobs/" + JOB + "/savepoints", TOKEN, "application/json", huge);

    assertProblem(r, 413);
    assertThat(flink.calls).isEmpty();
  }

  @Test
  void the_event_stream_needs_the_event_stream_media_type() {
    assertProblem(http.get("/api/v1/events/stream", TOKEN), 406);
  }

  @Test
  void health_thresholds_are_per_job_over_the_default_and_validated() {
    knowOneRunningJob();
    String path = "/api/v1/jobs/" + JOB + "/health-thresholds";
    assertThat(http.get(path, VIEWER).json().get("restartLimit").asInt()).isEqualTo(3);

    Response invalid =
        http.send(
            HttpRequest.newBuilder(URI.create(http.baseUrl() + path))
                .header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"restartLimit\": -1}"))
                .build());
    assertProblem(invalid, 422);
    Response set =
        http.send(
            HttpRequest.newBuilder(URI.create(http.baseUrl() + path))
                .header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/json")
                .PUT(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"restartLimit\": 10, \"stuckAfter\": \"PT2M\"}"))
                .build());

    assertThat(set.status()).isEqualTo(200);
    JsonNode now = http.get(path, VIEWER).json();
    assertThat(now.get("restartLimit").asInt()).isEqualTo(10);
    assertThat(now.get("stuckAfter").asText()).isEqualTo("PT2M");
    assertThat(now.get("checkpointFailureLimit").asInt()).isEqualTo(3);
  }

  @Test
  void unknown_job_and_unknown_path_are_404_problems() {
    knowOneRunningJob();

    assertProblem(http.get("/api/v1/jobs/ffffffffffffffffffffffffffffffff", TOKEN), 404);
    assertProblem(http.get("/api/v1/nothing-here", TOKEN), 404);
    assertProblem(http.get("/nothing-here", null), 404);
  }
}
