package dev.flinksupervisor.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flinksupervisor.Sidecar;
import dev.flinksupervisor.config.SupervisorOptions;
import dev.flinksupervisor.demo.Await;
import dev.flinksupervisor.demo.EmbeddedFlink;
import dev.flinksupervisor.testing.HttpTestClient;
import dev.flinksupervisor.testing.HttpTestClient.Response;
import dev.flinksupervisor.testing.MiniClusterOnKubernetes;
import dev.flinksupervisor.testing.SidecarSettings;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job submitted through the sidecar from the example job's jar, on a real MiniCluster: when it
 * fails for good, the sidecar restarts it from its newest checkpoint, within the limits of its
 * recovery policy, and records every attempt.
 */
class RecoveryITCase {
  private static final String TOKEN = SidecarSettings.OPERATOR_TOKEN;
  private static final Duration PATIENCE = Duration.ofSeconds(90);
  private static final Path DEMO_JAR = Path.of("target", "demo-job.jar");

  @TempDir Path dir;
  private MiniClusterOnKubernetes cluster;
  private EmbeddedFlink flink;
  private Sidecar sidecar;
  private HttpTestClient http;

  @BeforeEach
  void start() throws Exception {
    Path jars = Files.createDirectories(dir.resolve("usrlib"));
    Files.copy(DEMO_JAR, jars.resolve("demo-job.jar"));
    cluster = MiniClusterOnKubernetes.start(dir, "recovery-it", 4);
    flink = cluster.flink();
    sidecar = cluster.sidecar().set(SupervisorOptions.JAR_DIRECTORY, jars.toString()).start();
    http = new HttpTestClient(sidecar.apiPort());
    Await.until(
        "the sidecar to be ready to act",
        PATIENCE,
        () -> http.get("/readyz", null).status() == 200 ? true : null);
  }

  @AfterEach
  void stop() throws Exception {
    sidecar.close();
    cluster.close();
  }

  private Response post(String path, String json) {
    return http.send(
        HttpRequest.newBuilder(URI.create(http.baseUrl() + path))
            .header("Authorization", "Bearer " + TOKEN)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build());
  }

  @Test
  void a_failed_job_is_restarted_from_its_newest_checkpoint_until_its_policy_gives_up()
      throws Exception {
    Response submitted =
        post(
            "/api/v1/jobs",
            """
            {"jarPath": "demo-job.jar",
             "entryClass": "dev.flinksupervisor.demo.job.DemoJob",
             "args": ["--name", "recovering", "--buckets", "1", "--rate", "100",
                      "--fail-every", "300", "--restart-strategy", "none",
                      "--checkpoint-interval", "200"],
             "parallelism": 1,
             "recovery": {"mode": "RESTART_FROM_LATEST", "maxAttempts": 2,
                          "backoff": "PT1S", "maxStateAge": "PT1H"}}
            """);
    assertThat(submitted.status()).as(submitted.body()).isEqualTo(202);
    String first = submitted.json().get("jobId").asText();

    JsonNode gaveUp =
        Await.until(
            "recovery to give up after two restarts",
            PATIENCE,
            () -> {
              JsonNode events = http.get("/api/v1/events", TOKEN).json().get("events");
              return StreamSupport.stream(events.spliterator(), false)
                      .anyMatch(e -> e.get("type").asText().equals("RECOVERY_GAVE_UP"))
                  ? events
                  : null;
            });

    List<String> restarts =
        StreamSupport.stream(gaveUp.spliterator(), false)
            .filter(e -> e.get("type").asText().equals("RECOVERY_STARTED"))
            .map(e -> e.get("message").asText())
            .toList();
    assertThat(restarts).hasSize(2);
    assertThat(restarts.get(restarts.size() - 1))
        .as("the first restart restores the first run's newest checkpoint")
        .contains("/checkpoints/" + first + "/chk-");
    JsonNode owned =
        StreamSupport.stream(
                http.get("/api/v1/jobs", TOKEN).json().get("jobs").spliterator(), false)
            .filter(j -> !j.get("id").asText().equals(first))
            .map(j -> http.get("/api/v1/jobs/" + j.get("id").asText() + "/spec", TOKEN))
            .filter(r -> r.status() == 200)
            .map(Response::json)
            .filter(j -> j.has("gaveUp"))
            .findFirst()
            .orElseThrow();
    assertThat(owned.get("previousJobIds")).hasSize(2);
    assertThat(owned.get("previousJobIds").get(0).asText()).isEqualTo(first);
    assertThat(owned.get("attempts").asInt()).isEqualTo(2);
    assertThat(owned.at("/spec/entryClass").asText())
        .isEqualTo("dev.flinksupervisor.demo.job.DemoJob");
  }

  @Test
  void a_policy_restoring_nothing_runs_the_failed_job_again_empty() throws Exception {
    Response submitted =
        post(
            "/api/v1/jobs",
            """
            {"jarPath": "demo-job.jar",
             "entryClass": "dev.flinksupervisor.demo.job.DemoJob",
             "args": ["--name", "stateless", "--buckets", "1", "--rate", "100",
                      "--fail-every", "300", "--restart-strategy", "none",
                      "--checkpoint-interval", "200"],
             "parallelism": 1,
             "recovery": {"mode": "RESTART_FROM_LATEST", "maxAttempts": 1,
                          "backoff": "PT1S", "restoreFrom": "NONE"}}
            """);
    assertThat(submitted.status()).as(submitted.body()).isEqualTo(202);
    assertThat(submitted.json().at("/spec/recovery/restoreFrom").asText()).isEqualTo("NONE");
    String first = submitted.json().get("jobId").asText();

    JsonNode restarted =
        Await.until(
            "the failed job to be run again",
            PATIENCE,
            () -> {
              JsonNode events = http.get("/api/v1/events", TOKEN).json().get("events");
              return StreamSupport.stream(events.spliterator(), false)
                  .filter(e -> e.get("type").asText().equals("RECOVERY_STARTED"))
                  .filter(e -> e.get("jobId").asText().equals(first))
                  .findFirst()
                  .orElse(null);
            });
    assertThat(restarted.get("message").asText()).endsWith("from no state");
  }

  @Test
  void a_job_not_submitted_by_the_sidecar_is_not_restarted_but_its_state_is_named()
      throws Exception {
    String job = flink.submitDemoJob("--checkpoint-interval", "200").toHexString();
    Await.until(
        "a completed checkpoint",
        PATIENCE,
        () ->
            http.get("/api/v1/jobs/" + job, TOKEN).json().has("restorable") ? Boolean.TRUE : null);
    flink.miniCluster().cancelJob(org.apache.flink.api.common.JobID.fromHexString(job)).get();
    Await.until(
        "the job to be CANCELED",
        PATIENCE,
        () ->
            "CANCELED".equals(http.get("/api/v1/jobs/" + job, TOKEN).json().path("status").asText())
                ? Boolean.TRUE
                : null);

    Response r = post("/api/v1/jobs/" + job + "/restart", "");

    assertThat(r.status()).isEqualTo(409);
    assertThat(r.json().get("detail").asText())
        .contains("not submitted by this sidecar")
        .contains("/checkpoints/" + job + "/chk-");
  }

  @Test
  void a_jar_outside_the_jar_directory_is_refused() {
    Response r =
        post("/api/v1/jobs", "{\"jarPath\": \"../k8s/kubeconfig\", \"entryClass\": \"x.Y\"}");

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().get("field").asText()).isEqualTo("jarPath");
  }
}
