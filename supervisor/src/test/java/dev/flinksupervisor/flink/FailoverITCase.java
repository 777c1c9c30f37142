package dev.flinksupervisor.flink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flinksupervisor.Sidecar;
import dev.flinksupervisor.config.SupervisorOptions;
import dev.flinksupervisor.demo.Await;
import dev.flinksupervisor.demo.KubernetesApi;
import dev.flinksupervisor.testing.FlinkProcessCluster;
import dev.flinksupervisor.testing.FlinkProcessCluster.JobManager;
import dev.flinksupervisor.testing.HttpTestClient;
import dev.flinksupervisor.testing.SidecarSettings;
import dev.flinksupervisor.testing.TestKubernetes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.apache.flink.api.common.JobID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two JobManager processes and a TaskManager process with Kubernetes HA, a sidecar beside each
 * JobManager: the leader is killed with SIGKILL, the standby JobManager takes over and restores the
 * job, and both sidecars follow without restarting, swapping roles.
 */
class FailoverITCase {
  private static final String TOKEN = SidecarSettings.OPERATOR_TOKEN;
  private static final Duration PATIENCE = Duration.ofSeconds(90);

  @TempDir Path workDir;
  private KubernetesApi kubernetes;
  private FlinkProcessCluster flink;
  private final List<Sidecar> sidecars = new java.util.ArrayList<>();

  @AfterEach
  void stop() {
    sidecars.forEach(Sidecar::close);
    if (flink != null) {
      flink.close();
    }
    if (kubernetes != null) {
      kubernetes.close();
    }
  }

  private HttpTestClient sidecarBeside(JobManager jm, String clusterId) throws Exception {
    Sidecar sidecar =
        SidecarSettings.forCluster(kubernetes, clusterId, flink.haStorageDir())
            .set(SupervisorOptions.OWN_ADDRESS, jm.ownAddress())
            .set(SupervisorOptions.SAVEPOINT_INTERVAL, "3s")
            .set(SupervisorOptions.SAVEPOINT_RETAIN_COUNT, "1000")
            .start();
    sidecars.add(sidecar);
    return new HttpTestClient(sidecar.apiPort());
  }

  private static JsonNode cluster(HttpTestClient sidecar) {
    return sidecar.get("/api/v1/cluster", TOKEN).json();
  }

