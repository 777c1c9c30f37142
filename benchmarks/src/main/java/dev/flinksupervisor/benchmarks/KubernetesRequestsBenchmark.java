package dev.flinksupervisor.benchmarks;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The requests a sidecar makes to the Kubernetes API, counted where they arrive: a new sidecar
 * process with a token of its own, alone on a cluster of its own whose JobManager is a stub of
 * Flink's REST API with one job whose answers never change ({@link Lab#startStubCluster}), from its
 * start through its first seconds, and per minute once it is idle: nothing changes, so it should
 * only hold its watches open.
 */
final class KubernetesRequestsBenchmark implements Benchmark {
  private final Lab lab;

  KubernetesRequestsBenchmark(Lab lab) {
    this.lab = lab;
  }

  @Override
  public String name() {
    return "kubernetes-requests";
  }

  @Override
  public List<Figure> run(Mode mode) throws Exception {
    Duration settle = mode.pick(Duration.ofSeconds(10), Duration.ofSeconds(20));
    Duration window = mode.pick(Duration.ofSeconds(30), Duration.ofSeconds(120));
    String token = "flink-supervisor.requests-" + UUID.randomUUID().toString().substring(0, 8);
    KubernetesRequestLog log = lab.kubernetesRequests();
    Lab.Cluster cluster = lab.cluster();
    long started;
    long from;
    long to;
    try (Lab.StubCluster stub = lab.startStubCluster(1)) {
      started = System.nanoTime();
      try (SidecarProcess sidecar =
          SidecarProcess.start(
              lab.sidecarJar(),
              stub.target(cluster.kubernetes().kubeconfigFor(token)),
              lab.workDir().resolve("sidecars"),
              "sidecar-requests")) {
        sidecar.awaitReady(lab.http(), Duration.ofSeconds(60));
        Poll.pause(settle);
        from = System.nanoTime();
        Poll.pause(window);
        to = System.nanoTime();
      }
    }
    List<KubernetesRequestLog.Entry> startup = log.between(token, started, from);
    List<KubernetesRequestLog.Entry> idle = log.between(token, from, to);
    double minutes = (to - from) / 60e9;
    double perMinute = idle.size() / minutes;
    System.out.printf(
        "  start: %d requests %s; idle: %d in %d s %s%n",
        startup.size(), byKind(startup), idle.size(), window.toSeconds(), byKind(idle));
    String how =
        "Counted at the Kubernetes API (fabric8's mock server) by the bearer token of a sidecar"
            + " process started for this benchmark with the default settings, alone on a cluster"
            + " whose JobManager is a stub of Flink's REST API with one job whose answers never"
            + " change; a watch counts once, when it is opened. ";
    return List.of(
        Figure.of(
            "Kubernetes API requests per minute, idle",
            perMinute,
            "req/min",
            null,
            how
                + "Idle: over "
                + window.toSeconds()
                + " s, from "
                + settle.toSeconds()
                + " s after the sidecar was ready: "
                + byKind(idle)
                + "."),
        Figure.of(
            "Kubernetes API requests, start to ready + " + settle.toSeconds() + " s",
            startup.size(),
            "requests",
            null,
            how + "From the process's start: " + byKind(startup) + "."));
  }

  /** "verb resource × n, ..." in a stable order. */
  private static String byKind(List<KubernetesRequestLog.Entry> entries) {
    Map<String, Long> counts =
        entries.stream()
            .collect(
                Collectors.groupingBy(
                    KubernetesRequestLog.Entry::verbAndResource,
                    TreeMap::new,
                    Collectors.counting()));
    return counts.isEmpty()
        ? "none"
        : counts.entrySet().stream()
            .map(e -> e.getKey() + " × " + e.getValue())
            .collect(Collectors.joining(", ", "[", "]"));
  }
}
