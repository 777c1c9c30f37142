package dev.flinksupervisor.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flinksupervisor.flink.CheckpointInfo;
import dev.flinksupervisor.flink.ClusterOverview;
import dev.flinksupervisor.flink.JobProgress;
import dev.flinksupervisor.flink.JobSummary;
import dev.flinksupervisor.flink.Leader;
import dev.flinksupervisor.supervision.ClusterState;
import dev.flinksupervisor.supervision.EventLog;
import dev.flinksupervisor.supervision.JobView;
import dev.flinksupervisor.supervision.Leadership;
import dev.flinksupervisor.supervision.Role;
import dev.flinksupervisor.supervision.Severity;
import dev.flinksupervisor.testing.HttpTestClient;
import dev.flinksupervisor.testing.HttpTestClient.Response;
import dev.flinksupervisor.testing.MutableClock;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
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
  private AdminApi api;
  private HttpTestClient http;

  @BeforeEach
  void start() {
    api =
        new AdminApi(
                new AdminApi.Settings(
                    "127.0.0.1", 0, TOKEN, "orders", "flink", Duration.ofSeconds(5)),
                state,
                events,
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
                    2, Optional.of(new CheckpointInfo(7, 4000, false, "file:/cp/chk-7")), 0),
                T0);
    state.update(
        s ->
            s.withLeadership(
                    new Leadership(
                        Optional.of(new Leader("http://10.0.0.7:8081", "sid", T0)),
                        Role.ACTIVE,
                        T0,
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
  }

  @Test
  void served_state_is_marked_stale_with_its_age() {
    knowOneRunningJob();
    clock.advance(Duration.ofSeconds(30));

    JsonNode list = http.get("/api/v1/jobs", TOKEN).json();

    assertThat(list.at("/freshness/stale").asBoolean()).isTrue();
    assertThat(list.at("/freshness/ageMs").asLong()).isEqualTo(30_000);
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

  @Test
  void unknown_job_and_unknown_path_are_404_problems() {
    knowOneRunningJob();

    assertProblem(http.get("/api/v1/jobs/ffffffffffffffffffffffffffffffff", TOKEN), 404);
    assertProblem(http.get("/api/v1/nothing-here", TOKEN), 404);
    assertProblem(http.get("/nothing-here", null), 404);
  }
}
