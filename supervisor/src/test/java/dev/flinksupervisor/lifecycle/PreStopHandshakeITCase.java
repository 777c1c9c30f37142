package dev.flinksupervisor.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.flinksupervisor.demo.Await;
import dev.flinksupervisor.demo.KubernetesApi;
import dev.flinksupervisor.testing.FlinkProcessCluster;
import dev.flinksupervisor.testing.HttpTestClient;
import dev.flinksupervisor.testing.Ports;
import dev.flinksupervisor.testing.SidecarJar;
import dev.flinksupervisor.testing.TestKubernetes;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pod being deleted, with the kubelet's order of events played on real processes: a JobManager
 * and a TaskManager running the example job, and the packaged sidecar. The JobManager container's
 * preStop hook is the command in {@code k8s/native/jobmanager-pod-template.yaml}, run with bash.
 * Whichever way the sidecar runs, the savepoint of the running job is complete on disk and recorded
 * before the JobManager gets its SIGTERM.
 */
class PreStopHandshakeITCase {
  private static final Path POD_TEMPLATE =
      Path.of("..", "k8s", "native", "jobmanager-pod-template.yaml");
  private static final String TEMPLATE_DIRECTORY = "/var/run/flink-supervisor";
  private static final String TOKEN = "pre-stop-token";

  @TempDir Path dir;

  /** An ordinary sidecar container: SIGTERM reaches it at once, while the hook runs. */
  @Test
  void an_ordinary_sidecar_container_holds_the_jobmanager_until_the_savepoint_is_done()
      throws Exception {
    try (Pod pod = Pod.start(dir)) {
      pod.sidecar.destroy(); // SIGTERM to the sidecar container, at the same time as:
      HookResult hook = pod.runPreStop(); // the JobManager container's preStop hook
      pod.jobManagerGetsSigterm();
      assertThat(pod.sidecar.waitFor(60, TimeUnit.SECONDS)).as("sidecar exits").isTrue();
      pod.assertSavepointCompletedBeforeTheJobManagerStopped(hook);
    }
  }

  /** A native sidecar (init container, restartPolicy Always): SIGTERM only after the JobManager. */
  @Test
  void a_native_sidecar_takes_the_savepoint_in_the_hook_and_not_again_on_sigterm()
      throws Exception {
    try (Pod pod = Pod.start(dir)) {
      HookResult hook = pod.runPreStop();
      pod.jobManagerGetsSigterm();
      assertThat(pod.sidecar.isAlive()).as("the sidecar outlives the JobManager").isTrue();
      pod.sidecar.destroy();
      assertThat(pod.sidecar.waitFor(60, TimeUnit.SECONDS)).as("sidecar exits").isTrue();
      pod.assertSavepointCompletedBeforeTheJobManagerStopped(hook);
    }
  }

  /** What was true the moment the preStop hook returned, before the JobManager's SIGTERM. */
  record HookResult(
      int exitCode, boolean jobManagerAlive, List<Path> savepointFiles, String done) {}

  /** The JobManager container and the sidecar container of one pod, as processes. */
  private static final class Pod implements AutoCloseable {
    final Path dir;
    final KubernetesApi kubernetes;
    final FlinkProcessCluster flink;
    final FlinkProcessCluster.JobManager jobManager;
    final String clusterId;
    final JobID jobId;
    final Path handshake;
    final Path savepoints;
    final Path sidecarLog;
    Process sidecar;

    private Pod(Path dir, KubernetesApi kubernetes, FlinkProcessCluster flink, String clusterId)
        throws Exception {
      this.dir = dir;
      this.kubernetes = kubernetes;
      this.flink = flink;
      this.clusterId = clusterId;
      this.handshake = Files.createDirectories(dir.resolve("handshake"));
      this.savepoints = Files.createDirectories(dir.resolve("savepoints"));
      this.sidecarLog = dir.resolve("sidecar.log");
      this.jobManager = flink.startJobManager();
      flink.startTaskManager();
      this.jobId = Await.until("the job to be submitted", Duration.ofSeconds(90), this::submit);
    }

    static Pod start(Path dir) throws Exception {
      String clusterId = "pre-stop-" + UUID.randomUUID().toString().substring(0, 8);
      KubernetesApi kubernetes = TestKubernetes.start(dir.resolve("k8s"));
      FlinkProcessCluster flink =
          new FlinkProcessCluster(dir.resolve("flink"), kubernetes, clusterId);
      Pod pod = new Pod(dir, kubernetes, flink, clusterId);
      pod.startSidecar();
      return pod;
    }

