package dev.flinksupervisor.slots;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flinksupervisor.Sidecar;
import dev.flinksupervisor.config.SupervisorOptions;
import dev.flinksupervisor.demo.Await;
import dev.flinksupervisor.testing.DemoJobCounts;
import dev.flinksupervisor.testing.HttpTestClient;
import dev.flinksupervisor.testing.HttpTestClient.Response;
import dev.flinksupervisor.testing.MiniClusterOnKubernetes;
import dev.flinksupervisor.testing.SidecarSettings;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.api.common.JobID;
import org.apache.flink.client.deployment.StandaloneClusterId;
import org.apache.flink.client.program.rest.RestClusterClient;
import org.apache.flink.runtime.rest.messages.EmptyMessageParameters;
import org.apache.flink.runtime.rest.messages.EmptyRequestBody;
import org.apache.flink.runtime.rest.messages.ResourceProfileInfo;
import org.apache.flink.runtime.rest.messages.taskmanager.SlotInfo;
import org.apache.flink.runtime.rest.messages.taskmanager.TaskManagerDetailsHeaders;
import org.apache.flink.runtime.rest.messages.taskmanager.TaskManagerMessageParameters;
import org.apache.flink.runtime.rest.messages.taskmanager.TaskManagersHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slot profiles applied at submission on a real MiniCluster: the slots Flink allocates to the job
 * carry the profile, and a mapping to a group the job does not have is refused.
 */
class SlotProfileITCase {
  private static final String TOKEN = SidecarSettings.OPERATOR_TOKEN;

  @TempDir Path dir;
  private MiniClusterOnKubernetes cluster;
  private Sidecar sidecar;
  private HttpTestClient http;

  @BeforeEach
  void start() throws Exception {
    Path jars = Files.createDirectories(dir.resolve("usrlib"));
    Files.copy(Path.of("target", "demo-job.jar"), jars.resolve("demo-job.jar"));
    cluster = MiniClusterOnKubernetes.start(dir, "slots-it", 4);
    sidecar =
        cluster
            .sidecar()
            .set(SupervisorOptions.JAR_DIRECTORY, jars.toString())
            .setRaw("slot-profiles.small.cpu-cores", "0.5")
            .setRaw("slot-profiles.small.task-heap", "64m")
            .setRaw("slot-profiles.small.managed-memory", "16m")
            .setRaw("slot-profiles.huge.cpu-cores", "1000")
            .setRaw("slot-profiles.huge.task-heap", "64m")
            .setRaw("slot-profiles.medium.cpu-cores", "0.25")
            .setRaw("slot-profiles.medium.task-heap", "96m")
            .setRaw("slot-profiles.medium.managed-memory", "8m")
            .set(SupervisorOptions.UPLOAD_DIRECTORY, dir.resolve("uploads").toString())
            .start();
    http = new HttpTestClient(sidecar.apiPort());
    Await.until(
        "the sidecar to be ready",
        Duration.ofSeconds(60),
        () -> http.get("/readyz", null).status() == 200 ? true : null);
  }

  @AfterEach
  void stop() throws Exception {
    sidecar.close();
    cluster.close();
  }

