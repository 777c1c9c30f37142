package dev.flinksupervisor.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flinksupervisor.Sidecar;
import dev.flinksupervisor.config.SupervisorOptions;
import dev.flinksupervisor.demo.Await;
import dev.flinksupervisor.demo.KubernetesApi;
import dev.flinksupervisor.testing.HttpTestClient;
import dev.flinksupervisor.testing.SidecarSettings;
import dev.flinksupervisor.testing.TestKubernetes;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sidecar follows its pod's status through the Kubernetes API: a JobManager container that is
 * OOM-killed again and again is reported as such, with its restarts and exit code, in {@code
 * /api/v1/cluster}, as events and metrics, and as a restart loop.
 */
class JobManagerPodStatusITCase {
  private static final String TOKEN = SidecarSettings.OPERATOR_TOKEN;
  private static final Duration PATIENCE = Duration.ofSeconds(60);
  private final String podName =
      "example-jm-" + java.util.UUID.randomUUID().toString().substring(0, 8);

  @TempDir Path dir;
  private KubernetesApi kubernetes;
  private Sidecar sidecar;

  @AfterEach
  void stop() {
    if (sidecar != null) {
      sidecar.close();
    }
    if (kubernetes != null) {
      kubernetes.close();
    }
  }

  private Pod pod(int restarts) {
    ContainerStatusBuilder jobManager =
        new ContainerStatusBuilder()
            .withName("flink-main-container")
            .withRestartCount(restarts)
            .withNewState()
            .withNewRunning()
            .withStartedAt("2026-12-02T10:00:0" + restarts + "Z")
            .endRunning()
            .endState();
    if (restarts > 0) {
      jobManager
          .withNewLastState()
          .withNewTerminated()
          .withReason("OOMKilled")
          .withExitCode(137)
          .withFinishedAt("2026-12-02T10:00:0" + restarts + "Z")
          .endTerminated()
          .endLastState();
    }
    return new PodBuilder()
        .withNewMetadata()
        .withName(podName)
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("flink-main-container")
        .withImage("flink")
        .endContainer()
        .endSpec()
        .withNewStatus()
        .withPhase("Running")
        .withContainerStatuses(
            jobManager.build(),
            new ContainerStatusBuilder().withName("flink-supervisor").withRestartCount(0).build())
        .endStatus()
        .build();
  }

  private static List<JsonNode> events(HttpTestClient http, String type) {
    JsonNode events = http.get("/api/v1/events", TOKEN).json().get("events");
    return StreamSupport.stream(events.spliterator(), false)
        .filter(e -> e.get("type").asText().equals(type))
        .toList();
  }

  @Test
  void an_oom_killed_jobmanager_is_reported_with_its_reason_and_as_a_restart_loop()
      throws Exception {
    kubernetes = TestKubernetes.start(dir.resolve("k8s"));
    try (KubernetesClient client = kubernetes.client()) {
      client.pods().inNamespace(kubernetes.namespace()).resource(pod(0)).create();
      sidecar =
          SidecarSettings.forCluster(kubernetes, "example", dir.resolve("ha").toString())
              .set(SupervisorOptions.METRICS_POD_NAME, podName)
              .set(SupervisorOptions.JOBMANAGER_RESTART_LIMIT, "2")
              .start();
      HttpTestClient http = new HttpTestClient(sidecar.apiPort());

      JsonNode first =
          Await.until(
              "the JobManager container in /api/v1/cluster",
              PATIENCE,
              () -> {
                JsonNode c = http.get("/api/v1/cluster", TOKEN).json();
                return c.has("jobManagerContainer") ? c : null;
              });
      assertThat(first.at("/jobManagerContainer/pod").asText()).isEqualTo(podName);
      assertThat(first.at("/jobManagerContainer/restarts").asInt()).isZero();
      assertThat(first.at("/jobManagerContainer/state").asText()).isEqualTo("running");
      assertThat(first.at("/health/verdict").asText()).isEqualTo("HEALTHY");

      for (int restarts = 1; restarts <= 3; restarts++) {
        client.pods().inNamespace(kubernetes.namespace()).resource(pod(restarts)).update();
        int expected = restarts;
        Await.until(
            "restart " + restarts + " to be seen",
            PATIENCE,
            () ->
                http.get("/api/v1/cluster", TOKEN)
                            .json()
                            .at("/jobManagerContainer/restarts")
                            .asInt()
                        == expected
                    ? Boolean.TRUE
                    : null);
      }

      JsonNode cluster = http.get("/api/v1/cluster", TOKEN).json();
      assertThat(cluster.at("/jobManagerContainer/lastTermination/reason").asText())
          .isEqualTo("OOMKilled");
      assertThat(cluster.at("/jobManagerContainer/lastTermination/exitCode").asInt())
          .isEqualTo(137);
      assertThat(cluster.at("/health/verdict").asText()).isEqualTo("UNHEALTHY");
      assertThat(cluster.at("/health/reasons/0/code").asText())
          .isEqualTo("JOBMANAGER_RESTART_LOOP");
      assertThat(cluster.at("/health/reasons/0/message").asText())
          .contains("restarted 3 times")
          .contains("OOMKilled, exit code 137");

      assertThat(events(http, "JOBMANAGER_RESTARTED"))
          .hasSize(3)
          .allSatisfy(e -> assertThat(e.get("message").asText()).contains("OOMKilled"));
      assertThat(events(http, "JOBMANAGER_RESTART_LOOP"))
          .singleElement()
          .satisfies(e -> assertThat(e.get("severity").asText()).isEqualTo("ERROR"));

      // kubectl describe pod tells the same story, from Kubernetes Events on the pod.
      List<io.fabric8.kubernetes.api.model.Event> onThePod =
          Await.until(
              "the Kubernetes Events of the restarts",
              PATIENCE,
              () -> {
                List<io.fabric8.kubernetes.api.model.Event> found =
                    client
                        .v1()
                        .events()
                        .inNamespace(kubernetes.namespace())
                        .list()
                        .getItems()
                        .stream()
                        .filter(e -> podName.equals(e.getInvolvedObject().getName()))
                        .toList();
                return found.stream().anyMatch(e -> e.getReason().equals("JobManagerRestartLoop"))
                    ? found
                    : null;
              });
      assertThat(onThePod)
          .filteredOn(e -> e.getReason().equals("JobManagerRestarted"))
          .hasSize(3)
          .allSatisfy(
              e -> {
                assertThat(e.getType()).isEqualTo("Warning");
                assertThat(e.getMessage()).contains("OOMKilled, exit code 137");
                assertThat(e.getInvolvedObject().getUid())
                    .isEqualTo(
                        client
                            .pods()
                            .inNamespace(kubernetes.namespace())
                            .withName(podName)
                            .get()
                            .getMetadata()
                            .getUid());
              });

      String metrics = http.get("/metrics", null).body();
      assertThat(metrics)
          .containsPattern("flink_supervisor_jobmanager_restarts(\\{[^}]*\\})? 3.0")
          .containsPattern("flink_supervisor_jobmanager_last_exit_code(\\{[^}]*\\})? 137.0");
    }
  }
}