    private JobID submit() {
      try {
        return flink.submitDemoJob("--name", "pre-stop-job");
      } catch (Exception notYet) {
        return null; // the JobManager is not the leader yet
      }
    }

    void startSidecar() throws Exception {
      int port = Ports.free();
      Path config =
          SidecarJar.writeConfig(
              dir.resolve("supervisor.yaml"),
              clusterId,
              kubernetes,
              flink.haStorageDir(),
              port,
              """
              savepoints:
                target-directory: %s
                shutdown-grace: 60s
                handshake-directory: %s
              """
                  .formatted(savepoints.toUri(), handshake));
      sidecar = SidecarJar.start(config, Map.of("SUPERVISOR_ADMIN_TOKEN", TOKEN), sidecarLog);
      HttpTestClient http = new HttpTestClient(port);
      String job = jobId.toHexString();
      Await.until(
          "the sidecar to see the job running",
          Duration.ofSeconds(90),
          () ->
              http.get("/readyz", null).status() == 200
                      && "RUNNING"
                          .equals(
                              http.get("/api/v1/jobs/" + job, TOKEN).json().path("status").asText())
                  ? Boolean.TRUE
                  : null);
      assertThat(handshake.resolve(PreStopHandshake.ALIVE)).exists();
    }

    /** Runs the preStop hook of the pod template, on this pod's handshake directory. */
    HookResult runPreStop() throws Exception {
      JsonNode template = new ObjectMapper(new YAMLFactory()).readTree(POD_TEMPLATE.toFile());
      List<String> command = new ArrayList<>();
      for (JsonNode container : template.path("spec").path("containers")) {
        if (container.path("name").asText().equals("flink-main-container")) {
          container
              .path("lifecycle")
              .path("preStop")
              .path("exec")
              .path("command")
              .forEach(
                  c -> command.add(c.asText().replace(TEMPLATE_DIRECTORY, handshake.toString())));
        }
      }
      assertThat(command).as("the preStop hook's command").hasSize(3).startsWith("/bin/bash");
      Process hook =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("pre-stop.log").toFile())
              .start();
      assertThat(hook.waitFor(90, TimeUnit.SECONDS)).as("the preStop hook returns").isTrue();
      boolean alive = jobManager.process().isAlive();
      List<Path> files;
      try (Stream<Path> walk = Files.walk(savepoints)) {
        files = walk.filter(p -> p.getFileName().toString().equals("_metadata")).toList();
      }
      Path done = handshake.resolve(PreStopHandshake.DONE);
      return new HookResult(
          hook.exitValue(), alive, files, Files.exists(done) ? Files.readString(done) : "");
    }

    void jobManagerGetsSigterm() throws InterruptedException {
      jobManager.process().destroy();
      assertThat(jobManager.process().waitFor(60, TimeUnit.SECONDS))
          .as("the JobManager exits on SIGTERM")
          .isTrue();
    }

    void assertSavepointCompletedBeforeTheJobManagerStopped(HookResult hook) throws Exception {
      try {
        assertThat(hook.exitCode()).isZero();
        assertThat(hook.jobManagerAlive()).as("JobManager running when the hook returned").isTrue();
        assertThat(hook.done()).contains("job " + jobId.toHexString()).contains("COMPLETED");
        assertThat(hook.savepointFiles()).as("savepoint _metadata on disk").hasSize(1);
        JsonNode records = SidecarJar.savepointRecords(kubernetes, clusterId);
        assertThat(records).as("one savepoint, not one per stop signal").hasSize(1);
        JsonNode savepoint = records.get(0);
        assertThat(savepoint.get("origin").asText()).isEqualTo("SHUTDOWN");
        assertThat(savepoint.get("state").asText()).isEqualTo("COMPLETED");
        assertThat(savepoint.get("jobId").asText()).isEqualTo(jobId.toHexString());
        assertThat(Path.of(URI.create(savepoint.get("path").asText())).resolve("_metadata"))
            .isEqualTo(hook.savepointFiles().get(0));
      } catch (AssertionError | Exception e) {
        throw new AssertionError(e.getMessage() + "\n" + logs(), e);
      }
    }

    private String logs() throws IOException {
      return "Sidecar log:\n"
          + (Files.exists(sidecarLog) ? Files.readString(sidecarLog) : "(none)")
          + "\npreStop hook:\n"
          + (Files.exists(dir.resolve("pre-stop.log"))
              ? Files.readString(dir.resolve("pre-stop.log"))
              : "(not run)")
          + "\n"
          + flink.logTails();
    }

    @Override
    public void close() {
      if (sidecar != null) {
        sidecar.destroyForcibly();
      }
      flink.close();
      kubernetes.close();
    }
  }
}
