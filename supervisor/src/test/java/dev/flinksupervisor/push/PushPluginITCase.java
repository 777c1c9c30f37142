package dev.flinksupervisor.push;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flinksupervisor.Sidecar;
import dev.flinksupervisor.config.SupervisorOptions;
import dev.flinksupervisor.demo.Await;
import dev.flinksupervisor.demo.KubernetesApi;
import dev.flinksupervisor.testing.FlinkProcessCluster;
import dev.flinksupervisor.testing.FlinkProcessCluster.JobManager;
import dev.flinksupervisor.testing.HttpTestClient;
import dev.flinksupervisor.testing.PluginJars;
import dev.flinksupervisor.testing.Ports;
import dev.flinksupervisor.testing.SidecarSettings;
import dev.flinksupervisor.testing.TestKubernetes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JobManager process with both plugins installed in its {@code plugins/} directory, a TaskManager
 * process, and a sidecar that polls only once an hour: everything the sidecar learns after its
 * first poll comes by push. A job that fails is labelled by the configured rule and the labels
 * reach the sidecar; with the sidecar stopped the JobManager runs jobs as before; a sidecar started
 * again hears the JobManager at once, and learns how many events it missed.
 */
class PushPluginITCase {
  private static final String TOKEN = SidecarSettings.OPERATOR_TOKEN;
  private static final String PUSH_TOKEN = "push-" + UUID.randomUUID();
  private static final Duration PATIENCE = Duration.ofSeconds(90);

  @TempDir Path workDir;
  private KubernetesApi kubernetes;
  private FlinkProcessCluster flink;
  private Sidecar sidecar;

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

  private Sidecar startSidecar(String clusterId, JobManager jm, Path tokenFile, int pushPort)
      throws Exception {
    return SidecarSettings.forCluster(kubernetes, clusterId, flink.haStorageDir())
        .set(SupervisorOptions.OWN_ADDRESS, jm.ownAddress())
        // One poll at the start, then none for an hour: what the sidecar learns later is pushed.
        .set(SupervisorOptions.POLL_INTERVAL, "1h")
        .set(SupervisorOptions.MAX_BACKOFF, "1h")
        // Savepoints looked at hourly too: a savepoint's end is known when it is pushed.
        .set(SupervisorOptions.SAVEPOINT_TRACK_INTERVAL, "1h")
        .set(SupervisorOptions.PUSH_TOKEN_FILE, tokenFile.toString())
        .set(SupervisorOptions.PUSH_PORT, String.valueOf(pushPort))
        .start();
  }

