package dev.flinksupervisor.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flinksupervisor.Sidecar;
import dev.flinksupervisor.config.SupervisorOptions;
import dev.flinksupervisor.demo.Await;
import dev.flinksupervisor.demo.EmbeddedFlink;
import dev.flinksupervisor.testing.FaultyKubernetes;
import dev.flinksupervisor.testing.Holds;
import dev.flinksupervisor.testing.HttpTestClient;
import dev.flinksupervisor.testing.HttpTestClient.Response;
import dev.flinksupervisor.testing.MiniClusterOnKubernetes;
import dev.flinksupervisor.testing.SidecarSettings;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.api.common.JobID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sidecar's record under faults of the Kubernetes API, injected at fabric8's mock API server in
 * front of a real MiniCluster with Kubernetes HA; every test asserts on the ConfigMap afterwards.
 */
class RecordFaultsITCase {
  private static final String TOKEN = SidecarSettings.OPERATOR_TOKEN;
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  @TempDir Path dir;
  private FaultyKubernetes kubernetes;
  private MiniClusterOnKubernetes cluster;
  private EmbeddedFlink flink;
  private KubernetesClient client;
  private final List<Sidecar> sidecars = new ArrayList<>();
  private String recordPath;

  @BeforeEach
  void start() throws Exception {
    String kubeconfig = System.getenv("KUBECONFIG");
    Assumptions.assumeTrue(
        kubeconfig == null || kubeconfig.isBlank(),
        "Faults are injected at the embedded mock API server only; KUBECONFIG is set");
    kubernetes = new FaultyKubernetes(dir.resolve("k8s"), "default");
    cluster = MiniClusterOnKubernetes.start(dir, "record-faults", 4, kubernetes);
    flink = cluster.flink();
    client = kubernetes.observer();
    recordPath = "/configmaps/" + cluster.clusterId() + "-supervisor";
  }

