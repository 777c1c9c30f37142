package dev.flinksupervisor.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * From the start of the packaged sidecar's process to its first {@code /readyz} 200 (the leader
 * found through the HA ConfigMap and its {@code /jobs/overview} answered), against the running
 * process cluster; several starts one after the other. The reference is the first JobManager's own
 * start to its REST API answering {@code /overview}, timed once when the cluster started.
 */
final class StartToReadyBenchmark implements Benchmark {
  private final Lab lab;

  StartToReadyBenchmark(Lab lab) {
    this.lab = lab;
  }

  @Override
  public String name() {
    return "start-to-ready";
  }

  @Override
  public List<Figure> run(Mode mode) throws Exception {
    Lab.Cluster cluster = lab.cluster();
    int starts = mode.pick(3, 10);
    List<Double> millis = new ArrayList<>();
    for (int i = 0; i < starts; i++) {
      try (SidecarProcess sidecar = lab.startSidecar()) {
        Duration ready = sidecar.awaitReady(lab.http(), Duration.ofSeconds(60));
        millis.add(ready.toNanos() / 1e6);
        System.out.printf("  start %d: ready after %s ms%n", i + 1, Numbers.format(millis.get(i)));
      }
    }
    Percentiles p = Percentiles.of(millis);
    double jobManager = cluster.jobManagerStartToReady().toNanos() / 1e6;
    String reference = "JobManager process start to REST /overview 200 (1 start)";
    String how =
        "Process start (ProcessBuilder.start) to the first 200 of GET /readyz, checked every 10 ms;"
            + " "
            + starts
            + " starts, one after the other, with the cluster and 1 job running; sidecar flags: "
            + String.join(" ", SidecarProcess.JVM_FLAGS)
            + ". Samples (ms): "
            + samples(millis)
            + ".";
    return List.of(
        Figure.of(
            "start to ready, median",
            p.median(),
            "ms",
            reference,
            jobManager,
            Target.valueAtMost(2000, "ms"),
            how),
        Figure.of(
            "start to ready, slowest",
            p.max(),
            "ms",
            reference,
            jobManager,
            null,
            "The slowest of the starts above."));
  }

  static String samples(List<Double> values) {
    return String.join(", ", values.stream().map(Numbers::format).toList());
  }
}