  @Test
  void the_jobmanager_pushes_changes_and_labelled_failures_and_runs_on_without_the_sidecar()
      throws Exception {
    String clusterId = "push-" + UUID.randomUUID().toString().substring(0, 8);
    kubernetes = TestKubernetes.start(workDir.resolve("k8s"));
    Path tokenFile = Files.writeString(workDir.resolve("push-token"), PUSH_TOKEN + "\n");
    int pushPort = Ports.free();
    Configuration plugins = new Configuration();
    plugins.setString("events.reporters", "supervisor");
    plugins.setString(
        "events.reporter.supervisor.factory.class",
        "dev.flinksupervisor.plugins.push.SupervisorEventReporterFactory");
    plugins.setString(
        "events.reporter.supervisor.url", "http://127.0.0.1:" + pushPort + "/push/v1/events");
    plugins.setString("events.reporter.supervisor.token-file", tokenFile.toString());
    plugins.setString(
        "jobmanager.failure-enrichers", "dev.flinksupervisor.plugins.failures.FailureLabels");
    plugins.setString(
        "failure-labels.rules", "category=SIMULATED,type=USER,message=Simulated failure");
    plugins.setString("restart-strategy.type", "fixed-delay");
    plugins.setString("restart-strategy.fixed-delay.attempts", "100000");
    plugins.setString("restart-strategy.fixed-delay.delay", "2s");
    flink =
        new FlinkProcessCluster(
                workDir.resolve("flink"),
                kubernetes,
                clusterId,
                FlinkProcessCluster.Leases.SHORT,
                plugins)
            .withPlugins(List.of(PluginJars.Plugin.EVENT_PUSH, PluginJars.Plugin.FAILURE_LABELS));
    JobManager jm = flink.startJobManager();
    flink.startTaskManager();
    HttpTestClient jobManager = new HttpTestClient(jm.restPort(), false);
    try {
      Await.until(
          "the JobManager to answer with a TaskManager registered",
          PATIENCE,
          () -> {
            try {
              return jobManager.get("/overview", null).json().path("taskmanagers").asInt() > 0
                  ? true
                  : null;
            } catch (RuntimeException notYet) {
              return null;
            }
          });
      sidecar = startSidecar(clusterId, jm, tokenFile, pushPort);
      HttpTestClient http = new HttpTestClient(sidecar.apiPort());
      Await.until(
          "the sidecar to be ACTIVE beside the leader",
          PATIENCE,
          () ->
              "ACTIVE".equals(http.get("/api/v1/cluster", TOKEN).json().path("role").asText())
                  ? true
                  : null);

      // 1. A failing job: the sidecar, polling hourly, learns of it and of each failure by push.
      String failing =
          flink
              .submitDemoJob(
                  "--name", "failing", "--rate", "20", "--fail-every", "10", "--buckets", "1")
              .toHexString();
      JsonNode labelled =
          Await.until(
              "the sidecar to know the job's failure with its labels",
              PATIENCE,
              () -> {
                JsonNode j = http.get("/api/v1/jobs/" + failing, TOKEN).json();
                return "SIMULATED".equals(j.at("/lastFailure/labels/category").asText()) ? j : null;
              });
      assertThat(labelled.at("/lastFailure/labels/type").asText()).isEqualTo("USER");
      assertThat(labelled.at("/lastFailure/exception").asText()).contains("Simulated failure");
      // Flink itself shows the same labels.
      JsonNode exceptions = jobManager.get("/jobs/" + failing + "/exceptions", null).json();
      assertThat(exceptions.at("/exceptionHistory/entries/0/failureLabels/category").asText())
          .isEqualTo("SIMULATED");

      List<JsonNode> events = events(http, failing);
      assertThat(events)
          .filteredOn(e -> e.get("type").asText().equals("JOB_FAILURE"))
          .isNotEmpty()
          .allSatisfy(
              e -> assertThat(e.get("message").asText()).contains("category=SIMULATED, type=USER"));
      assertThat(events)
          .filteredOn(e -> e.get("type").asText().equals("JOB_STATUS_CHANGED"))
          .extracting(e -> e.get("message").asText())
          .anySatisfy(m -> assertThat(m).contains("RESTARTING"));
      String metrics = http.get("/metrics", null).body();
      assertThat(metrics)
          .contains("flink_supervisor_job_failures_total{category=\"SIMULATED\"")
          .containsPattern("flink_supervisor_push_events_total\\{.*event=\"JobStatusChangeEvent\"");
      assertThat(events(http, null))
          .extracting(e -> e.get("type").asText())
          .contains("PUSH_STARTED");

      // 2. The sidecar stops: the JobManager runs a new job as before, checkpoints and all, and
      // goes on restarting the failing one.
      sidecar.close();
      sidecar = null;
      int restartsBefore = restarts(jobManager, failing);
      String steady =
          flink.submitDemoJob("--name", "steady", "--checkpoint-interval", "500").toHexString();
      Await.until(
          "the new job to RUNNING with completed checkpoints, no sidecar listening",
          PATIENCE,
          () ->
              jobManager
                          .get("/jobs/" + steady + "/checkpoints", null)
                          .json()
                          .at("/counts/completed")
                          .asInt()
                      >= 2
                  ? true
                  : null);
      Await.until(
          "the failing job to go on restarting",
          PATIENCE,
          () -> restarts(jobManager, failing) > restartsBefore + 1 ? true : null);

      // 3. A sidecar started again hears the JobManager at once and learns what it missed.
      java.time.Instant restartedAt = java.time.Instant.now();
      sidecar = startSidecar(clusterId, jm, tokenFile, pushPort);
      HttpTestClient again = new HttpTestClient(sidecar.apiPort());
      // The record keeps the first sidecar's events: the new one's is the one after its start.
      JsonNode started =
          Await.until(
              "a PUSH_STARTED event telling of events dropped while no sidecar listened",
              PATIENCE,
              () ->
                  events(again, null).stream()
                      .filter(e -> e.get("type").asText().equals("PUSH_STARTED"))
                      .filter(
                          e -> java.time.Instant.parse(e.get("time").asText()).isAfter(restartedAt))
                      .findFirst()
                      .orElse(null));
      assertThat(started.get("message").asText()).containsPattern("dropped [1-9][0-9]* before");
      Await.until(
          "the restarted sidecar to see a status change of the failing job by push",
          PATIENCE,
          () ->
              events(again, failing).stream()
                      .anyMatch(e -> e.get("type").asText().equals("JOB_STATUS_CHANGED"))
                  ? true
                  : null);
      assertThat(again.get("/metrics", null).body())
          .containsPattern("flink_supervisor_push_dropped\\{[^}]*} [1-9]");

      // 4. A savepoint through the sidecar, which looks at savepoints hourly: its record completes
      // because the JobManager pushes its completion.
      JsonNode triggered =
          again.postJson("/api/v1/jobs/" + steady + "/savepoints", TOKEN, "").json();
      String id = triggered.get("id").asText();
      Await.until(
          "the savepoint to complete",
          PATIENCE,
          () ->
              "COMPLETED"
                      .equals(
                          again
                              .get("/api/v1/jobs/" + steady + "/savepoints/" + id, TOKEN)
                              .json()
                              .path("state")
                              .asText())
                  ? true
                  : null);
      Await.until(
          "the savepoint's CheckpointEvent pushed",
          PATIENCE,
          () ->
              again
                      .get("/metrics", null)
                      .body()
                      .matches(
                          "(?s).*flink_supervisor_push_events_total\\{[^}]*event=\"CheckpointEvent\"[^}]*} [1-9].*")
                  ? true
                  : null);
      assertThat(Files.readString(jm.log()))
          .as("the plugins loaded from plugins/, not the classpath")
          .contains("creating it: event-push")
          .contains("creating it: failure-labels")
          .doesNotContain("Error while reporting");
    } catch (AssertionError | Exception e) {
      throw new AssertionError(e.getMessage() + "\n" + flink.logTails(), e);
    }
  }

  private static int restarts(HttpTestClient jobManager, String job) {
    JsonNode metrics = jobManager.get("/jobs/" + job + "/metrics?get=numRestarts", null).json();
    return metrics.isArray() && !metrics.isEmpty() ? metrics.get(0).path("value").asInt(-1) : -1;
  }

  private static List<JsonNode> events(HttpTestClient http, String job) {
    String query = job == null ? "" : "?jobId=" + job;
    JsonNode events = http.get("/api/v1/events" + query, TOKEN).json().get("events");
    return StreamSupport.stream(events.spliterator(), false).toList();
  }
}
