package dev.flinksupervisor.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.flinksupervisor.Sidecar;
import dev.flinksupervisor.config.SupervisorOptions;
import dev.flinksupervisor.demo.Await;
import dev.flinksupervisor.testing.MiniClusterOnKubernetes;
import dev.flinksupervisor.testing.Ports;
import dev.flinksupervisor.util.Json;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.apache.flink.api.common.JobID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sidecar's meters checked by real receivers: an OTLP/HTTP endpoint that decodes the pushed
 * payloads with the OpenTelemetry protobuf definitions, and a real Prometheus server that scrapes
 * /metrics and is queried through its HTTP API.
 */
class MetricsITCase {
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  @TempDir Path dir;
  private MiniClusterOnKubernetes cluster;
  private JobID job;

  @BeforeEach
  void start() throws Exception {
    cluster = MiniClusterOnKubernetes.start(dir, "metrics-it", 2);
    job = cluster.flink().submitDemoJob("--name", "metered-job");
  }

  @AfterEach
  void stop() throws Exception {
    cluster.close();
  }

  @Test
  void otlp_payloads_carry_the_meters_and_the_kubernetes_identity() throws Exception {
    List<ExportMetricsServiceRequest> received = new CopyOnWriteArrayList<>();
    HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext(
        "/v1/metrics",
        exchange -> {
          byte[] body = exchange.getRequestBody().readAllBytes();
          received.add(ExportMetricsServiceRequest.parseFrom(body));
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    receiver.start();
    String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/v1/metrics";
    try (Sidecar sidecar =
        cluster
            .sidecar()
            .set(SupervisorOptions.OTLP_ENABLED, "true")
            .set(SupervisorOptions.OTLP_URL, url)
            .set(SupervisorOptions.OTLP_STEP, "1s")
            .set(SupervisorOptions.METRICS_POD_NAME, "jm-0")
            .start()) {
      ResourceMetrics resource =
          Await.until(
              "an OTLP payload with the job's status",
              PATIENCE,
              () ->
                  received.stream()
                      .flatMap(r -> r.getResourceMetricsList().stream())
                      .filter(rm -> metric(rm, "flink.supervisor.job.status").isPresent())
                      .reduce((a, b) -> b)
                      .orElse(null));

      Map<String, String> attributes = attributes(resource.getResource().getAttributesList());
      assertThat(attributes)
          .containsEntry("service.name", "flink-supervisor")
          .containsEntry("k8s.namespace.name", cluster.kubernetes().namespace())
          .containsEntry("k8s.pod.name", "jm-0")
          .containsEntry("flink.cluster.id", cluster.clusterId());
      NumberDataPoint status =
          metric(resource, "flink.supervisor.job.status")
              .orElseThrow()
              .getGauge()
              .getDataPointsList()
              .stream()
              .filter(
                  p -> attributes(p.getAttributesList()).get("job_id").equals(job.toHexString()))
              .findFirst()
              .orElseThrow();
      assertThat(attributes(status.getAttributesList()))
          .containsEntry("job_name", "metered-job")
          .containsEntry("status", "RUNNING");
      assertThat(status.getAsDouble()).isEqualTo(1.0);
      assertThat(metric(resource, "flink.supervisor.cycle.duration")).isPresent();
      assertThat(metric(resource, "jvm.memory.used")).isPresent();
    } finally {
      receiver.stop(0);
    }
  }

  @Test
  void a_real_prometheus_server_scrapes_the_sidecar() throws Exception {
    Optional<Path> binary = prometheusBinary();
    if (binary.isEmpty() && "true".equals(System.getenv("CI"))) {
      fail("No prometheus binary on this CI machine; .ci/run installs Debian's 'prometheus'");
    }
    assumeTrue(
        binary.isPresent(), "No prometheus binary: install Debian's 'prometheus' to run this test");
    try (Sidecar sidecar = cluster.sidecar().start()) {
      int prometheusPort = Ports.free();
      Path config = dir.resolve("prometheus.yml");
      Files.writeString(
          config,
          """
          global:
            scrape_interval: 1s
          scrape_configs:
            - job_name: flink-supervisor
              static_configs:
                - targets: ['127.0.0.1:%d']
          """
              .formatted(sidecar.apiPort()));
      Process prometheus =
          new ProcessBuilder(
                  binary.get().toString(),
                  "--config.file=" + config,
                  "--storage.tsdb.path=" + dir.resolve("tsdb"),
                  "--web.listen-address=127.0.0.1:" + prometheusPort)
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("prometheus.log").toFile())
              .start();
      try {
        String query =
            "flink_supervisor_job_status{job_id=\"" + job.toHexString() + "\",status=\"RUNNING\"}";
        JsonNode series =
            Await.until(
                "Prometheus to have scraped the job's status",
                PATIENCE,
                () -> {
                  JsonNode result = queryPrometheus(prometheusPort, query).at("/data/result");
                  return result.isArray() && result.size() > 0 ? result.get(0) : null;
                });
        assertThat(series.at("/metric/flink_cluster_id").asText()).isEqualTo(cluster.clusterId());
        assertThat(series.at("/metric/k8s_namespace_name").asText())
            .isEqualTo(cluster.kubernetes().namespace());
        assertThat(series.at("/metric/job_name").asText()).isEqualTo("metered-job");
        assertThat(series.at("/value/1").asText()).isEqualTo("1");
        JsonNode up =
            queryPrometheus(prometheusPort, "up{job=\"flink-supervisor\"}")
                .at("/data/result/0/value/1");
        assertThat(up.asText()).isEqualTo("1");
      } catch (AssertionError | Exception e) {
        throw new AssertionError(
            e.getMessage()
                + "\nPrometheus log:\n"
                + Files.readString(dir.resolve("prometheus.log")),
            e);
      } finally {
        prometheus.destroy();
        prometheus.waitFor();
      }
    }
  }

  private static JsonNode queryPrometheus(int port, String query) {
    try {
      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create(
                              "http://127.0.0.1:"
                                  + port
                                  + "/api/v1/query?query="
                                  + URLEncoder.encode(query, StandardCharsets.UTF_8)))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      return Json.mapper().readTree(response.body());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static Optional<Path> prometheusBinary() {
    for (String dirName : System.getenv().getOrDefault("PATH", "").split(":")) {
      Path candidate = Path.of(dirName, "prometheus");
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  private static Optional<Metric> metric(ResourceMetrics resource, String name) {
    return resource.getScopeMetricsList().stream()
        .flatMap(s -> s.getMetricsList().stream())
        .filter(m -> m.getName().equals(name))
        .findFirst();
  }

  private static Map<String, String> attributes(List<KeyValue> keyValues) {
    return keyValues.stream()
        .collect(
            Collectors.toMap(KeyValue::getKey, kv -> kv.getValue().getStringValue(), (a, b) -> b));
  }
}
