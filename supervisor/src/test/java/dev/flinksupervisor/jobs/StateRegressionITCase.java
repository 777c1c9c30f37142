package dev.flinksupervisor.jobs;

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
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.apache.flink.api.common.JobID;
import org.apache.flink.runtime.rest.messages.checkpoints.CheckpointingStatistics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Flink's own failover, when the job's HA data has lost its checkpoints (as a JobMaster that shut
 * its checkpoint store down as FAILED just after it lost its leadership does), restarts the job
 * from the path it was submitted with: older state than the job had reached, so an exactly-once
 * sink commits its output again. Here the checkpoints are removed from the job's HA ConfigMap as
 * Flink removes them, on real JobManager processes with Kubernetes HA and a sidecar beside each;
 * the sidecar notices the step back, cancels the run and runs the job again from the newest
 * checkpoint written before it.
 */
class StateRegressionITCase {
  private static final String TOKEN = SidecarSettings.OPERATOR_TOKEN;
  private static final Duration PATIENCE = Duration.ofSeconds(120);
  private static final Path DEMO_JAR = Path.of("target", "demo-job.jar");

  @TempDir Path workDir;
  private KubernetesApi kubernetes;
  private FlinkProcessCluster flink;
  private final List<Sidecar> sidecars = new ArrayList<>();

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

  private HttpTestClient sidecarBeside(JobManager jm, String clusterId, Path jars)
      throws Exception {
    Sidecar sidecar =
        SidecarSettings.forCluster(kubernetes, clusterId, flink.haStorageDir())
            .set(SupervisorOptions.OWN_ADDRESS, jm.ownAddress())
            .set(SupervisorOptions.JAR_DIRECTORY, jars.toString())
            .set(SupervisorOptions.DETAILS_INTERVAL, "500ms")
            .start();
    sidecars.add(sidecar);
    return new HttpTestClient(sidecar.apiPort());
  }

  private static JsonNode job(HttpTestClient sidecar, String jobId) {
    return sidecar.get("/api/v1/jobs/" + jobId, TOKEN).json();
  }

  private static List<JsonNode> events(HttpTestClient sidecar, String type) {
    JsonNode events = sidecar.get("/api/v1/events", TOKEN).json().get("events");
    return StreamSupport.stream(events.spliterator(), false)
        .filter(e -> e.get("type").asText().equals(type))
        .toList();
  }

