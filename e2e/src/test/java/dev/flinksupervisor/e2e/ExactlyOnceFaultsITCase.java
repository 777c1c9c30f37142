package dev.flinksupervisor.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flinksupervisor.Sidecar;
import dev.flinksupervisor.config.SupervisorOptions;
import dev.flinksupervisor.demo.Await;
import dev.flinksupervisor.demo.KubernetesApi;
import dev.flinksupervisor.pipeline.OutputCheck;
import dev.flinksupervisor.testing.FlinkProcessCluster;
import dev.flinksupervisor.testing.FlinkProcessCluster.JobManager;
import dev.flinksupervisor.testing.HttpTestClient;
import dev.flinksupervisor.testing.SidecarSettings;
import dev.flinksupervisor.testing.TestKubernetes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The product on what users run: an exactly-once Kafka pipeline ({@code pipeline-job}) on real
 * JobManager and TaskManager processes with Kubernetes HA, submitted through the sidecar and
 * supervised by two sidecars (ACTIVE and STANDBY) taking savepoints every few seconds, through
 * faults: a job failure the sidecar recovers from the newest state, a TaskManager killed with
 * SIGKILL, and the leading JobManager killed with SIGKILL. At the end every input record is in the
 * committed output exactly once, each key's counts run without a gap or a repeat, and the record of
 * the sidecars is consistent.
 */
class ExactlyOnceFaultsITCase {
  private static final String TOKEN = SidecarSettings.OPERATOR_TOKEN;
  private static final Duration PATIENCE = Duration.ofSeconds(120);
  private static final String FAIL_KEY = "fail-once";

  @TempDir Path workDir;
  private TestKafka kafka;
  private KubernetesApi kubernetes;
  private FlinkProcessCluster flink;
  private final Map<JobManager, Sidecar> sidecars = new HashMap<>();
  private SequenceProducer producer;
  private CommittedOutput output;

  @AfterEach
  void stop() {
    if (producer != null) {
      producer.close();
    }
    if (output != null) {
      output.close();
    }
    sidecars.values().forEach(Sidecar::close);
    if (flink != null) {
      flink.close();
    }
    if (kubernetes != null) {
      kubernetes.close();
    }
    if (kafka != null) {
      kafka.close();
    }
  }

  private HttpTestClient sidecarBeside(JobManager jm, String clusterId) throws Exception {
    Sidecar sidecar =
        SidecarSettings.forCluster(kubernetes, clusterId, flink.haStorageDir())
            .set(SupervisorOptions.OWN_ADDRESS, jm.ownAddress())
            .set(SupervisorOptions.SAVEPOINT_INTERVAL, "3s")
            .set(SupervisorOptions.SAVEPOINT_RETAIN_COUNT, "1000")
            .set(SupervisorOptions.JAR_DIRECTORY, pipelineJar().getParent().toString())
            // Two slot sizes: the job moves from two small slots to two smaller ones, which fit
            // beside the small ones on the TaskManager, whatever it last reported as free.
            .setRaw("slot-profiles.small.cpu-cores", "0.5")
            .setRaw("slot-profiles.small.task-heap", "64m")
            .setRaw("slot-profiles.small.managed-memory", "16m")
            .setRaw("slot-profiles.smaller.cpu-cores", "0.25")
            .setRaw("slot-profiles.smaller.task-heap", "32m")
            .setRaw("slot-profiles.smaller.managed-memory", "8m")
            .start();
    sidecars.put(jm, sidecar);
    return new HttpTestClient(sidecar.apiPort());
  }

