package dev.flinksupervisor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flinksupervisor.demo.Await;
import dev.flinksupervisor.demo.EmbeddedFlink;
import dev.flinksupervisor.demo.KubernetesApi;
import dev.flinksupervisor.testing.HttpTestClient;
import dev.flinksupervisor.testing.Ports;
import dev.flinksupervisor.testing.SidecarJar;
import dev.flinksupervisor.testing.SidecarSettings;
import dev.flinksupervisor.testing.TestKubernetes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.HighAvailabilityOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged sidecar, {@code java -jar target/flink-supervisor.jar run --config FILE}, as its own
 * process: configuration errors stop it with the option's name, and a valid configuration makes it
 * follow a Flink cluster with Kubernetes HA and stop cleanly on SIGTERM.
 */
class SidecarProcessITCase {
  @TempDir Path dir;

  private Process start(Path config, Map<String, String> env, Path log) throws IOException {
    return SidecarJar.start(config, env, log);
  }

  @Test
  void the_sidecars_jar_carries_no_demo_and_says_where_the_demo_is() throws Exception {
    try (java.util.jar.JarFile jar = new java.util.jar.JarFile(SidecarJar.JAR.toFile())) {
      assertThat(jar.stream().map(java.util.jar.JarEntry::getName))
          .as("no demo classes, no embedded Kubernetes API")
          .noneMatch(n -> n.startsWith("dev/flinksupervisor/demo/"))
          .noneMatch(n -> n.startsWith("io/fabric8/kubernetes/client/server/mock/"))
          .noneMatch(n -> n.startsWith("io/fabric8/mockwebserver/"))
          .as("one Kubernetes client: the one shaded into flink-kubernetes")
          .noneMatch(n -> n.startsWith("io/fabric8/"))
          .noneMatch(n -> n.startsWith("io/vertx/"))
          .anyMatch(
              n -> n.startsWith("org/apache/flink/kubernetes/shaded/io/fabric8/kubernetes/client/"))
          .anyMatch(n -> n.equals("dev/flinksupervisor/Sidecar.class"));
    }
    try (java.util.jar.JarFile demo =
        new java.util.jar.JarFile(Path.of("target", "flink-supervisor-demo.jar").toFile())) {
      assertThat(demo.getManifest().getMainAttributes().getValue("Main-Class"))
          .isEqualTo("dev.flinksupervisor.demo.DemoMain");
    }
    Path log = dir.resolve("demo.log");
    Process process =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                SidecarJar.JAR.toString(),
                "demo")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();

    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isEqualTo(2);
    assertThat(Files.readString(log)).contains("flink-supervisor-demo.jar");
  }

  @Test
  void started_while_the_kubernetes_api_does_not_answer_it_stays_up_and_says_why_it_is_not_ready()
      throws Exception {
    Path kubeconfig = dir.resolve("unreachable-kubeconfig");
    Files.writeString(
        kubeconfig,
        """
        apiVersion: v1
        kind: Config
        clusters:
        - name: away
          cluster:
            server: http://127.0.0.1:1
        contexts:
        - name: away
          context:
            cluster: away
            user: away
        current-context: away
        users:
        - name: away
          user:
            token: t
        """);
    int port = Ports.free();
    Path config =
        SidecarJar.writeConfig(
            dir.resolve("away.yaml"),
            "away",
            "default",
            kubeconfig,
            dir.resolve("ha").toUri().toString(),
            port,
            "");
    Path log = dir.resolve("away.log");
    Process process = start(config, Map.of("SUPERVISOR_ADMIN_TOKEN", "t"), log);
    try {
      HttpTestClient http = new HttpTestClient(port);
      Await.until(
          "the sidecar to answer /healthz",
          Duration.ofSeconds(60),
          () -> {
            try {
              return http.get("/healthz", null).status() == 200 ? Boolean.TRUE : null;
            } catch (RuntimeException notYet) {
              return null;
            }
          });
      // Past the point where Flink's HA services first give up on the API (about 20 s): still up.
      Await.until(
          "Flink's HA services to fail once and be tried again",
          Duration.ofSeconds(90),
          () -> {
            try {
              return Files.readString(log).contains("trying again") ? Boolean.TRUE : null;
            } catch (IOException notYet) {
              return null;
            }
          });
      assertThat(process.isAlive()).isTrue();
      assertThat(http.get("/healthz", null).status()).isEqualTo(200);
      HttpTestClient.Response ready = http.get("/readyz", null);
      assertThat(ready.status()).isEqualTo(503);
      assertThat(ready.json().path("reason").asText()).contains("has not been read yet");
    } catch (AssertionError | Exception e) {
      throw new AssertionError(e.getMessage() + "\nSidecar log:\n" + Files.readString(log), e);
    } finally {
      process.destroyForcibly();
    }
  }

  @Test
  void an_unknown_option_stops_the_start_with_its_name() throws Exception {
    Path config = dir.resolve("bad.yaml");
    Files.writeString(config, "kubernetes.cluster-id: x\nsupervision.pol-interval: 1s\n");
    Path log = dir.resolve("bad.log");

    Process process = start(config, Map.of(), log);

    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isEqualTo(2);
    assertThat(Files.readString(log))
        .contains("Configuration error")
        .contains("Unknown option 'supervision.pol-interval'");
  }

  @Test
  void an_invalid_environment_value_stops_the_start_with_its_name() throws Exception {
    Path config = dir.resolve("env.yaml");
    Files.writeString(
        config, "kubernetes.cluster-id: x\nhigh-availability.storageDir: file:///tmp/ha\n");
    Path log = dir.resolve("env.log");

    Process process =
        start(config, Map.of("SUPERVISOR_ADMIN_TOKEN", "t", "SUPERVISOR_API_PORT", "eighty"), log);

    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isEqualTo(2);
    assertThat(Files.readString(log)).contains("'api.port'").contains("whole number");
  }

  @Test
  void the_sidecar_follows_a_cluster_and_stops_on_sigterm() throws Exception {
    String clusterId = "process-it-" + UUID.randomUUID().toString().substring(0, 8);
    int port = Ports.free();
    try (KubernetesApi kubernetes = TestKubernetes.start(dir.resolve("k8s"));
        EmbeddedFlink flink =
            EmbeddedFlink.start(
                EmbeddedFlink.haConfiguration(
                    clusterId,
                    kubernetes.namespace(),
                    kubernetes.kubeconfig(),
                    dir.resolve("flink")),
                2)) {
      JobID jobId = flink.submitDemoJob("--name", "process-job");
      Path config = writeConfig(clusterId, kubernetes, flink, port);
      Path log = dir.resolve("sidecar.log");
      Process process = start(config, Map.of("SUPERVISOR_ADMIN_TOKEN", "env-token"), log);
      try {
        HttpTestClient http = new HttpTestClient(port);
        Await.until(
            "the sidecar process to be ready",
            Duration.ofSeconds(60),
            () -> http.get("/readyz", null).status() == 200 ? Boolean.TRUE : null);
        JsonNode jobs = http.get("/api/v1/jobs", "env-token").json().get("jobs");
        assertThat(jobs).hasSize(1);
        assertThat(jobs.get(0).get("id").asText()).isEqualTo(jobId.toHexString());
        assertThat(jobs.get(0).get("name").asText()).isEqualTo("process-job");

        process.destroy(); // SIGTERM, as Kubernetes stops a container
        assertThat(process.waitFor(60, TimeUnit.SECONDS))
            .as("the sidecar exits after SIGTERM")
            .isTrue();
        // Before it exited, it took a savepoint of the running job and recorded the outcome.
        JsonNode savepoints = SidecarJar.savepointRecords(kubernetes, clusterId);
        assertThat(savepoints).hasSize(1);
        assertThat(savepoints.get(0).get("origin").asText()).isEqualTo("SHUTDOWN");
        assertThat(savepoints.get(0).get("state").asText()).isEqualTo("COMPLETED");
        assertThat(savepoints.get(0).get("jobId").asText()).isEqualTo(jobId.toHexString());
      } catch (AssertionError | Exception e) {
        throw new AssertionError(e.getMessage() + "\nSidecar log:\n" + Files.readString(log), e);
      } finally {
        process.destroyForcibly();
      }
      flink.cancelAndAwaitCleanup(jobId, kubernetes, Duration.ofSeconds(30));
    }
  }

  private Path writeConfig(
      String clusterId, KubernetesApi kubernetes, EmbeddedFlink flink, int port)
      throws IOException {
    return SidecarJar.writeConfig(
        dir.resolve("supervisor.yaml"),
        clusterId,
        kubernetes,
        flink.configuration().get(HighAvailabilityOptions.HA_STORAGE_PATH),
        port,
        "");
  }

  @Test
  void a_savepoint_in_flight_when_the_sidecar_is_killed_is_completed_by_the_next_one()
      throws Exception {
    String clusterId = "process-kill-" + UUID.randomUUID().toString().substring(0, 8);
    int port = Ports.free();
    try (KubernetesApi kubernetes = TestKubernetes.start(dir.resolve("k8s"));
        EmbeddedFlink flink =
            EmbeddedFlink.start(
                EmbeddedFlink.haConfiguration(
                    clusterId,
                    kubernetes.namespace(),
                    kubernetes.kubeconfig(),
                    dir.resolve("flink")),
                2)) {
      // Back-pressured: the savepoint barrier waits behind buffered records for seconds.
      JobID jobId =
          flink.submitDemoJob(
              "--rate", "500", "--process-delay-ms", "5", "--checkpoint-interval", "600000");
      String job = jobId.toHexString();
      Path log = dir.resolve("killed.log");
      Process process =
          start(
              writeConfig(clusterId, kubernetes, flink, port),
              Map.of("SUPERVISOR_ADMIN_TOKEN", "t"),
              log);
      String id;
      String triggerId;
      try {
        HttpTestClient http = new HttpTestClient(port);
        Await.until(
            "the job to run",
            Duration.ofSeconds(60),
            () ->
                "RUNNING"
                        .equals(http.get("/api/v1/jobs/" + job, "t").json().path("status").asText())
                    ? Boolean.TRUE
                    : null);
        HttpTestClient.Response triggered =
            http.send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(http.baseUrl() + "/api/v1/jobs/" + job + "/savepoints"))
                    .header("Authorization", "Bearer t")
                    .POST(java.net.http.HttpRequest.BodyPublishers.noBody())
                    .build());
        assertThat(triggered.status()).isEqualTo(202);
        assertThat(triggered.json().get("state").asText()).isEqualTo("TRIGGER_PENDING");
        id = triggered.json().get("id").asText();
        triggerId = triggered.json().get("triggerId").asText();
        // Killed once the record says the trigger was sent (IN_PROGRESS), as a sidecar would be.
        try (var client = kubernetes.client()) {
          Await.until(
              "the record to show the savepoint IN_PROGRESS",
              Duration.ofSeconds(30),
              () -> {
                var map =
                    client
                        .configMaps()
                        .inNamespace(kubernetes.namespace())
                        .withName(clusterId + "-supervisor")
                        .get();
                String savepoints = map == null ? "" : map.getData().get("savepoints.json");
                return savepoints != null && savepoints.contains("\"state\":\"IN_PROGRESS\"")
                    ? true
                    : null;
              });
        }
      } finally {
        process.destroyForcibly(); // SIGKILL: no shutdown hook, no last flush
        process.waitFor(30, TimeUnit.SECONDS);
      }

      try (Sidecar next =
          SidecarSettings.forCluster(
                  kubernetes,
                  clusterId,
                  flink.configuration().get(HighAvailabilityOptions.HA_STORAGE_PATH))
              .start()) {
        HttpTestClient http = new HttpTestClient(next.apiPort());
        JsonNode done =
            Await.until(
                "the savepoint to complete under the next sidecar",
                // Its barrier waits behind up to ~80 s of backlog at 200 records/s.
                Duration.ofSeconds(120),
                () -> {
                  JsonNode r =
                      http.get(
                              "/api/v1/jobs/" + job + "/savepoints/" + id,
                              SidecarSettings.OPERATOR_TOKEN)
                          .json();
                  return "COMPLETED".equals(r.path("state").asText()) ? r : null;
                });
        assertThat(done.get("triggerId").asText()).as("not triggered again").isEqualTo(triggerId);
        assertThat(done.get("attempts").asInt()).isEqualTo(1);
      }
      flink.cancelAndAwaitCleanup(jobId, kubernetes, Duration.ofSeconds(30));
    }
  }
}