  @Test
  void sidecars_follow_a_killed_leader_and_swap_roles() throws Exception {
    String clusterId = "failover-" + UUID.randomUUID().toString().substring(0, 8);
    kubernetes = TestKubernetes.start(workDir.resolve("k8s"));
    flink = new FlinkProcessCluster(workDir.resolve("flink"), kubernetes, clusterId);
    JobManager first = flink.startJobManager();
    JobManager second = flink.startJobManager();
    flink.startTaskManager();
    HttpTestClient besideFirst = sidecarBeside(first, clusterId);
    HttpTestClient besideSecond = sidecarBeside(second, clusterId);

    try {
      // Both sidecars agree on the leader; only the one beside it is ACTIVE.
      String leaderUrl =
          Await.until(
              "both sidecars to see the same leader",
              PATIENCE,
              () -> {
                String a = cluster(besideFirst).at("/leader/restUrl").asText(null);
                String b = cluster(besideSecond).at("/leader/restUrl").asText(null);
                return a != null && a.equals(b) ? a : null;
              });
      JobManager leader = leaderUrl.equals(first.restUrl()) ? first : second;
      JobManager standby = leader == first ? second : first;
      HttpTestClient activeSidecar = leader == first ? besideFirst : besideSecond;
      HttpTestClient standbySidecar = leader == first ? besideSecond : besideFirst;
      assertThat(leaderUrl).isIn(first.restUrl(), second.restUrl());
      assertThat(cluster(activeSidecar).get("role").asText()).isEqualTo("ACTIVE");
      assertThat(cluster(standbySidecar).get("role").asText()).isEqualTo("STANDBY");

      // A running job with a completed checkpoint to restore from.
      JobID jobId = flink.submitDemoJob("--name", "failover-job", "--checkpoint-interval", "500");
      String job = jobId.toHexString();
      Await.until(
          "the job to run with a completed checkpoint",
          PATIENCE,
          () -> {
            JsonNode j = activeSidecar.get("/api/v1/jobs/" + job, TOKEN).json();
            return "RUNNING".equals(j.path("status").asText()) && j.has("lastCheckpoint")
                ? j
                : null;
          });
      String roleSinceBefore = cluster(standbySidecar).get("roleSince").asText();

      flink.kill(leader);

      // The standby JobManager takes over; both sidecars follow it and swap roles.
      Await.until(
          "both sidecars to follow the new leader " + standby.restUrl(),
          PATIENCE,
          () ->
              standby.restUrl().equals(cluster(besideFirst).at("/leader/restUrl").asText())
                      && standby
                          .restUrl()
                          .equals(cluster(besideSecond).at("/leader/restUrl").asText())
                  ? Boolean.TRUE
                  : null);
      assertThat(cluster(standbySidecar).get("role").asText()).isEqualTo("ACTIVE");
      assertThat(cluster(activeSidecar).get("role").asText()).isEqualTo("STANDBY");
      assertThat(cluster(standbySidecar).get("roleSince").asText()).isNotEqualTo(roleSinceBefore);
      assertThat(cluster(standbySidecar).get("leaderChanges").asInt()).isGreaterThanOrEqualTo(2);

      // The new leader restored the job, and the sidecar beside it sees it RUNNING again.
      Await.until(
          "the new active sidecar to report the job RUNNING",
          PATIENCE,
          () ->
              "RUNNING"
                      .equals(
                          standbySidecar
                              .get("/api/v1/jobs/" + job, TOKEN)
                              .json()
                              .path("status")
                              .asText())
                  ? Boolean.TRUE
                  : null);
      assertThat(flink.restoredCheckpoint(jobId, 0, PATIENCE))
          .as("the job restored from a checkpoint")
          .isNotNull();

      // Scheduled savepoints went on after the failover, taken by the new active sidecar only:
      // every savepoint on disk belongs to exactly one record, and every trigger id is unique.
      JsonNode records =
          Await.until(
              "a scheduled savepoint completed after the failover",
              PATIENCE,
              () -> {
                JsonNode list =
                    standbySidecar
                        .get("/api/v1/jobs/" + job + "/savepoints", TOKEN)
                        .json()
                        .get("savepoints");
                long completedAfter =
                    StreamSupport.stream(list.spliterator(), false)
                        .filter(r -> r.get("state").asText().equals("COMPLETED"))
                        .filter(
                            r ->
                                r.get("completedAt")
                                        .asText()
                                        .compareTo(roleSinceOfNewActive(standbySidecar))
                                    > 0)
                        .count();
                return completedAfter >= 1 ? list : null;
              });
      List<JsonNode> all = StreamSupport.stream(records.spliterator(), false).toList();
      assertThat(all.stream().map(r -> r.get("triggerId").asText()).distinct().count())
          .isEqualTo(all.size());
      long completed =
          all.stream().filter(r -> r.get("state").asText().equals("COMPLETED")).count();
      long maybeWritten =
          all.stream().filter(r -> !r.get("state").asText().equals("FAILED")).count();
      long onDisk = savepointDirectories();
      assertThat(onDisk).isBetween(completed, maybeWritten);
      assertThat(all).allSatisfy(r -> assertThat(r.get("origin").asText()).isEqualTo("SCHEDULED"));

      // Each sidecar recorded the leader change.
      for (HttpTestClient sidecar : List.of(besideFirst, besideSecond)) {
        JsonNode events = sidecar.get("/api/v1/events", TOKEN).json().get("events");
        assertThat(
                StreamSupport.stream(events.spliterator(), false)
                    .filter(e -> e.get("type").asText().equals("LEADER_CHANGED"))
                    .map(e -> e.get("message").asText()))
            .anySatisfy(m -> assertThat(m).contains("now " + standby.restUrl()));
      }
    } catch (AssertionError | Exception e) {
      throw new AssertionError(e.getMessage() + "\n" + flink.logTails(), e);
    }
  }

  private static String roleSinceOfNewActive(HttpTestClient sidecar) {
    return cluster(sidecar).get("roleSince").asText();
  }

  private long savepointDirectories() throws java.io.IOException {
    Path dir = workDir.resolve("flink").resolve("savepoints");
    if (!java.nio.file.Files.exists(dir)) {
      return 0;
    }
    try (var entries = java.nio.file.Files.list(dir)) {
      return entries.filter(p -> java.nio.file.Files.exists(p.resolve("_metadata"))).count();
    }
  }
}
