package dev.flinksupervisor.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flinksupervisor.Sidecar;
import dev.flinksupervisor.config.SupervisorOptions;
import dev.flinksupervisor.demo.Await;
import dev.flinksupervisor.demo.EmbeddedKubernetes;
import dev.flinksupervisor.demo.KubernetesApi;
import dev.flinksupervisor.testing.FlinkProcessCluster;
import dev.flinksupervisor.testing.FlinkProcessCluster.JobManager;
import dev.flinksupervisor.testing.FlinkProcessCluster.Leases;
import dev.flinksupervisor.testing.Holds;
import dev.flinksupervisor.testing.HttpTestClient;
import dev.flinksupervisor.testing.SidecarSettings;
import dev.flinksupervisor.testing.TestKubernetes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sidecar through a Kubernetes API outage and a JobManager outage: it stays up, serves the last
 * known state marked stale, says why it is not ready, keeps the newest restorable state from
 * Flink's HA data, and recovers by itself.
 */
class ResilienceITCase {
  private static final String TOKEN = SidecarSettings.OPERATOR_TOKEN;
  private static final Duration PATIENCE = Duration.ofSeconds(90);

  @TempDir Path workDir;
  private KubernetesApi kubernetes;
  private FlinkProcessCluster flink;
  private Sidecar sidecar;
  private HttpTestClient http;

  @AfterEach
  void stop() {
    if (sidecar != null) {
      sidecar.close();
    }
    if (flink != null) {
      flink.close();
    }
    if (kubernetes != null) {
      kubernetes.close();
    }
  }

  @Test
  void sidecar_rides_out_kubernetes_api_and_jobmanager_outages() throws Exception {
    kubernetes = TestKubernetes.start(workDir.resolve("k8s"));
    assumeTrue(
        kubernetes instanceof EmbeddedKubernetes,
        "Stopping the Kubernetes API needs the embedded API server; KUBECONFIG names a real one");
    EmbeddedKubernetes api = (EmbeddedKubernetes) kubernetes;
    String clusterId = "resilience-" + UUID.randomUUID().toString().substring(0, 8);
    // Leases long enough that the JobManager keeps its leadership through a short API outage.
    flink =
        new FlinkProcessCluster(
            workDir.resolve("flink"),
            kubernetes,
            clusterId,
            new Leases(Duration.ofSeconds(10), Duration.ofSeconds(8), Duration.ofSeconds(1)));
    JobManager first = flink.startJobManager();
    flink.startTaskManager();

    sidecar =
        SidecarSettings.forCluster(kubernetes, clusterId, flink.haStorageDir())
            .set(SupervisorOptions.STALE_AFTER, "2s")
            .start();
    http = new HttpTestClient(sidecar.apiPort());

    try {
      String job = flink.submitDemoJob("--checkpoint-interval", "500").toHexString();
      long checkpointBefore =
          Await.until(
                  "the job to run with a completed checkpoint",
                  PATIENCE,
                  () -> {
                    JsonNode j = http.get("/api/v1/jobs/" + job, TOKEN).json();
                    return "RUNNING".equals(j.path("status").asText()) && j.has("lastCheckpoint")
                        ? j
                        : null;
                  })
              .at("/lastCheckpoint/id")
              .asLong();
      assertThat(http.get("/readyz", null).status()).isEqualTo(200);

      // Kubernetes API outage: the sidecar stays up and keeps serving what it knows (the
      // JobManager itself may stall on its HA writes meanwhile, so readiness may drop).
      api.stop();
      try {
        Holds.forAtLeast(
            Duration.ofSeconds(3),
            () -> {
              assertThat(http.get("/healthz", null).status()).isEqualTo(200);
              JsonNode jobs = http.get("/api/v1/jobs", TOKEN).json();
              assertThat(jobs.get("jobs").toString()).contains(job);
              HttpTestClient.Response ready = http.get("/readyz", null);
              assertThat(ready.json().get("reason").asText()).isNotBlank();
            });
      } finally {
        api.restart();
      }
      Await.until(
          "the sidecar to be ready again after the Kubernetes API outage",
          PATIENCE,
          () -> http.get("/readyz", null).status() == 200 ? Boolean.TRUE : null);

      // JobManager outage: stale state, a reason, and the restorable state from HA data.
      flink.kill(first);
      JsonNode notReady =
          Await.until(
              "/readyz to answer 503",
              PATIENCE,
              () -> {
                HttpTestClient.Response r = http.get("/readyz", null);
                return r.status() == 503 ? r.json() : null;
              });
      assertThat(notReady.get("reason").asText()).contains(first.restUrl());
      JsonNode stale =
          Await.until(
              "the job's restorable state from Flink's HA ConfigMap",
              PATIENCE,
              () -> {
                JsonNode j = http.get("/api/v1/jobs/" + job, TOKEN).json();
                return "HA_CONFIGMAP".equals(j.at("/restorable/source").asText()) ? j : null;
              });
      assertThat(stale.at("/freshness/stale").asBoolean()).isTrue();
      assertThat(stale.at("/restorable/checkpointId").asLong())
          .isGreaterThanOrEqualTo(checkpointBefore);
      assertThat(stale.at("/restorable/path").asText()).contains(job);

      // The sidecar restarts while no JobManager answers: its record still names the job's
      // newest restorable state.
      sidecar.close();
      sidecar =
          SidecarSettings.forCluster(kubernetes, clusterId, flink.haStorageDir())
              .set(SupervisorOptions.STALE_AFTER, "2s")
              .start();
      http = new HttpTestClient(sidecar.apiPort());
      JsonNode recorded =
          java.util.stream.StreamSupport.stream(
                  http.get("/api/v1/restorable", TOKEN).json().get("jobs").spliterator(), false)
              .filter(e -> e.get("jobId").asText().equals(job))
              .findFirst()
              .orElseThrow(
                  () -> new AssertionError("no restorable state of " + job + " on record"));
      assertThat(recorded.at("/checkpoint/externalPath").asText())
          .isEqualTo(stale.at("/restorable/path").asText());
      assertThat(http.get("/readyz", null).status()).isEqualTo(503);

      // A new JobManager takes over; the sidecar follows and is ready again, by itself.
      JobManager second = flink.startJobManager();
      Await.until(
          "the sidecar to follow " + second.restUrl() + " and be ready",
          PATIENCE,
          () ->
              second
                          .restUrl()
                          .equals(
                              http.get("/api/v1/cluster", TOKEN)
                                  .json()
                                  .at("/leader/restUrl")
                                  .asText())
                      && http.get("/readyz", null).status() == 200
                  ? Boolean.TRUE
                  : null);
      Await.until(
          "the job to run again",
          PATIENCE,
          () ->
              "RUNNING"
                      .equals(http.get("/api/v1/jobs/" + job, TOKEN).json().path("status").asText())
                  ? Boolean.TRUE
                  : null);
      JsonNode events = http.get("/api/v1/events", TOKEN).json().get("events");
      List<String> types =
          StreamSupport.stream(events.spliterator(), false)
              .map(e -> e.get("type").asText())
              .toList();
      assertThat(types)
          .contains("JOBMANAGER_UNREACHABLE", "JOBMANAGER_REACHABLE", "LEADER_CHANGED");
    } catch (AssertionError | Exception e) {
      throw new AssertionError(e.getMessage() + "\n" + flink.logTails(), e);
    }
  }
}
