package dev.flinksupervisor.slots;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinksupervisor.Sidecar;
import dev.flinksupervisor.config.SupervisorOptions;
import dev.flinksupervisor.demo.Await;
import dev.flinksupervisor.testing.HttpTestClient;
import dev.flinksupervisor.testing.HttpTestClient.Response;
import dev.flinksupervisor.testing.MiniClusterOnKubernetes;
import dev.flinksupervisor.testing.SidecarSettings;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
            .start();
    http = new HttpTestClient(sidecar.apiPort());
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
    assertThat(refused.status()).isEqualTo(422);
    assertThat(refused.json().get("detail").asText())
        .contains("no slot-sharing group 'no-such-group'")
        .contains("default");
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
