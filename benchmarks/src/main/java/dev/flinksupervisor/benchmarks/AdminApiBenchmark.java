package dev.flinksupervisor.benchmarks;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;

/**
 * The admin API under load: {@code GET /api/v1/jobs} with a bearer token against Flink's own {@code
 * GET /jobs/overview} on the leading JobManager of the same cluster, and against a bare Javalin
 * endpoint serialising the same document ({@link ClientsFloor}'s {@code /bare/jobs}, same JVM
 * flags), with the same client, the same number of connections and the same duration, in
 * alternating rounds after a warm-up of each.
 */
final class AdminApiBenchmark implements Benchmark {
  static final int WORKERS = 16;

  private final Lab lab;

  AdminApiBenchmark(Lab lab) {
    this.lab = lab;
  }

  @Override
  public String name() {
    return "admin-api";
  }

  @Override
  public List<Figure> run(Mode mode) throws Exception {
    Duration warmUp = mode.pick(Duration.ofSeconds(3), Duration.ofSeconds(5));
    Duration round = mode.pick(Duration.ofSeconds(10), Duration.ofSeconds(20));
    int rounds = mode.pick(1, 3);
    Lab.Cluster cluster = lab.cluster();
    SidecarProcess sidecar = lab.sidecar();
    Http http = lab.http();
    HttpRequest flinkRequest = Http.get(cluster.leaderUrl() + "/jobs/overview", null);
    HttpRequest sidecarRequest = Http.get(sidecar.url() + "/api/v1/jobs", SidecarProcess.TOKEN);
    java.nio.file.Path document = lab.workDir().resolve("admin-api-jobs.json");
    java.nio.file.Files.writeString(
        document, http.body(sidecar.url() + "/api/v1/jobs", SidecarProcess.TOKEN));

    HttpLoad.Result flink = new HttpLoad.Result();
    HttpLoad.Result api = new HttpLoad.Result();
    HttpLoad.Result bare = new HttpLoad.Result();
    try (SidecarProcess floor = lab.startFloor(document)) {
      floor.awaitReady(http, Duration.ofSeconds(60));
      HttpRequest bareRequest = Http.get(floor.url() + "/bare/jobs", null);
      HttpLoad.run(http.client(), flinkRequest, WORKERS, warmUp, new HttpLoad.Result());
      HttpLoad.run(http.client(), sidecarRequest, WORKERS, warmUp, new HttpLoad.Result());
      HttpLoad.run(http.client(), bareRequest, WORKERS, warmUp, new HttpLoad.Result());
      for (int i = 0; i < rounds; i++) {
        HttpLoad.run(http.client(), flinkRequest, WORKERS, round, flink);
        HttpLoad.run(http.client(), sidecarRequest, WORKERS, round, api);
        HttpLoad.run(http.client(), bareRequest, WORKERS, round, bare);
      }
    }
    if (api.ok() == 0 || flink.ok() == 0 || bare.ok() == 0) {
      throw new IllegalStateException(
          "No request answered: sidecar "
              + api.lastError()
              + ", Flink "
              + flink.lastError()
              + ", bare Javalin "
              + bare.lastError());
    }
    Percentiles apiLatency = api.latencyMillis();
    Percentiles flinkLatency = flink.latencyMillis();
    System.out.printf(
        "  sidecar %s req/s (p99 %s ms), Flink %s req/s (p99 %s ms), bare Javalin %s req/s%n",
        Numbers.format(api.requestsPerSecond()),
        Numbers.format(apiLatency.p99()),
        Numbers.format(flink.requestsPerSecond()),
        Numbers.format(flinkLatency.p99()),
        Numbers.format(bare.requestsPerSecond()));

    String how =
        "1 job; java.net.http.HttpClient (HTTP/1.1), "
            + WORKERS
            + " workers each sending the next request when the previous one was answered; "
            + warmUp.toSeconds()
            + " s warm-up of each, then "
            + rounds
            + " round(s) of "
            + round.toSeconds()
            + " s of each, alternating; client, sidecar and JobManager share the machine. "
            + "Answered: sidecar "
            + api.ok()
            + ", Flink "
            + flink.ok()
            + ", bare Javalin "
            + bare.ok()
            + "; errors: sidecar "
            + api.errors()
            + ", Flink "
            + flink.errors()
            + ", bare Javalin "
            + bare.errors()
            + ".";
    String reference = "Flink GET /jobs/overview, same client and load";
    return List.of(
        Figure.of(
            "GET /api/v1/jobs throughput",
            api.requestsPerSecond(),
            "req/s",
            reference,
            flink.requestsPerSecond(),
            Target.ratioAtLeast(3),
            how),
        Figure.of(
            "GET /api/v1/jobs throughput against bare Javalin",
            api.requestsPerSecond(),
            "req/s",
            "a bare Javalin endpoint serialising the same document, same client and load",
            bare.requestsPerSecond(),
            Target.ratioAtLeast(0.8),
            "As above. The bare endpoint is Javalin with its default configuration in a JVM with the"
                + " sidecar's flags (ClientsFloor /bare/jobs): no authentication, no metrics, no"
                + " access log, the document parsed once and serialised by Javalin's Jackson on"
                + " every request."),
        Figure.of(
            "GET /api/v1/jobs latency p99",
            apiLatency.p99(),
            "ms",
            reference,
            flinkLatency.p99(),
            Target.valueAtMost(2, "ms"),
            "Per request, from send to the whole body read; nearest-rank p99."),
        Figure.of(
            "GET /api/v1/jobs latency p50",
            apiLatency.median(),
            "ms",
            reference,
            flinkLatency.median(),
            null,
            "Per request, from send to the whole body read."));
  }
}
