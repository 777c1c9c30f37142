package dev.flinksupervisor.savepoints;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flinksupervisor.Sidecar;
import dev.flinksupervisor.config.SupervisorOptions;
import dev.flinksupervisor.demo.Await;
import dev.flinksupervisor.demo.EmbeddedFlink;
import dev.flinksupervisor.testing.DemoJobCounts;
import dev.flinksupervisor.testing.HttpTestClient;
import dev.flinksupervisor.testing.HttpTestClient.Response;
import dev.flinksupervisor.testing.MiniClusterOnKubernetes;
import dev.flinksupervisor.testing.SidecarSettings;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Savepoints through the sidecar on a real MiniCluster with Kubernetes HA: the savepoint is on
 * disk, a job restored from it resumes with its state, stop-with-savepoint stops the job, and a
 * savepoint in flight when the sidecar is killed is completed by the next sidecar.
 */
class SavepointITCase {
  private static final String TOKEN = SidecarSettings.OPERATOR_TOKEN;
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  @TempDir Path dir;
  private MiniClusterOnKubernetes cluster;
  private EmbeddedFlink flink;
  private Sidecar sidecar;

  @BeforeEach
  void start() throws Exception {
    cluster = MiniClusterOnKubernetes.start(dir, "savepoint-it", 4);
    flink = cluster.flink();
  }

  @AfterEach
  void stop() throws Exception {
    if (sidecar != null) {
      sidecar.close();
    }
    cluster.close();
  }

  private SidecarSettings settings() {
    return cluster.sidecar();
  }

  private static Response post(HttpTestClient http, String path, String json) {
    return http.send(
        HttpRequest.newBuilder(URI.create(http.baseUrl() + path))
            .header("Authorization", "Bearer " + TOKEN)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build());
  }

  private static Response dispose(HttpTestClient http, String job, String id) {
    return http.send(
        HttpRequest.newBuilder(
                URI.create(http.baseUrl() + "/api/v1/jobs/" + job + "/savepoints/" + id))
            .header("Authorization", "Bearer " + TOKEN)
            .DELETE()
            .build());
  }

  private static JsonNode awaitState(HttpTestClient http, String job, String id, String state)
      throws Exception {
    return Await.until(
        "savepoint " + id + " to be " + state,
        PATIENCE,
        () -> {
          JsonNode r = http.get("/api/v1/jobs/" + job + "/savepoints/" + id, TOKEN).json();
          return state.equals(r.path("state").asText()) ? r : null;
        });
  }

  private static void awaitRunning(HttpTestClient http, String job) throws Exception {
    Await.until(
        "job " + job + " to run",
        PATIENCE,
        () ->
            "RUNNING".equals(http.get("/api/v1/jobs/" + job, TOKEN).json().path("status").asText())
                ? Boolean.TRUE
                : null);
  }

  private long highestCount(JobID jobId) throws Exception {
    return DemoJobCounts.highestCount(flink.configuration(), jobId);
  }

  private long awaitCountAbove(JobID jobId, long floor) throws Exception {
    return DemoJobCounts.awaitAbove(flink.configuration(), jobId, floor, PATIENCE);
  }