  @AfterEach
  void stop() throws Exception {
    for (Sidecar s : sidecars) {
      s.close();
    }
    if (client != null) {
      client.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  private HttpTestClient sidecar() throws Exception {
    Sidecar sidecar =
        cluster
            .sidecar()
            .set(SupervisorOptions.LEDGER_WRITE_TIMEOUT, "2s")
            .set(SupervisorOptions.KUBERNETES_REQUEST_TIMEOUT, "2s")
            .start();
    sidecars.add(sidecar);
    return new HttpTestClient(sidecar.apiPort());
  }

  private static void awaitReady(HttpTestClient http) throws Exception {
    Await.until(
        "the sidecar to be ready",
        PATIENCE,
        () -> http.get("/readyz", null).status() == 200 ? true : null);
  }

  private ConfigMap record() {
    return client
        .configMaps()
        .inNamespace(kubernetes.namespace())
        .withName(cluster.clusterId() + "-supervisor")
        .get();
  }

  private static Response post(HttpTestClient http, String path, String json) {
    return http.send(
        HttpRequest.newBuilder(URI.create(http.baseUrl() + path))
            .header("Authorization", "Bearer " + TOKEN)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build());
  }

  /** Takes a savepoint through the sidecar and waits until it completed; returns its id. */
  private static String savepoint(HttpTestClient http, String job) throws Exception {
    Response r =
        Await.until(
            "the savepoint request to be taken",
            PATIENCE,
            () -> {
              Response sent = post(http, "/api/v1/jobs/" + job + "/savepoints", "");
              return sent.status() == 202 ? sent : null;
            });
    String id = r.json().get("id").asText();
    Await.until(
        "savepoint " + id + " to complete",
        PATIENCE,
        () ->
            "COMPLETED"
                    .equals(
                        http.get("/api/v1/jobs/" + job + "/savepoints/" + id, TOKEN)
                            .json()
                            .path("state")
                            .asText())
                ? true
                : null);
    return id;
  }

  private String runningJob(HttpTestClient http, String... args) throws Exception {
    String job = flink.submitDemoJob(args).toHexString();
    Await.until(
        "job " + job + " to run",
        PATIENCE,
        () ->
            "RUNNING".equals(http.get("/api/v1/jobs/" + job, TOKEN).json().path("status").asText())
                ? true
                : null);
    return job;
  }

  @Test
  void a_record_unreadable_at_start_is_never_replaced_and_nothing_is_done_until_it_is_read()
      throws Exception {
    HttpTestClient first = sidecar();
    awaitReady(first);
    String job = runningJob(first, "--rate", "100", "--checkpoint-interval", "600000");
    String earlier = savepoint(first, job);
    sidecars.remove(0).close();
    ConfigMap before = record();
    assertThat(before.getData().get("savepoints.json")).contains(earlier);

    String recordName = cluster.clusterId() + "-supervisor";
    long writesBefore = kubernetes.count("PUT", recordName) + kubernetes.count("POST", recordName);
    AtomicBoolean down = new AtomicBoolean(true);
    kubernetes.fail(FaultyKubernetes.requests("GET", recordPath), down::get, 503);
    HttpTestClient next = sidecar();
    Await.until(
        "the sidecar to say its record is unreadable",
        PATIENCE,
        () -> http503(next.get("/readyz", null)) ? true : null);
    Response refused = post(next, "/api/v1/jobs/" + job + "/savepoints", "");
    assertThat(refused.status()).isEqualTo(503);
    assertThat(refused.header("Retry-After")).isNotNull();
    assertThat(refused.json().get("detail").asText()).contains("has not been read yet");
    Holds.forAtLeast(
        Duration.ofSeconds(2),
        () -> {
          assertThat(kubernetes.count("PUT", recordName) + kubernetes.count("POST", recordName))
              .as("no write before the record was read")
              .isEqualTo(writesBefore);
          assertThat(record().getMetadata().getResourceVersion())
              .isEqualTo(before.getMetadata().getResourceVersion());
          assertThat(savepointsAt(job)).as("no second savepoint reached Flink").isEqualTo(1);
        });

    down.set(false);
    awaitReady(next);
    String later = savepoint(next, job);

    Await.until(
        "the record to hold both savepoints and the events of the outage",
        PATIENCE,
        () -> {
          Map<String, String> data = record().getData();
          return data.get("savepoints.json").contains(earlier)
                  && data.get("savepoints.json").contains(later)
                  && data.get("events.json").contains("RECORD_UNREADABLE")
                  && data.get("events.json").contains("RECORD_READ")
              ? true
              : null;
        });
    assertThat(record().getData().get("events.json"))
        .as("events of the first sidecar are kept")
        .contains("SAVEPOINT_COMPLETED")
        .contains(earlier);
  }

  /** How many savepoints the JobManager took or is taking of the job, from its own statistics. */
  private long savepointsAt(String job) {
    try {
      return flink
          .miniCluster()
          .getExecutionGraph(JobID.fromHexString(job))
          .get()
          .getCheckpointStatsSnapshot()
          .getHistory()
          .getCheckpoints()
          .stream()
          .filter(c -> c.getProperties().isSavepoint())
          .count();
    } catch (Exception e) {
      throw new IllegalStateException("The JobManager's checkpoint statistics", e);
    }
  }

  private static boolean http503(Response r) {
    return r.status() == 503 && r.json().get("reason").asText().contains("record");
  }

  @Test
  void a_section_that_cannot_be_parsed_is_kept_aside_and_the_rest_keeps_working() throws Exception {
    HttpTestClient first = sidecar();
    awaitReady(first);
    String job = runningJob(first, "--rate", "100", "--checkpoint-interval", "600000");
    savepoint(first, job);
    sidecars.remove(0).close();
    ConfigMap corrupted = record();
    String events = corrupted.getData().get("events.json");
    corrupted.getData().put("savepoints.json", "{\"records\": [ this is not json");
    client.configMaps().inNamespace(kubernetes.namespace()).resource(corrupted).update();

    HttpTestClient next = sidecar();
    awaitReady(next);
    String later = savepoint(next, job);

    JsonNode status = next.get("/api/v1/cluster", TOKEN).json().get("record");
    assertThat(status.get("quarantined")).hasSize(1);
    String aside = status.get("quarantined").get(0).asText();
    Await.until(
        "the new savepoint in the record",
        PATIENCE,
        () -> record().getData().get("savepoints.json").contains(later) ? true : null);
    Map<String, String> data = record().getData();
    assertThat(aside).startsWith("savepoints.json.unreadable-");
    assertThat(data.get(aside)).isEqualTo("{\"records\": [ this is not json");
    assertThat(data.get(aside + ".reason")).isNotBlank();
    // The events section was read and kept: every earlier event is still there (a repeat may have
    // been folded into one since, which changes its count and lastTime, not its type and time).
    assertThat(data.get("events.json")).contains("RECORD_SECTION_QUARANTINED");
    com.fasterxml.jackson.databind.ObjectMapper json =
        new com.fasterxml.jackson.databind.ObjectMapper();
    java.util.Set<String> now = new java.util.HashSet<>();
    json.readTree(data.get("events.json"))
        .forEach(e -> now.add(e.get("type") + " " + e.get("time")));
    java.util.List<String> before = new java.util.ArrayList<>();
    json.readTree(events).forEach(e -> before.add(e.get("type") + " " + e.get("time")));
    assertThat(before).isNotEmpty();
    assertThat(now).containsAll(before);
  }

  @Test
  void a_savepoint_whose_record_cannot_be_written_never_reaches_flink_and_the_api_says_503()
      throws Exception {
    HttpTestClient http = sidecar();
    awaitReady(http);
    String job = runningJob(http, "--rate", "100", "--checkpoint-interval", "600000");
    AtomicBoolean down = new AtomicBoolean(true);
    kubernetes.fail(FaultyKubernetes.requests("PUT", recordPath), down::get, 503);
    kubernetes.fail(FaultyKubernetes.creating(cluster.clusterId() + "-supervisor"), down::get, 503);
    Path target = dir.resolve("unrecorded-savepoints");

    Response r =
        post(
            http,
            "/api/v1/jobs/" + job + "/savepoints",
            "{\"targetDirectory\": \"" + target.toUri() + "\"}");

    assertThat(r.status()).as(r.body()).isEqualTo(503);
    assertThat(r.header("Retry-After")).isNotNull();
    Holds.forAtLeast(
        Duration.ofSeconds(2),
        () -> {
          assertThat(target).doesNotExist();
          assertThat(savepointsAt(job))
              .as("the JobManager was never asked for a savepoint")
              .isZero();
        });

    down.set(false);
    Await.until(
        "the record to say why the savepoint was not taken",
        PATIENCE,
        () -> {
          ConfigMap map = record();
          return map != null && map.getData().get("savepoints.json").contains("no trigger was sent")
              ? true
              : null;
        });
    savepoint(http, job);
  }

  @Test
  void two_active_sidecars_writing_at_once_keep_each_others_savepoints() throws Exception {
    // Writes are slow, so the two sidecars' writes overlap and conflict.
    kubernetes.delay(
        FaultyKubernetes.requests("PUT", recordPath), () -> true, Duration.ofMillis(300));
    HttpTestClient a = sidecar();
    HttpTestClient b = sidecar();
    awaitReady(a);
    awaitReady(b);
    String jobA = runningJob(a, "--rate", "100", "--checkpoint-interval", "600000");
    String jobB = runningJob(b, "--rate", "100", "--checkpoint-interval", "600000");

    CompletableFuture<List<String>> takenByA = CompletableFuture.supplyAsync(() -> three(a, jobA));
    CompletableFuture<List<String>> takenByB = CompletableFuture.supplyAsync(() -> three(b, jobB));
    List<String> all = new ArrayList<>(takenByA.get());
    all.addAll(takenByB.get());

    Await.until(
        "every savepoint of both sidecars in the record",
        PATIENCE,
        () -> {
          String stored = record().getData().get("savepoints.json");
          return all.stream().allMatch(stored::contains) ? true : null;
        });
    long conflicts =
        a.get("/api/v1/cluster", TOKEN).json().at("/record/conflicts").asLong()
            + b.get("/api/v1/cluster", TOKEN).json().at("/record/conflicts").asLong();
    System.out.println("Conflicting writes merged: " + conflicts);
  }

  private static List<String> three(HttpTestClient http, String job) {
    List<String> ids = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        ids.add(savepoint(http, job));
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return ids;
  }
}