  private Response submit(String slotProfiles) {
    return http.send(
        HttpRequest.newBuilder(URI.create(http.baseUrl() + "/api/v1/jobs"))
            .header("Authorization", "Bearer " + TOKEN)
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    """
                    {"jarPath": "demo-job.jar", "entryClass": "dev.flinksupervisor.demo.job.DemoJob",
                     "parallelism": 1, "slotProfiles": %s}
                    """
                        .formatted(slotProfiles)))
            .build());
  }

  @Test
  void the_allocated_slots_carry_the_profile_and_unknown_groups_are_refused() throws Exception {
    Response submitted = submit("{\"default\": \"small\"}");
    assertThat(submitted.status()).as(submitted.body()).isEqualTo(202);
    JobID job = JobID.fromHexString(submitted.json().get("jobId").asText());

    ResourceProfileInfo slot =
        Await.until("a slot allocated to the job", Duration.ofSeconds(60), () -> slotOf(job));
    assertThat(slot.getCpu()).isEqualTo(0.5);
    assertThat(slot.getTaskHeapMB()).isEqualTo(64);
    assertThat(slot.getManagedMB()).isEqualTo(16);

    Response refused = submit("{\"no-such-group\": \"small\"}");
    assertThat(refusalOf(refused))
        .contains("no slot-sharing group 'no-such-group'")
        .contains("default");
  }

  @Test
  void a_profile_larger_than_any_taskmanager_is_refused_before_anything_runs() throws Exception {
    // A MiniCluster's TaskManager reports practically unlimited resources; real processes do not.
    Path work = dir.resolve("processes");
    try (var kubernetes = dev.flinksupervisor.testing.TestKubernetes.start(work.resolve("k8s"));
        var flink =
            new dev.flinksupervisor.testing.FlinkProcessCluster(
                work.resolve("flink"),
                kubernetes,
                "slots-fit-" + java.util.UUID.randomUUID().toString().substring(0, 8))) {
      flink.startJobManager();
      flink.startTaskManager();
      String clusterId =
          flink
              .clientConfiguration()
              .get(org.apache.flink.kubernetes.configuration.KubernetesConfigOptions.CLUSTER_ID);
      try (Sidecar processSidecar =
          SidecarSettings.forCluster(kubernetes, clusterId, flink.haStorageDir())
              .set(SupervisorOptions.JAR_DIRECTORY, dir.resolve("usrlib").toString())
              .setRaw("slot-profiles.huge.cpu-cores", "1000")
              .setRaw("slot-profiles.huge.task-heap", "64m")
              .start()) {
        HttpTestClient processApi = new HttpTestClient(processSidecar.apiPort());
        Await.until(
            "a registered TaskManager",
            Duration.ofSeconds(90),
            () ->
                processApi.get("/api/v1/cluster", TOKEN).json().path("taskManagers").asInt() > 0
                    ? true
                    : null);
        http = processApi;
        Await.until(
            "the sidecar to be ready to act",
            Duration.ofSeconds(60),
            () -> processApi.get("/readyz", null).status() == 200 ? true : null);

        Response tooLarge = submit("{\"default\": \"huge\"}");

        assertThat(refusalOf(tooLarge)).contains("larger than any TaskManager");
        assertThat(processApi.get("/api/v1/jobs", TOKEN).json().get("jobs"))
            .as("nothing was deployed")
            .isEmpty();
      }
    }
  }

  /**
   * Why a submission was refused: at once (422, when the sidecar could tell from what it knows of
   * the cluster) or once the job's lane built and checked it (202, then the record REFUSED).
   */
  private String refusalOf(Response submitted) throws Exception {
    if (submitted.status() == 422) {
      assertThat(submitted.json().get("field").asText()).isEqualTo("slotProfiles");
      return submitted.json().get("detail").asText();
    }
    assertThat(submitted.status()).as(submitted.body()).isEqualTo(202);
    String jobId = submitted.json().get("jobId").asText();
    JsonNode refused =
        Await.until(
            "the submission to be refused",
            Duration.ofSeconds(60),
            () -> {
              JsonNode spec = http.get("/api/v1/jobs/" + jobId + "/spec", TOKEN).json();
              return "REFUSED".equals(spec.path("submission").asText()) ? spec : null;
            });
    assertThat(http.get("/api/v1/jobs/" + jobId, TOKEN).status())
        .as("nothing was deployed")
        .isEqualTo(404);
    return refused.get("submissionError").asText();
  }

  private static final String UPLOADED_SPEC =
      """
      {"entryClass": "dev.flinksupervisor.demo.job.DemoJob", "parallelism": 1,
       "args": ["--rate", "100", "--checkpoint-interval", "1000"],
       "slotProfiles": {"default": "small"}}
      """;

  private JsonNode awaitJob(String jobId, String what, java.util.function.Predicate<JsonNode> done)
      throws Exception {
    return Await.until(
        what,
        Duration.ofSeconds(90),
        () -> {
          JsonNode job = http.get("/api/v1/jobs/" + jobId, TOKEN).json();
          return job != null && done.test(job) ? job : null;
        });
  }

  private static boolean runsWithHeap(JsonNode job, long taskHeapMb) {
    JsonNode allocated = job.at("/slots/allocated");
    return "RUNNING".equals(job.path("status").asText())
        && allocated.size() == 1
        && allocated.get(0).get("taskHeapMb").asLong() == taskHeapMb;
  }

  @Test
  void an_uploaded_job_is_reprofiled_from_its_stop_savepoint_and_keeps_its_state()
      throws Exception {
    byte[] jar = Files.readAllBytes(Path.of("target", "demo-job.jar"));
    Response notAJar =
        http.postMultipart(
            "/api/v1/jobs", TOKEN, Map.of("spec", UPLOADED_SPEC), "jar", "hello".getBytes());
    assertThat(notAJar.status()).as(notAJar.body()).isEqualTo(400);
    assertThat(notAJar.json().get("field").asText()).isEqualTo("jar");
    try (var stored = Files.list(dir.resolve("uploads"))) {
      assertThat(stored).as("a refused upload leaves nothing behind").isEmpty();
    }

    Response submitted =
        http.postMultipart("/api/v1/jobs", TOKEN, Map.of("spec", UPLOADED_SPEC), "jar", jar);
    assertThat(submitted.status()).as(submitted.body()).isEqualTo(202);
    assertThat(submitted.json().at("/spec/uploaded").asBoolean()).isTrue();
    String job = submitted.json().get("jobId").asText();
    JsonNode before = awaitJob(job, "the job to run in a small slot", j -> runsWithHeap(j, 64));
    assertThat(before.at("/slots/requested/default/profile").asText()).isEqualTo("small");
    long countBefore =
        DemoJobCounts.awaitAbove(
            cluster.flink().configuration(), JobID.fromHexString(job), 100, Duration.ofSeconds(60));

    HttpResponse<String> refused =
        reprofile(job, "{\"slotProfiles\": {\"default\": \"no-such-profile\"}}");
    assertThat(refused.statusCode()).isEqualTo(400);
    HttpResponse<String> accepted = reprofile(job, "{\"slotProfiles\": {\"default\": \"medium\"}}");
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
    String location = accepted.headers().firstValue("Location").orElseThrow();

    JsonNode done =
        Await.until(
            "the re-profiling to end",
            Duration.ofSeconds(90),
            () -> {
              JsonNode op = http.get(location, TOKEN).json();
              return op.path("endedAt").isMissingNode() ? null : op;
            });
    assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("COMPLETED");
    String rerun = done.get("newJobId").asText();
    JsonNode after =
        awaitJob(rerun, "the job to run again in a medium slot", j -> runsWithHeap(j, 96));
    assertThat(after.at("/slots/requested/default/profile").asText()).isEqualTo("medium");
    assertThat(after.at("/slots/allocated/0/cpuCores").asDouble()).isEqualTo(0.25);
    assertThat(http.get("/api/v1/jobs/" + rerun + "/spec", TOKEN).json().get("previousJobIds"))
        .extracting(JsonNode::asText)
        .containsExactly(job);

    long countAfter =
        DemoJobCounts.awaitAbove(
            cluster.flink().configuration(), JobID.fromHexString(rerun), 0, Duration.ofSeconds(60));
    assertThat(countAfter)
        .as("the job continues from the counts in the stop savepoint, not from zero")
        .isGreaterThanOrEqualTo(countBefore);
    assertThat(
            http.get("/api/v1/events?jobId=" + job, TOKEN)
                .json()
                .get("events")
                .findValuesAsText("type"))
        .contains("REPROFILE_REQUESTED", "REPROFILE_COMPLETED");
  }

  private HttpResponse<String> reprofile(String job, String body) throws Exception {
    String path = "/api/v1/jobs/" + job + "/slot-profiles";
    HttpResponse<String> response =
        java.net.http.HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(http.baseUrl() + path))
                    .header("Authorization", "Bearer " + TOKEN)
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(body))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    dev.flinksupervisor.testing.ApiContract.check("PUT", path, response);
    return response;
  }

  private ResourceProfileInfo slotOf(JobID job) {
    try (RestClusterClient<StandaloneClusterId> client =
        new RestClusterClient<>(
            cluster.flink().configuration(), StandaloneClusterId.getInstance())) {
      var managers =
          client
              .sendRequest(
                  TaskManagersHeaders.getInstance(),
                  EmptyMessageParameters.getInstance(),
                  EmptyRequestBody.getInstance())
              .get()
              .getTaskManagerInfos();
      for (var tm : managers) {
        TaskManagerMessageParameters params = new TaskManagerMessageParameters();
        params.taskManagerIdParameter.resolve(tm.getResourceId());
        java.util.Collection<SlotInfo> slots =
            client
                .sendRequest(
                    TaskManagerDetailsHeaders.getInstance(), params, EmptyRequestBody.getInstance())
                .get()
                .getAllocatedSlots();
        for (SlotInfo s : slots) {
          if (job.equals(s.getJobId())) {
            return s.getResource();
          }
        }
      }
      return null;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