  @Test
  void a_run_restarted_from_older_state_is_cancelled_and_run_from_the_newest_checkpoint()
      throws Exception {
    String clusterId = "regress-" + UUID.randomUUID().toString().substring(0, 8);
    Path jars = Files.createDirectories(workDir.resolve("usrlib"));
    Files.copy(DEMO_JAR, jars.resolve("demo-job.jar"));
    kubernetes = TestKubernetes.start(workDir.resolve("k8s"));
    flink = new FlinkProcessCluster(workDir.resolve("flink"), kubernetes, clusterId);
    JobManager first = flink.startJobManager();
    JobManager second = flink.startJobManager();
    flink.startTaskManager();
    HttpTestClient besideFirst = sidecarBeside(first, clusterId, jars);
    HttpTestClient besideSecond = sidecarBeside(second, clusterId, jars);

    try {
      String leaderUrl =
          Await.until(
              "both sidecars to see the same leader",
              PATIENCE,
              () -> {
                String a =
                    besideFirst
                        .get("/api/v1/cluster", TOKEN)
                        .json()
                        .at("/leader/restUrl")
                        .asText(null);
                String b =
                    besideSecond
                        .get("/api/v1/cluster", TOKEN)
                        .json()
                        .at("/leader/restUrl")
                        .asText(null);
                return a != null && a.equals(b) ? a : null;
              });
      JobManager leader = leaderUrl.equals(first.restUrl()) ? first : second;
      HttpTestClient active = leader == first ? besideFirst : besideSecond;
      HttpTestClient standby = leader == first ? besideSecond : besideFirst;
      Await.until(
          "the active sidecar to be ready",
          PATIENCE,
          () -> active.get("/readyz", null).status() == 200 ? true : null);

      // Run 1, then cancelled; run 2 restarted by hand from run 1's newest checkpoint: the path
      // run 2 is submitted with, which Flink falls back to when the job's HA data is empty.
      HttpTestClient.Response submitted =
          active.postJson(
              "/api/v1/jobs",
              TOKEN,
              """
              {"jarPath": "demo-job.jar",
               "entryClass": "dev.flinksupervisor.demo.job.DemoJob",
               "args": ["--name", "regressing", "--buckets", "2", "--rate", "200",
                        "--checkpoint-interval", "300"],
               "parallelism": 1,
               "recovery": {"mode": "RESTART_FROM_LATEST", "maxAttempts": 3,
                            "backoff": "PT1S", "maxStateAge": "PT1H"}}
              """);
      assertThat(submitted.status()).as(submitted.body()).isEqualTo(202);
      String run1 = submitted.json().get("jobId").asText();
      awaitCheckpointAbove(active, run1, 0);
      HttpTestClient.Response cancelled =
          active.postJson("/api/v1/jobs/" + run1 + "/stop", TOKEN, "{\"savepoint\": false}");
      assertThat(cancelled.status()).as(cancelled.body()).isLessThan(300);
      Await.until(
          "run 1 to be CANCELED",
          PATIENCE,
          () -> "CANCELED".equals(job(active, run1).path("status").asText()) ? true : null);
      HttpTestClient.Response restarted =
          active.postJson("/api/v1/jobs/" + run1 + "/restart", TOKEN, "");
      assertThat(restarted.status()).as(restarted.body()).isEqualTo(202);
      String run2 = restarted.json().get("jobId").asText();
      CheckpointingStatistics.RestoredCheckpointStatistics initial =
          flink.restoredCheckpoint(JobID.fromHexString(run2), 0, PATIENCE);
      assertThat(initial.getExternalPath()).contains("/" + run1 + "/chk-");

      // Both sidecars have seen run 2 complete checkpoints past the one it started from, the
      // standby one a checkpoint followed by a newer one: surely stored by Flink.
      long seen = awaitCheckpointAbove(standby, run2, initial.getId() + 2);
      long reached = awaitCheckpointAbove(standby, run2, seen);
      awaitCheckpointAbove(active, run2, initial.getId() + 2);

      // The leader dies; before another JobManager takes over, the job's checkpoints go from its
      // HA ConfigMap, as Flink's own clearEntries() removes them.
      flink.kill(leader);
      removeCheckpointsFromHaData(clusterId, run2);

      // The new leader restores run 2 from the path it was submitted with; the sidecar beside it
      // notices, cancels run 2 and runs the job again from the newest checkpoint run 2 wrote.
      JsonNode regressed =
          Await.until(
              "the sidecar beside the new leader to notice the step back",
              PATIENCE,
              () -> events(standby, "STATE_REGRESSED").stream().findFirst().orElse(null));
      assertThat(regressed.get("jobId").asText()).isEqualTo(run2);
      assertThat(regressed.get("severity").asText()).isEqualTo("ERROR");
      assertThat(regressed.get("message").asText())
          .contains("restored savepoint " + initial.getId() + " (")
          .contains("older than checkpoint");

      JsonNode recovery =
          Await.until(
              "the job to be run again",
              PATIENCE,
              () ->
                  events(standby, "RECOVERY_STARTED").stream()
                      .filter(e -> e.get("jobId").asText().equals(run2))
                      .findFirst()
                      .orElse(null));
      assertThat(recovery.get("message").asText())
          .contains("older than checkpoint")
          .contains("/" + run2 + "/chk-");
      java.util.regex.Matcher newJob =
          java.util.regex.Pattern.compile("new job ([0-9a-f]{32}) ")
              .matcher(recovery.get("message").asText());
      assertThat(newJob.find()).as(recovery.get("message").asText()).isTrue();
      String run3 = newJob.group(1);
      assertThat(standby.get("/api/v1/jobs/" + run3 + "/spec", TOKEN).json().path("jobId").asText())
          .isEqualTo(run3);
      Await.until(
          "run 2 to be CANCELED",
          PATIENCE,
          () -> "CANCELED".equals(job(standby, run2).path("status").asText()) ? true : null);
      Await.until(
          "run 3 to be RUNNING",
          PATIENCE,
          () -> "RUNNING".equals(job(standby, run3).path("status").asText()) ? true : null);
      CheckpointingStatistics.RestoredCheckpointStatistics resumed =
          flink.restoredCheckpoint(JobID.fromHexString(run3), 1, PATIENCE);
      assertThat(resumed.getExternalPath()).contains("/" + run2 + "/chk-");
      assertThat(resumed.getId())
          .as("run 3 starts from a checkpoint at least as new as any the sidecar saw")
          .isGreaterThanOrEqualTo(reached);
      assertThat(events(standby, "JOB_CANCELLED"))
          .anySatisfy(e -> assertThat(e.get("jobId").asText()).isEqualTo(run2));
    } catch (AssertionError | Exception e) {
      StringBuilder events = new StringBuilder();
      for (HttpTestClient sidecar : List.of(besideFirst, besideSecond)) {
        events.append("\n==> events of the sidecar on port ").append(sidecar.baseUrl());
        sidecar
            .get("/api/v1/events", TOKEN)
            .json()
            .get("events")
            .forEach(
                ev ->
                    events
                        .append("\n")
                        .append(ev.path("at").asText())
                        .append(' ')
                        .append(ev.path("type").asText())
                        .append(' ')
                        .append(ev.path("jobId").asText())
                        .append(' ')
                        .append(ev.path("message").asText()));
      }
      throw new AssertionError(e.getMessage() + events + "\n" + flink.logTails(), e);
    }
  }

  /** Waits until the sidecar reports a completed checkpoint of the job above {@code id}. */
  private static long awaitCheckpointAbove(HttpTestClient sidecar, String jobId, long id)
      throws Exception {
    return Await.until(
        "job " + jobId + " to complete a checkpoint above " + id,
        PATIENCE,
        () -> {
          JsonNode checkpoint = job(sidecar, jobId).path("lastCheckpoint");
          long seen = checkpoint.path("id").asLong(-1);
          return seen > id ? seen : null;
        });
  }

  private void removeCheckpointsFromHaData(String clusterId, String jobId) {
    try (KubernetesClient client = kubernetes.client()) {
      String name = clusterId + "-" + jobId + "-config-map";
      ConfigMap map = client.configMaps().inNamespace(kubernetes.namespace()).withName(name).get();
      assertThat(map).as("the job's HA ConfigMap " + name).isNotNull();
      Map<String, String> data = new java.util.HashMap<>(map.getData());
      assertThat(data.keySet()).anySatisfy(k -> assertThat(k).startsWith("checkpointID-"));
      data.keySet().removeIf(k -> k.startsWith("checkpointID-") || k.equals("counter"));
      map.setData(data);
      client.configMaps().inNamespace(kubernetes.namespace()).resource(map).update();
    }
  }
}