  @Test
  void a_savepoint_is_written_and_a_job_restored_from_it_keeps_its_state() throws Exception {
    JobID jobId = flink.submitDemoJob("--rate", "100", "--checkpoint-interval", "1000");
    String job = jobId.toHexString();
    sidecar = settings().start();
    HttpTestClient http = new HttpTestClient(sidecar.apiPort());
    awaitRunning(http, job);
    long countBefore = awaitCountAbove(jobId, 100);

    Path chosen = dir.resolve("chosen-target");
    Response triggered =
        post(
            http,
            "/api/v1/jobs/" + job + "/savepoints",
            "{\"targetDirectory\": \"" + chosen.toUri() + "\", \"formatType\": \"NATIVE\"}");
    assertThat(triggered.status()).isEqualTo(202);
    JsonNode done = awaitState(http, job, triggered.json().get("id").asText(), "COMPLETED");
    Path savepointDir = Path.of(URI.create(done.get("path").asText()));
    assertThat(savepointDir.resolve("_metadata")).as("the savepoint's metadata file").exists();
    assertThat(savepointDir.toRealPath())
        .as("in the directory asked for")
        .startsWith(chosen.toRealPath());
    assertThat(
            flink
                .miniCluster()
                .getExecutionGraph(jobId)
                .get()
                .getCheckpointStatsSnapshot()
                .getHistory()
                .getCheckpoints()
                .stream()
                .map(c -> c.getProperties().getCheckpointType())
                .filter(t -> t instanceof org.apache.flink.runtime.checkpoint.SavepointType)
                .map(t -> ((org.apache.flink.runtime.checkpoint.SavepointType) t).getFormatType())
                .toList())
        .as("the JobManager took it in the format asked for")
        .containsExactly(org.apache.flink.core.execution.SavepointFormatType.NATIVE);

    Response stopped =
        post(http, "/api/v1/jobs/" + job + "/stop", "{\"savepoint\": true, \"drain\": false}");
    assertThat(stopped.status()).isEqualTo(202);
    JsonNode stopRecord = awaitState(http, job, stopped.json().get("id").asText(), "COMPLETED");
    assertThat(stopRecord.get("origin").asText()).isEqualTo("STOP");
    flink.awaitStatus(jobId, JobStatus.FINISHED, PATIENCE);
    long countAtStop = highestCount(jobId);
    assertThat(countAtStop).isGreaterThanOrEqualTo(countBefore);

    JobID restored =
        flink.restoreDemoJob(
            stopRecord.get("path").asText(), "--rate", "100", "--name", "restored");
    long countAfterRestore = awaitCountAbove(restored, 0);
    assertThat(countAfterRestore)
        .as("the restored job continues from the counts in the savepoint, not from zero")
        .isGreaterThan(countAtStop);

    // Disposal goes through Flink, which deletes the savepoint's files.
    Response disposed = dispose(http, job, done.get("id").asText());
    assertThat(disposed.status()).isEqualTo(202);
    Await.until(
        "the savepoint to be disposed of",
        PATIENCE,
        () ->
            http.get("/api/v1/jobs/" + job + "/savepoints/" + done.get("id").asText(), TOKEN)
                    .json()
                    .path("disposed")
                    .asBoolean()
                ? true
                : null);
    assertThat(savepointDir).doesNotExist();
  }

  private static long scheduled(HttpTestClient http, String job) {
    long n = 0;
    for (JsonNode r :
        http.get("/api/v1/jobs/" + job + "/savepoints", TOKEN).json().get("savepoints")) {
      if (r.get("origin").asText().equals("SCHEDULED")) {
        n++;
      }
    }
    return n;
  }

  @Test
  void a_savepoint_taken_elsewhere_is_registered_retained_and_disposed_of_like_the_sidecars_own()
      throws Exception {
    sidecar = settings().start();
    HttpTestClient http = new HttpTestClient(sidecar.apiPort());
    JobID jobId = flink.submitDemoJob("--name", "registered");
    String job = jobId.toHexString();
    awaitRunning(http, job);
    Path elsewhere = dir.resolve("taken-by-hand");
    String path;
    try (org.apache.flink.client.program.rest.RestClusterClient<
            org.apache.flink.client.deployment.StandaloneClusterId>
        client =
            new org.apache.flink.client.program.rest.RestClusterClient<>(
                flink.configuration(),
                org.apache.flink.client.deployment.StandaloneClusterId.getInstance())) {
      path =
          Await.until(
              "a savepoint taken with Flink's own client, once every task runs",
              PATIENCE,
              () -> {
                try {
                  return client
                      .triggerSavepoint(
                          jobId,
                          elsewhere.toUri().toString(),
                          org.apache.flink.core.execution.SavepointFormatType.CANONICAL)
                      .get();
                } catch (Exception e) {
                  return null; // tasks still deploying: "Not all required tasks are running"
                }
              });
    }

    Response registered =
        post(http, "/api/v1/jobs/" + job + "/savepoints/register", "{\"path\": \"" + path + "\"}");
    assertThat(registered.status()).as(registered.body()).isEqualTo(202);
    JsonNode done = awaitState(http, job, registered.json().get("id").asText(), "COMPLETED");
    assertThat(done.get("origin").asText()).isEqualTo("REGISTERED");
    assertThat(done.get("path").asText()).isEqualTo(path);
    assertThat(done.has("triggerId")).as("nothing was triggered").isFalse();
    JsonNode listed =
        http.get("/api/v1/jobs/" + job + "/savepoints", TOKEN).json().get("savepoints").get(0);
    assertThat(listed.get("retainedBy").toString()).contains("newest");

    Response bogus =
        post(
            http,
            "/api/v1/jobs/" + job + "/savepoints/register",
            "{\"path\": \"" + dir.resolve("no-savepoint-here").toUri() + "\"}");
    assertThat(bogus.status()).as(bogus.body()).isEqualTo(202);
    JsonNode failed = awaitState(http, job, bogus.json().get("id").asText(), "FAILED");
    assertThat(failed.get("error").asText()).contains("Flink cannot read it");

    Response duplicate =
        post(http, "/api/v1/jobs/" + job + "/savepoints/register", "{\"path\": \"" + path + "\"}");
    assertThat(duplicate.status()).isEqualTo(409);

    Response disposed = dispose(http, job, done.get("id").asText());
    assertThat(disposed.status()).as(disposed.body()).isLessThan(300);
    Await.until(
        "the registered savepoint's files to be disposed of through Flink",
        PATIENCE,
        () ->
            java.nio.file.Files.exists(Path.of(URI.create(path)).resolve("_metadata"))
                ? null
                : Boolean.TRUE);
  }

