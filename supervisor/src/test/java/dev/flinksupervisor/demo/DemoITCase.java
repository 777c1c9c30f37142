package dev.flinksupervisor.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flinksupervisor.Sidecar;
import dev.flinksupervisor.config.SupervisorOptions;
import dev.flinksupervisor.testing.HttpTestClient;
import dev.flinksupervisor.testing.TestKubernetes;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's wiring end to end: a real MiniCluster with Kubernetes HA on the Kubernetes API, the
 * example job, and the sidecar finding the leader through the HA ConfigMap and reading the job
 * through Flink's REST client, queried over real HTTP.
 */
class DemoITCase {
  private static final String TOKEN = "it-token";
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  @TempDir static Path workDir;
  private static Demo demo;
  private static HttpTestClient http;

  @BeforeAll
  static void startDemo() throws Exception {
    KubernetesApi kubernetes = TestKubernetes.start(workDir.resolve("k8s"));
    String clusterId = "demo-it-" + UUID.randomUUID().toString().substring(0, 8);
    demo =
        Demo.start(
            workDir,
            kubernetes,
            clusterId,
            Map.of(
                SupervisorOptions.API_HOST.key(), "127.0.0.1",
                SupervisorOptions.API_PORT.key(), "0",
                SupervisorOptions.ADMIN_TOKEN.key(), TOKEN,
                SupervisorOptions.DETAILS_INTERVAL.key(), "1s"),
            Clock.systemUTC());
    http = new HttpTestClient(demo.apiPort());
  }

  @AfterAll
  static void stopDemo() throws Exception {
    if (demo != null) {
      demo.close();
    }
  }

  @Test
  void sidecar_becomes_ready_through_kubernetes_ha() throws Exception {
    JsonNode ready =
        Await.until(
            "/readyz to answer 200",
            PATIENCE,
            () -> {
              HttpTestClient.Response r = http.get("/readyz", null);
              return r.status() == 200 ? r.json() : null;
            });
    assertThat(ready.get("ready").asBoolean()).isTrue();
  }

  @Test
  void cluster_view_names_the_leader_recorded_in_the_ha_config_map() throws Exception {
    JsonNode cluster =
        Await.until(
            "the cluster overview",
            PATIENCE,
            () -> {
              JsonNode c = http.get("/api/v1/cluster", TOKEN).json();
              return c.has("flinkVersion") && c.has("leader") ? c : null;
            });

    assertThat(cluster.get("clusterId").asText()).isEqualTo(demo.clusterId());
    assertThat(cluster.get("namespace").asText()).isEqualTo(demo.kubernetes().namespace());
    assertThat(cluster.get("flinkVersion").asText()).isEqualTo("2.3.0");
    assertThat(cluster.get("taskManagers").asInt()).isEqualTo(1);
    assertThat(cluster.at("/slots/total").asInt()).isEqualTo(4);

    String leaderUrl = cluster.at("/leader/restUrl").asText();
    assertThat(leaderUrl).startsWith("http://127.0.0.1:");
    assertThat(restLeaderInConfigMap()).contains(leaderUrl);
  }

  @Test
  void the_example_job_is_listed_running_with_checkpoints() throws Exception {
    String jobId = demo.jobId().toHexString();

    JsonNode job =
        Await.until(
            "the job with a completed checkpoint and its restart count",
            PATIENCE,
            () -> {
              HttpTestClient.Response r = http.get("/api/v1/jobs/" + jobId, TOKEN);
              JsonNode j = r.status() == 200 ? r.json() : null;
              return j != null && j.has("lastCheckpoint") && j.has("restarts") ? j : null;
            });

    assertThat(job.get("name").asText()).isEqualTo("demo-job");
    assertThat(job.get("status").asText()).isEqualTo("RUNNING");
    assertThat(job.get("restarts").asLong()).isZero();
    assertThat(job.get("startTime").asText()).isNotBlank();
    assertThat(job.at("/lastCheckpoint/id").asLong()).isPositive();
    assertThat(job.at("/lastCheckpoint/path").asText()).contains(jobId);

    JsonNode list = http.get("/api/v1/jobs", TOKEN).json();
    assertThat(list.get("jobs")).hasSize(1);
    assertThat(list.get("jobs").get(0).get("id").asText()).isEqualTo(jobId);
  }

  @Test
  void events_are_recorded_in_the_sidecars_config_map_and_survive_a_restart() throws Exception {
    String job = demo.jobId().toHexString();
    Await.until(
        "the job's first event in the ConfigMap " + demo.clusterId() + "-supervisor",
        PATIENCE,
        () -> {
          try (KubernetesClient client = demo.kubernetes().client()) {
            ConfigMap map =
                client
                    .configMaps()
                    .inNamespace(demo.kubernetes().namespace())
                    .withName(demo.clusterId() + "-supervisor")
                    .get();
            return map != null && map.getData().getOrDefault("events.json", "").contains(job)
                ? Boolean.TRUE
                : null;
          }
        });

    // A sidecar that starts now (as after a restart) knows the history from before it started.
    Instant restartedAt = Instant.now();
    try (Sidecar restarted =
        Sidecar.start(
            demo.sidecarConfig()
                .with(
                    Map.of(
                        SupervisorOptions.API_PORT,
                        0,
                        SupervisorOptions.POLL_INTERVAL,
                        Duration.ofHours(1))),
            Clock.systemUTC())) {
      JsonNode events =
          new HttpTestClient(restarted.apiPort())
              .get("/api/v1/events?jobId=" + job, TOKEN)
              .json()
              .get("events");
      JsonNode oldest = events.get(events.size() - 1);
      assertThat(oldest.get("type").asText()).isEqualTo("JOB_APPEARED");
      assertThat(Instant.parse(oldest.get("time").asText())).isBefore(restartedAt);
    }
  }

  @Test
  void the_api_refuses_requests_without_the_token() {
    HttpTestClient.Response r = http.get("/api/v1/jobs", null);

    assertThat(r.status()).isEqualTo(401);
    assertThat(r.contentType()).startsWith("application/problem+json");
  }

  private static String restLeaderInConfigMap() throws Exception {
    try (KubernetesClient client = demo.kubernetes().client()) {
      ConfigMap map =
          client
              .configMaps()
              .inNamespace(demo.kubernetes().namespace())
              .withName(demo.clusterId() + "-cluster-config-map")
              .get();
      assertThat(map).as("Flink's HA ConfigMap").isNotNull();
      return map.getData().get("org.apache.flink.k8s.leader.restserver");
    }
  }
}
