package dev.flinksupervisor.supervision;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flinksupervisor.Sidecar;
import dev.flinksupervisor.config.SupervisorOptions;
import dev.flinksupervisor.demo.Await;
import dev.flinksupervisor.demo.EmbeddedFlink;
import dev.flinksupervisor.testing.HttpTestClient;
import dev.flinksupervisor.testing.MiniClusterOnKubernetes;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.flink.api.common.JobID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Health verdicts on a real MiniCluster, with jobs that really fail: one in a restart loop, one
 * that fails for good. The verdicts, their reasons and the failure causes are read over the admin
 * API, and health changes arrive on the event stream.
 */
class SupervisionITCase {
  private static final String TOKEN = dev.flinksupervisor.testing.SidecarSettings.OPERATOR_TOKEN;
  private static final Duration PATIENCE = Duration.ofSeconds(90);

  @TempDir Path dir;
  private MiniClusterOnKubernetes cluster;
  private EmbeddedFlink flink;
  private Sidecar sidecar;

  @BeforeEach
  void start() throws Exception {
    cluster = MiniClusterOnKubernetes.start(dir, "supervision-it", 4);
    flink = cluster.flink();
    sidecar = cluster.sidecar().set(SupervisorOptions.HEALTH_RESTART_LIMIT, "1").start();
  }

  @AfterEach
  void stop() throws Exception {
    sidecar.close();
    cluster.close();
  }

  private static JsonNode awaitVerdict(HttpTestClient http, JobID job, String verdict, String code)
      throws Exception {
    return Await.until(
        "job " + job + " to be " + verdict + " for " + code,
        PATIENCE,
        () -> {
          JsonNode j = http.get("/api/v1/jobs/" + job, TOKEN).json();
          JsonNode health = j.path("health");
          boolean hasReason = false;
          for (JsonNode r : health.path("reasons")) {
            hasReason |= code.equals(r.get("code").asText());
          }
          return verdict.equals(health.path("verdict").asText()) && hasReason ? j : null;
        });
  }

  @Test
  void a_job_is_judged_by_the_checkpointing_it_set_in_its_code_and_its_savepoints_freshness()
      throws Exception {
    HttpTestClient http = new HttpTestClient(sidecar.apiPort());
    // The interval is set in the job's code (DemoJob), not in the cluster's configuration.
    JobID job = flink.submitDemoJob("--name", "in-code", "--checkpoint-interval", "700");
    JsonNode read =
        Await.until(
            "the job's checkpoint settings",
            PATIENCE,
            () -> {
              JsonNode j = http.get("/api/v1/jobs/" + job, TOKEN).json();
              return j.has("checkpointing") ? j : null;
            });
    assertThat(read.at("/checkpointing/interval").asText()).isEqualTo("PT0.7S");
    assertThat(read.at("/checkpointing/timeout").asText()).isEqualTo("PT10M");

    HttpTestClient.Response set =
        http.send(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(
                        http.baseUrl() + "/api/v1/jobs/" + job + "/health-thresholds"))
                .header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/json")
                .PUT(
                    java.net.http.HttpRequest.BodyPublishers.ofString(
                        "{\"savepointFreshness\": \"PT8S\"}"))
                .build());
    assertThat(set.status()).as(set.body()).isEqualTo(200);
    assertThat(set.json().get("savepointFreshness").asText()).isEqualTo("PT8S");

    JsonNode stale = awaitVerdict(http, job, "DEGRADED", "SAVEPOINT_STALE");
    assertThat(stale.at("/health/reasons/0/message").asText())
        .startsWith("No savepoint completed since the job started");
    Await.until(
        "a SAVEPOINT_STALE event",
        PATIENCE,
        () ->
            http.get("/api/v1/events?jobId=" + job, TOKEN)
                    .json()
                    .get("events")
                    .findValuesAsText("type")
                    .contains("SAVEPOINT_STALE")
                ? Boolean.TRUE
                : null);

