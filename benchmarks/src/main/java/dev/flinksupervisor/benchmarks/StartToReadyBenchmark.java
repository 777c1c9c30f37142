package dev.flinksupervisor.benchmarks;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * From the start of the packaged sidecar's process to its first {@code /readyz} 200 (the leader
 * found through the HA ConfigMap and its {@code /jobs/overview} answered), against the running
 * process cluster; several starts one after the other, each without and with the image's
 * class-data-sharing archive, and each followed by a start of the floor ({@link ClientsFloor}: the
 * same clients, one request each, the same flags). The other reference is the first JobManager's
 * own start to its REST API answering {@code /overview}, timed once when the cluster started.
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
    Path archive = CdsArchive.train(lab.sidecarJar(), lab.workDir().resolve("cds"), lab.http());
    List<String> withArchive = List.of("-XX:SharedArchiveFile=" + archive);
    List<Double> millis = new ArrayList<>();
    List<Double> cdsMillis = new ArrayList<>();
    List<Double> floorMillis = new ArrayList<>();
    Path document = lab.workDir().resolve("floor-document.json");
    java.nio.file.Files.writeString(document, "{}");
    for (int i = 0; i < starts; i++) {
      millis.add(startToReady(List.of()));
      cdsMillis.add(startToReady(withArchive));
      try (SidecarProcess floor = lab.startFloor(document)) {
        floorMillis.add(floor.awaitReady(lab.http(), Duration.ofSeconds(60)).toNanos() / 1e6);
      }
      System.out.printf(
          "  start %d: ready after %s ms, %s ms with the CDS archive; the floor %s ms%n",
          i + 1,
          Numbers.format(millis.get(i)),
          Numbers.format(cdsMillis.get(i)),
          Numbers.format(floorMillis.get(i)));
    }
    Percentiles p = Percentiles.of(millis);
    Percentiles cds = Percentiles.of(cdsMillis);
    Percentiles floor = Percentiles.of(floorMillis);
    double jobManager = cluster.jobManagerStartToReady().toNanos() / 1e6;
    String reference = "JobManager process start to REST /overview 200 (1 start)";
    String how =
        "Process start (ProcessBuilder.start) to the first 200 of GET /readyz, checked every 10 ms;"
            + " "
            + starts
            + " starts, one after the other (each followed by one with the CDS archive), with the"
            + " cluster and 1 job running; sidecar flags: "
            + String.join(" ", SidecarProcess.jvmFlags())
            + ". Samples (ms): "
            + samples(millis)
            + ".";
    return List.of(
        Figure.of(
            "start to ready, median",
            p.median(),
            "ms",
            "the clients floor: the same clients, one request each (same run), median",
            floor.median(),
            Target.ratioAtMost(1.1),
            how
                + " The floor (ClientsFloor, from the benchmarks' jar with the same flags) builds"
                + " Flink's RestClusterClient with Kubernetes HA leader retrieval and lists the"
                + " jobs, builds the fabric8 client and reads one ConfigMap, and serves /readyz with"
                + " Javalin. Samples (ms): "
                + samples(floorMillis)
                + "."),
        Figure.of(
            "start to ready against the JobManager's start, median",
            p.median(),
            "ms",
            reference,
            jobManager,
            null,
            "As above, without the archive."),
        Figure.of(
            "start to ready, slowest",
            p.max(),
            "ms",
            reference,
            jobManager,
            null,
            "The slowest of the starts above."),
        Figure.of(
            "start to ready with the CDS archive (as the image starts), median",
            cds.median(),
            "ms",
            reference,
            jobManager,
            Target.ratioAtMost(0.5),
            "As above, with the archive; its median without the archive in the same run: "
                + Numbers.format(p.median())
                + " ms."),
        Figure.of(
            "start to ready with the CDS archive, median",
            cds.median(),
            "ms",
            "start to ready without it (same run), median",
            p.median(),
            null,
            "As above, each start right after one without the archive, with"
                + " -XX:SharedArchiveFile: the dynamic AppCDS archive of images/sidecar/Dockerfile,"
                + " made the same way (a training run of the embedded demo with the same flags and"
                + " -XX:ArchiveClassesAtExit, stopped with SIGTERM once ready; "
                + Numbers.format(java.nio.file.Files.size(archive) / 1048576.0)
                + " MiB). Samples (ms): "
                + samples(cdsMillis)
                + "."));
  }

  private double startToReady(List<String> extraFlags) throws Exception {
    try (SidecarProcess sidecar = lab.startSidecar(extraFlags)) {
      return sidecar.awaitReady(lab.http(), Duration.ofSeconds(60)).toNanos() / 1e6;
    }
  }

  static String samples(List<Double> values) {
    return String.join(", ", values.stream().map(Numbers::format).toList());
  }
}