  private static Path pipelineJar() {
    Path jar = Path.of("..", "pipeline-job", "target", "pipeline-job.jar").toAbsolutePath();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing; build the pipeline-job module first");
    }
    return jar.normalize();
  }

  @Test
  void every_record_is_committed_exactly_once_through_failures_and_failovers() throws Exception {
    kafka = TestKafka.start(workDir);
    kafka.createTopics(2, "input", "output");
    String clusterId = "e2e-" + UUID.randomUUID().toString().substring(0, 8);
    kubernetes = TestKubernetes.start(workDir.resolve("k8s"));
    flink = new FlinkProcessCluster(workDir.resolve("flink"), kubernetes, clusterId);
    JobManager first = flink.startJobManager();
    JobManager second = flink.startJobManager();
    Process taskManager = flink.startTaskManager();
    Map<JobManager, HttpTestClient> apis = new HashMap<>();
    apis.put(first, sidecarBeside(first, clusterId));
    apis.put(second, sidecarBeside(second, clusterId));
    List<String> faults = new ArrayList<>();
    try {
      JobManager leader = awaitLeader(apis);
      HttpTestClient active = apis.get(leader);

      producer = new SequenceProducer(kafka.bootstrapServers(), "input", 4, 80);
      output = new CommittedOutput(kafka.bootstrapServers(), "output");
      Path marker = workDir.resolve("failed-once");
      HttpTestClient.Response submitted =
          active.postJson(
              "/api/v1/jobs",
              TOKEN,
              """
              {"jarPath": "pipeline-job.jar",
               "entryClass": "dev.flinksupervisor.pipeline.ExactlyOncePipeline",
               "args": ["--bootstrap-servers", "%s", "--checkpoint-interval", "1000",
                        "--restart-strategy", "none",
                        "--fail-once-on-key", "%s", "--fail-once-marker", "%s"],
               "parallelism": 2,
               "slotProfiles": {"default": "small"},
               "recovery": {"mode": "RESTART_FROM_LATEST", "maxAttempts": 10,
                            "backoff": "PT1S", "maxStateAge": "P1D"}}
              """
                  .formatted(kafka.bootstrapServers(), FAIL_KEY, marker));
      assertThat(submitted.status()).as(submitted.body()).isEqualTo(202);
      awaitOutputGrows("the pipeline to commit output", 200);
      awaitCompletedSavepoint(active);

      // 1. The job fails (restart strategy none): the sidecar restarts it from the newest state.
      faults.add("job failure");
      producer.sendOne(FAIL_KEY);
      Await.until(
          "the sidecar to recover the failed job",
          PATIENCE,
          () -> hasEvent(active, "RECOVERY_STARTED") ? true : null);
      awaitOutputGrows("output after the recovery", 200);

      // 2. A TaskManager dies: the job fails, and is recovered once a new TaskManager is up.
      faults.add("TaskManager killed");
      taskManager.destroyForcibly();
      taskManager.waitFor();
      flink.startTaskManager();
      awaitOutputGrows("output after the TaskManager's death", 200);

      // 3. The leading JobManager dies: the standby takes over, and so does its sidecar.
      faults.add("leading JobManager killed");
      flink.kill(leader);
      sidecars.remove(leader).close();
      JobManager standby = leader == first ? second : first;
      HttpTestClient newActive = apis.get(standby);
      final HttpTestClient followed = newActive;
      Await.until(
          "the sidecar beside the new leader to be ACTIVE",
          PATIENCE,
          () ->
              "ACTIVE".equals(followed.get("/api/v1/cluster", TOKEN).json().path("role").asText())
                  ? true
                  : null);
      awaitOutputGrows("output after the failover", 200);
      awaitCompletedSavepoint(newActive);

      // 4. The ACTIVE sidecar dies with a savepoint in flight: the one started in its place
      // finds it in the record and sees it through, without triggering it again.
      faults.add("active sidecar killed during a savepoint");
      String job = runningJob(newActive);
      // A scheduled savepoint may be in flight (one at a time per job): asked again until taken.
      HttpTestClient.Response inFlight =
          Await.until(
              "a savepoint request to be taken",
              PATIENCE,
              () -> {
                HttpTestClient.Response r =
                    followed.postJson("/api/v1/jobs/" + job + "/savepoints", TOKEN, "");
                assertThat(r.status()).as(r.body()).isIn(202, 409);
                return r.status() == 202 ? r : null;
              });
      String savepointId = inFlight.json().get("id").asText();
      // Once the trigger is sent (IN_PROGRESS), the sidecar dies.
      String stateAtDeath =
          Await.until(
              "the savepoint's trigger to be sent",
              PATIENCE,
              () -> {
                String state =
                    followed
                        .get("/api/v1/jobs/" + job + "/savepoints/" + savepointId, TOKEN)
                        .json()
                        .path("state")
                        .asText();
                return state.equals("IN_PROGRESS") || state.equals("COMPLETED") ? state : null;
              });
      sidecars.remove(standby).close();
      System.out.println("The ACTIVE sidecar died with its savepoint " + stateAtDeath);
      HttpTestClient replacement = sidecarBeside(standby, clusterId);
      JsonNode seenThrough =
          Await.until(
              "the replacement sidecar to see the savepoint through",
              PATIENCE,
              () -> {
                HttpTestClient.Response r =
                    replacement.get("/api/v1/jobs/" + job + "/savepoints/" + savepointId, TOKEN);
                return r.status() == 200 && r.json().path("state").asText().equals("COMPLETED")
                    ? r.json()
                    : null;
              });
      assertThat(seenThrough.get("attempts").asInt()).as("triggered once").isEqualTo(1);

      // 5. The Kubernetes API goes away for a while and comes back.
      if (kubernetes instanceof dev.flinksupervisor.demo.EmbeddedKubernetes api) {
        faults.add("Kubernetes API stopped and started");
        api.stop();
        try {
          // For 3 s without the API, the sidecar stays up and answers.
          dev.flinksupervisor.testing.Holds.forAtLeast(
              Duration.ofSeconds(3),
              () -> assertThat(replacement.get("/healthz", null).status()).isEqualTo(200));
        } finally {
          api.restart();
        }
        awaitOutputGrows("output after the Kubernetes API outage", 200);
      } else {
        System.out.println("Kubernetes API outage skipped: a real cluster cannot be stopped here");
      }

      // 6. Re-profiled through the admin API: stopped with a savepoint, resubmitted from it.
      faults.add("re-profiled");
      String before = runningJob(replacement);
      HttpTestClient.Response reprofile =
          replacement.send(
              java.net.http.HttpRequest.newBuilder(
                      java.net.URI.create(
                          replacement.baseUrl() + "/api/v1/jobs/" + before + "/slot-profiles"))
                  .header("Authorization", "Bearer " + TOKEN)
                  .header("Content-Type", "application/json")
                  .PUT(
                      java.net.http.HttpRequest.BodyPublishers.ofString(
                          "{\"slotProfiles\": {\"default\": \"smaller\"}}"))
                  .build());
      assertThat(reprofile.status()).as(reprofile.body()).isEqualTo(202);
      Await.until(
          "the re-profiling to complete",
          PATIENCE,
          () -> {
            assertThat(hasEvent(replacement, "REPROFILE_FAILED"))
                .as("the re-profiling failed")
                .isFalse();
            return hasEvent(replacement, "REPROFILE_COMPLETED") ? true : null;
          });
      awaitOutputGrows("output after the re-profiling", 200);
      newActive = replacement;

      // The end: every record produced is committed exactly once, its count right.
      Map<String, Long> produced = producer.stop();
      long expected = producer.total();
      Await.until(
          "all " + expected + " records in the committed output",
          PATIENCE,
          () -> output.size() >= expected ? true : null);
      OutputCheck check = OutputCheck.of(produced, output.records());
      System.out.printf(
          "Exactly once through %s: %d produced, %d committed, lost %d, duplicated %d, wrong"
              + " counts %d, unexpected %d%n",
          faults,
          expected,
          check.records(),
          check.lost(),
          check.duplicated(),
          check.wrongCounts(),
          check.unexpected());
      assertThat(check.exactlyOnce()).as(check.examples().toString()).isTrue();

      // The record: each trigger sent once, and every fault visible as events with reasons.
      List<JsonNode> savepoints = savepointsOf(newActive);
      assertThat(savepoints.stream().map(r -> r.get("triggerId").asText()).distinct().count())
          .as("each trigger id once")
          .isEqualTo(savepoints.size());
      long completed =
          savepoints.stream().filter(r -> r.get("state").asText().equals("COMPLETED")).count();
      long maybeWritten =
          savepoints.stream().filter(r -> !r.get("state").asText().equals("FAILED")).count();
      assertThat(savepointsOnDisk())
          .as("every savepoint on disk belongs to a record")
          .isBetween(completed, maybeWritten);
      List<String> types = events(newActive).stream().map(e -> e.get("type").asText()).toList();
      assertThat(types)
          .contains(
              "RECOVERY_STARTED", "LEADER_CHANGED", "SAVEPOINT_COMPLETED", "REPROFILE_COMPLETED");
    } catch (AssertionError | Exception e) {
      keepLogs();
      StringBuilder seen = new StringBuilder();
      for (Sidecar s : sidecars.values()) {
        try {
          new HttpTestClient(s.apiPort())
              .get("/api/v1/events", TOKEN)
              .json()
              .get("events")
              .forEach(
                  ev ->
                      seen.append(ev.get("type").asText())
                          .append(": ")
                          .append(ev.get("message").asText())
                          .append('\n'));
        } catch (RuntimeException unreadable) {
          seen.append("(events unreadable: ").append(unreadable).append(")\n");
        }
      }
      throw new AssertionError(
          e.getMessage()
              + "\nfaults so far: "
              + faults
              + "\nthe sidecars' events, newest first:\n"
              + seen
              + flink.logTails(),
          e);
    }
  }

  /** The processes' logs, kept under target/e2e-logs when the test fails. */
  private void keepLogs() {
    Path kept = Path.of("target", "e2e-logs");
    try (var files = Files.walk(workDir)) {
      Files.createDirectories(kept);
      for (Path log :
          files
              .filter(p -> p.toString().endsWith(".log") && !p.toString().contains("/data/"))
              .toList()) {
        Files.copy(
            log,
            kept.resolve(workDir.relativize(log).toString().replace('/', '_')),
            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (java.io.IOException e) {
      System.err.println("Could not keep the logs: " + e);
    }
  }

  private JobManager awaitLeader(Map<JobManager, HttpTestClient> apis) throws Exception {
    return Await.until(
        "one sidecar to be ACTIVE beside the leader",
        PATIENCE,
        () -> {
          for (Map.Entry<JobManager, HttpTestClient> e : apis.entrySet()) {
            if ("ACTIVE"
                .equals(e.getValue().get("/api/v1/cluster", TOKEN).json().path("role").asText())) {
              return e.getKey();
            }
          }
          return null;
        });
  }

  private void awaitOutputGrows(String what, int records) throws Exception {
    int before = output.size();
    Await.until(what, PATIENCE, () -> output.size() >= before + records ? true : null);
  }

  private void awaitCompletedSavepoint(HttpTestClient sidecar) throws Exception {
    Await.until(
        "a completed savepoint",
        PATIENCE,
        () ->
            savepointsOf(sidecar).stream()
                    .anyMatch(r -> r.get("state").asText().equals("COMPLETED"))
                ? true
                : null);
  }

  /**
   * The savepoint records of every run of the pipeline: the runs the JobManager lists, and the
   * earlier ones their specs name (a JobManager that took over no longer lists the runs before it).
   */
  private static List<JsonNode> savepointsOf(HttpTestClient sidecar) {
    java.util.Set<String> runs = new java.util.LinkedHashSet<>();
    for (JsonNode job : sidecar.get("/api/v1/jobs", TOKEN).json().get("jobs")) {
      String id = job.get("id").asText();
      runs.add(id);
      HttpTestClient.Response spec = sidecar.get("/api/v1/jobs/" + id + "/spec", TOKEN);
      if (spec.status() == 200) {
        spec.json().path("previousJobIds").forEach(previous -> runs.add(previous.asText()));
      }
    }
    List<JsonNode> all = new ArrayList<>();
    for (String run : runs) {
      HttpTestClient.Response list = sidecar.get("/api/v1/jobs/" + run + "/savepoints", TOKEN);
      if (list.status() == 200) {
        list.json().get("savepoints").forEach(all::add);
      }
    }
    return all;
  }

  /** Savepoints Flink wrote (a directory with {@code _metadata}) in the cluster's directory. */
  private long savepointsOnDisk() throws java.io.IOException {
    Path dir = workDir.resolve("flink").resolve("savepoints");
    if (!Files.exists(dir)) {
      return 0;
    }
    try (var entries = Files.list(dir)) {
      return entries.filter(p -> Files.exists(p.resolve("_metadata"))).count();
    }
  }

  /** The id of the pipeline's RUNNING run, as the sidecar lists it. */
  private static String runningJob(HttpTestClient sidecar) throws Exception {
    return Await.until(
        "a RUNNING run of the pipeline",
        PATIENCE,
        () -> {
          for (JsonNode j : sidecar.get("/api/v1/jobs", TOKEN).json().get("jobs")) {
            if (j.path("status").asText().equals("RUNNING")) {
              return j.get("id").asText();
            }
          }
          return null;
        });
  }

  private static boolean hasEvent(HttpTestClient sidecar, String type) {
    return events(sidecar).stream().anyMatch(e -> e.get("type").asText().equals(type));
  }

  private static List<JsonNode> events(HttpTestClient sidecar) {
    JsonNode events = sidecar.get("/api/v1/events", TOKEN).json().get("events");
    return StreamSupport.stream(events.spliterator(), false).toList();
  }
}