    HttpTestClient.Response savepoint =
        http.postJson("/api/v1/jobs/" + job + "/savepoints", TOKEN, "{}");
    assertThat(savepoint.status()).as(savepoint.body()).isEqualTo(202);
    Await.until(
        "the fresh savepoint to make the job HEALTHY",
        PATIENCE,
        () ->
            "HEALTHY"
                    .equals(
                        http.get("/api/v1/jobs/" + job, TOKEN)
                            .json()
                            .at("/health/verdict")
                            .asText())
                ? Boolean.TRUE
                : null);
  }

  @Test
  void a_restart_loop_is_unhealthy_and_says_why() throws Exception {
    HttpTestClient http = new HttpTestClient(sidecar.apiPort());
    List<String> streamed = new CopyOnWriteArrayList<>();
    InputStream stream = openEventStream(http, streamed);
    try {
      JobID looping =
          flink.submitDemoJob(
              "--name",
              "looping",
              "--buckets",
              "1",
              "--rate",
              "100",
              "--fail-every",
              "50",
              "--checkpoint-interval",
              "200");
      String healthyJob = flink.submitDemoJob("--name", "steady").toHexString();

      JsonNode job = awaitVerdict(http, looping, "UNHEALTHY", "RESTART_LOOP");

      assertThat(job.get("restarts").asLong()).isGreaterThanOrEqualTo(2);
      assertThat(job.get("lastFailure").toString())
          .contains("IllegalStateException: Simulated failure: bucket 0 reached 50");
      assertThat(job.at("/lastFailure/task").asText()).contains("bucket-counter");
      assertThat(job.at("/health/reasons/0/message").asText()).contains("Simulated failure");
      assertThat(
              http.get("/api/v1/jobs/" + healthyJob, TOKEN).json().at("/health/verdict").asText())
          .isEqualTo("HEALTHY");

      Await.until(
          "the health change on the event stream",
          PATIENCE,
          () ->
              streamed.stream()
                      .anyMatch(
                          l ->
                              l.contains("HEALTH_CHANGED")
                                  && l.contains(looping.toHexString())
                                  && l.contains("UNHEALTHY"))
                  ? Boolean.TRUE
                  : null);
    } finally {
      stream.close();
    }
  }

  @Test
  void a_job_that_fails_for_good_is_unhealthy_with_its_cause() throws Exception {
    HttpTestClient http = new HttpTestClient(sidecar.apiPort());
    JobID failing =
        flink.submitDemoJob(
            "--name",
            "failing",
            "--buckets",
            "1",
            "--rate",
            "100",
            "--fail-every",
            "30",
            "--restart-strategy",
            "none");

    JsonNode job = awaitVerdict(http, failing, "UNHEALTHY", "JOB_FAILED");

    assertThat(job.get("status").asText()).isEqualTo("FAILED");
    assertThat(job.at("/lastFailure/exception").asText())
        .contains("Recovery is suppressed by NoRestartBackoffTimeStrategy");
    assertThat(job.at("/lastFailure/rootCause").asText())
        .contains("IllegalStateException: Simulated failure: bucket 0 reached 30");
    JsonNode events = http.get("/api/v1/events?jobId=" + failing, TOKEN).json().get("events");
    // The failure is either seen happening (JOB_STATUS_CHANGED) or found done (JOB_APPEARED).
    assertThat(events.toString()).contains("HEALTH_CHANGED").contains("is FAILED");
  }

  /** Reads the server-sent event stream line by line into {@code lines}, in the background. */
  private static InputStream openEventStream(HttpTestClient http, List<String> lines)
      throws Exception {
    HttpResponse<InputStream> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(http.baseUrl() + "/api/v1/events/stream"))
                    .header("Authorization", "Bearer " + TOKEN)
                    .header("Accept", "text/event-stream")
                    .build(),
                HttpResponse.BodyHandlers.ofInputStream());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type").orElse(""))
        .startsWith("text/event-stream");
    InputStream body = response.body();
    CompletableFuture.runAsync(
        () -> {
          try (BufferedReader reader =
              new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
              lines.add(line);
            }
          } catch (Exception closed) {
            // The test closed the stream.
          }
        });
    return body;
  }
}