  @Test
  void a_paused_schedule_takes_no_savepoint_until_it_is_resumed() throws Exception {
    sidecar = settings().set(SupervisorOptions.SAVEPOINT_INTERVAL, "1s").start();
    HttpTestClient http = new HttpTestClient(sidecar.apiPort());
    String job = flink.submitDemoJob("--name", "paused").toHexString();
    awaitRunning(http, job);
    Await.until(
        "a scheduled savepoint", PATIENCE, () -> scheduled(http, job) >= 1 ? Boolean.TRUE : null);

    Response paused = post(http, "/api/v1/jobs/" + job + "/savepoint-policy/pause", "");
    assertThat(paused.status()).as(paused.body()).isEqualTo(200);
    assertThat(paused.json().get("paused").asBoolean()).isTrue();
    assertThat(paused.json().get("interval").asText()).isEqualTo("PT1S");
    // Whatever was in flight when it was paused ends; then nothing new starts.
    Await.until(
        "no savepoint in flight",
        PATIENCE,
        () -> {
          for (JsonNode r :
              http.get("/api/v1/jobs/" + job + "/savepoints", TOKEN).json().get("savepoints")) {
            String state = r.get("state").asText();
            if (state.equals("TRIGGER_PENDING") || state.equals("IN_PROGRESS")) {
              return null;
            }
          }
          return Boolean.TRUE;
        });
    long before = scheduled(http, job);
    Instant until = Instant.now().plusSeconds(4);
    Await.until(
        "4 s to pass without a scheduled savepoint (interval 1 s)",
        Duration.ofSeconds(30),
        Duration.ofMillis(250),
        () -> {
          assertThat(scheduled(http, job))
              .as("scheduled savepoints while paused")
              .isEqualTo(before);
          return Instant.now().isAfter(until) ? Boolean.TRUE : null;
        });

    Response resumed = post(http, "/api/v1/jobs/" + job + "/savepoint-policy/resume", "");
    assertThat(resumed.json().get("paused").asBoolean()).isFalse();
    Await.until(
        "a scheduled savepoint after resuming",
        PATIENCE,
        () -> scheduled(http, job) > before ? Boolean.TRUE : null);
  }

  @Test
  void a_savepoint_in_flight_when_the_sidecar_dies_is_completed_by_the_next_one() throws Exception {
    // A back-pressured job: its savepoint barrier waits behind buffered records for seconds.
    JobID jobId =
        flink.submitDemoJob(
            "--rate", "500", "--process-delay-ms", "5", "--checkpoint-interval", "600000");
    String job = jobId.toHexString();
    Sidecar first = settings().start();
    HttpTestClient http = new HttpTestClient(first.apiPort());
    awaitRunning(http, job);
    awaitCountAbove(jobId, 200);

    Response triggered = post(http, "/api/v1/jobs/" + job + "/savepoints", "");
    assertThat(triggered.status()).isEqualTo(202);
    String id = triggered.json().get("id").asText();
    String triggerId = triggered.json().get("triggerId").asText();
    awaitState(http, job, id, "IN_PROGRESS");
    first.close(); // the sidecar dies with the savepoint in flight

    sidecar = settings().start();
    HttpTestClient next = new HttpTestClient(sidecar.apiPort());
    JsonNode done = awaitState(next, job, id, "COMPLETED");

    assertThat(done.get("triggerId").asText()).as("not triggered again").isEqualTo(triggerId);
    assertThat(done.get("attempts").asInt()).isEqualTo(1);
    assertThat(Path.of(URI.create(done.get("path").asText())).resolve("_metadata")).exists();
  }
}
