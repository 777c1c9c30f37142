package dev.flinksupervisor.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in for a JobManager's REST API with many jobs: answers recorded from a real JobManager
 * for one running job, repeated for N job ids. It serves what the sidecar reads ({@code /overview},
 * {@code /jobs/overview}, and per job the details, checkpoints, metrics and exceptions), with or
 * without Flink's {@code /v1} prefix.
 */
final class StubFlinkRest implements AutoCloseable {
  private static final Pattern JOB_PATH =
      Pattern.compile("/jobs/([0-9a-f]{32})(/checkpoints|/metrics|/exceptions)?");

  /** The answers of a real JobManager about one of its jobs. */
  record Recording(
      String jobId,
      String overview,
      JsonNode overviewEntry,
      String details,
      String checkpoints,
      String metrics,
      String exceptions) {

    static Recording of(Http http, String restUrl, String jobId) {
      String jobs = restUrl + "/jobs/" + jobId;
      JsonNode entry = null;
      for (JsonNode job : http.json(restUrl + "/jobs/overview", null).path("jobs")) {
        if (jobId.equals(job.path("jid").asText())) {
          entry = job;
        }
      }
      if (entry == null) {
        throw new IllegalStateException(
            "Job " + jobId + " is not in " + restUrl + "/jobs/overview");
      }
      return new Recording(
          jobId,
          http.body(restUrl + "/overview", null),
          entry,
          http.body(jobs, null),
          http.body(jobs + "/checkpoints", null),
          http.body(jobs + "/metrics?get=numRestarts", null),
          http.body(jobs + "/exceptions", null));
    }
  }

  private final HttpServer server;
  private final ExecutorService executor;
  private final Recording recording;
  private final Set<String> jobIds = new LinkedHashSet<>();
  private final byte[] jobsOverview;

  private StubFlinkRest(Recording recording, int jobs) throws IOException {
    this.recording = recording;
    ArrayNode list = Http.JSON.createArrayNode();
    for (int i = 0; i < jobs; i++) {
      String id = String.format("%032x", i + 1);
      jobIds.add(id);
      ObjectNode entry = recording.overviewEntry().deepCopy();
      entry.put("jid", id);
      entry.put("name", "job-" + i);
      list.add(entry);
    }
    ObjectNode overview = Http.JSON.createObjectNode();
    overview.set("jobs", list);
    this.jobsOverview = Http.JSON.writeValueAsBytes(overview);
    this.server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4096);
    this.executor = Executors.newFixedThreadPool(4);
    server.setExecutor(executor);
    server.createContext("/", this::handle);
  }

  static StubFlinkRest start(Recording recording, int jobs) throws IOException {
    StubFlinkRest stub = new StubFlinkRest(recording, jobs);
    stub.server.start();
    return stub;
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      if (path.startsWith("/v1/")) {
        path = path.substring(3);
      }
      byte[] body = answer(path);
      exchange.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
      if (body == null) {
        body = ("{\"errors\":[\"Not found: " + path + "\"]}").getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(404, body.length);
      } else {
        exchange.sendResponseHeaders(200, body.length);
      }
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  /** The answer to a GET of {@code path}, or null for 404. */
  byte[] answer(String path) {
    if (path.equals("/overview")) {
      return utf8(recording.overview());
    }
    if (path.equals("/jobs/overview")) {
      return jobsOverview;
    }
    Matcher job = JOB_PATH.matcher(path);
    if (!job.matches() || !jobIds.contains(job.group(1))) {
      return null;
    }
    String template =
        switch (job.group(2) == null ? "" : job.group(2)) {
          case "/checkpoints" -> recording.checkpoints();
          case "/metrics" -> recording.metrics();
          case "/exceptions" -> recording.exceptions();
          default -> recording.details();
        };
    return utf8(template.replace(recording.jobId(), job.group(1)));
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
