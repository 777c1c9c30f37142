package dev.flinksupervisor.benchmarks;

import dev.flinksupervisor.testing.FlinkProcessCluster.JobManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The packaged sidecar's memory and CPU while idle: with the process cluster's one job, beside the
 * leading JobManager measured over the same window; and with 1,000 jobs, served by a stub of
 * Flink's REST API ({@link StubFlinkRest}, answers recorded from the real JobManager) that is
 * announced as the REST leader in its own HA ConfigMap, so the sidecar finds it as it finds a
 * JobManager.
 */
final class FootprintBenchmark implements Benchmark {
  static final int MANY_JOBS = 1_000;

  private final Lab lab;
  private String jvmManyJobs = "";

  FootprintBenchmark(Lab lab) {
    this.lab = lab;
  }

  @Override
  public String name() {
    return "footprint";
  }

  /** Peak RSS and mean CPU of one process over a window. */
  record Usage(double peakRssMib, double cpuPercent) {}

  /** Samples every process once a second over {@code window}. */
  static List<Usage> sample(List<Long> pids, Duration window) throws Exception {
    long ticksPerSecond = ProcStats.ticksPerSecond();
    int n = pids.size();
    ProcStats[] first = new ProcStats[n];
    ProcStats[] last = new ProcStats[n];
    long[] peakKib = new long[n];
    long start = System.nanoTime();
    long end = start + window.toNanos();
    long next = start;
    long lastAt = start;
    while (true) {
      lastAt = System.nanoTime();
      for (int i = 0; i < n; i++) {
        ProcStats s = ProcStats.of(pids.get(i));
        if (first[i] == null) {
          first[i] = s;
        }
        last[i] = s;
        peakKib[i] = Math.max(peakKib[i], s.rssKib());
      }
      if (lastAt - end >= 0) {
        break;
      }
      next = Math.min(next + Duration.ofSeconds(1).toNanos(), end);
      Poll.parkUntil(next);
    }
    double seconds = (lastAt - start) / 1e9;
    List<Usage> usages = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double cpuSeconds = (last[i].cpuTicks() - first[i].cpuTicks()) / (double) ticksPerSecond;
      usages.add(new Usage(peakKib[i] / 1024.0, 100 * cpuSeconds / seconds));
    }
    return usages;
  }

  @Override
  public List<Figure> run(Mode mode) throws Exception {
    Duration settle = mode.pick(Duration.ofSeconds(5), Duration.ofSeconds(15));
    Duration window = mode.pick(Duration.ofSeconds(20), Duration.ofSeconds(60));
    Lab.Cluster cluster = lab.cluster();
    SidecarProcess sidecar = lab.sidecar();
    JobManager leader = cluster.jobManagerAt(cluster.leaderUrl());

    java.nio.file.Path document = lab.workDir().resolve("floor-document.json");
    java.nio.file.Files.writeString(document, "{}");
    List<Usage> oneJob;
    String jvmOneJob;
    try (SidecarProcess floor = lab.startFloor(document)) {
      floor.awaitReady(lab.http(), Duration.ofSeconds(60));
      Poll.pause(settle);
      oneJob = sample(List.of(sidecar.pid(), leader.process().pid(), floor.pid()), window);
      jvmOneJob = jvmMemory(sidecar);
    }
    Usage sidecarOneJob = oneJob.get(0);
    Usage jobManager = oneJob.get(1);
    Usage clientsFloor = oneJob.get(2);
    System.out.printf(
        "  1 job: sidecar %s MiB, %s %% CPU; JobManager %s MiB, %s %% CPU; floor %s MiB%n",
        Numbers.format(sidecarOneJob.peakRssMib()),
        Numbers.format(sidecarOneJob.cpuPercent()),
        Numbers.format(jobManager.peakRssMib()),
        Numbers.format(jobManager.cpuPercent()),
        Numbers.format(clientsFloor.peakRssMib()));

    Usage sidecarManyJobs = manyJobs(cluster, settle, window);
    System.out.printf(
        "  %,d jobs: sidecar %s MiB, %s %% CPU%n",
        MANY_JOBS,
        Numbers.format(sidecarManyJobs.peakRssMib()),
        Numbers.format(sidecarManyJobs.cpuPercent()));

    String how =
        "VmRSS of /proc/<pid>/status sampled every second over "
            + window.toSeconds()
            + " s after "
            + settle.toSeconds()
            + " s idle"
            + (mode == Mode.QUICK ? " (quick run; the full run measures 60 s)" : "")
            + "; the peak is reported. Sidecar: java "
            + String.join(" ", SidecarProcess.jvmFlags())
            + " -jar flink-supervisor.jar run, default polling. JobManager: the leading"
            + " StandaloneSessionClusterEntrypoint, -XX:+UseSerialGC, JVM default heap.";
    String cpu = "utime+stime of /proc/<pid>/stat over the same window, in % of one core.";
    String stub =
        " The "
            + String.format("%,d", MANY_JOBS)
            + " jobs are served by a stub of Flink's REST API (answers recorded from the real"
            + " JobManager), announced as REST leader in its HA ConfigMap; the sidecar polls it"
            + " as it polls a JobManager.";
    String jmReference = "JobManager RSS, 1 job (same run)";
    return List.of(
        Figure.of(
            "sidecar RSS, idle, 1 job",
            sidecarOneJob.peakRssMib(),
            "MiB",
            "JobManager RSS, 1 job (same window)",
            jobManager.peakRssMib(),
            Target.valueAtMost(160, "MiB"),
            how + jvmOneJob),
        Figure.of(
            "sidecar RSS against the clients floor, idle, 1 job",
            sidecarOneJob.peakRssMib(),
            "MiB",
            "the clients floor's RSS (same window)",
            clientsFloor.peakRssMib(),
            Target.ratioAtMost(1.05),
            "As above. The floor (ClientsFloor, from the benchmarks' jar with the sidecar's flags)"
                + " has built Flink's RestClusterClient with Kubernetes HA leader retrieval and"
                + " listed the jobs, built the fabric8 client and read one ConfigMap, and serves"
                + " /readyz with Javalin; then it idles."),
        Figure.of(
            "sidecar CPU, idle, 1 job",
            sidecarOneJob.cpuPercent(),
            "% of a core",
            "JobManager CPU, 1 job (same window)",
            jobManager.cpuPercent(),
            null,
            cpu),
        Figure.of(
            String.format("sidecar RSS, idle, %,d jobs", MANY_JOBS),
            sidecarManyJobs.peakRssMib(),
            "MiB",
            jmReference,
            jobManager.peakRssMib(),
            Target.valueAtMost(200, "MiB"),
            how + stub + jvmManyJobs),
        Figure.of(
            String.format("sidecar CPU, idle, %,d jobs", MANY_JOBS),
            sidecarManyJobs.cpuPercent(),
            "% of a core",
            null,
            null,
            null,
            cpu + stub));
  }

  /**
   * Where the memory goes, as the sidecar's own JVM meters see it at the end of the window: the
   * committed heap and non-heap (class metadata, compiled code) in its Prometheus text.
   */
  private String jvmMemory(SidecarProcess sidecar) {
    try {
      double heap = 0;
      double nonHeap = 0;
      double classes = 0;
      double threads = 0;
      for (String line : lab.http().body(sidecar.url() + "/metrics", null).split("\n")) {
        if (line.startsWith("jvm_classes_loaded_classes ")) {
          classes = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        } else if (line.startsWith("jvm_threads_live_threads ")) {
          threads = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
        if (line.startsWith("jvm_memory_committed_bytes{")) {
          double bytes = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
          if (line.contains("area=\"heap\"")) {
            heap += bytes;
          } else if (line.contains("area=\"nonheap\"")) {
            nonHeap += bytes;
          }
        }
      }
      return String.format(
          " At the end, the sidecar's JVM had committed %s MiB of heap and %s MiB of non-heap"
              + " memory (class metadata, compiled code), with %s classes loaded and %s live"
              + " threads (its own JVM meters); the rest of the RSS is thread stacks, the JVM"
              + " itself and native buffers.",
          Numbers.format(heap / (1 << 20)),
          Numbers.format(nonHeap / (1 << 20)),
          Numbers.format(classes),
          Numbers.format(threads));
    } catch (RuntimeException e) {
      return " (The sidecar's JVM meters could not be read: " + e.getMessage() + ")";
    }
  }

  private Usage manyJobs(Lab.Cluster cluster, Duration settle, Duration window) throws Exception {
    try (Lab.StubCluster stub = lab.startStubCluster(MANY_JOBS)) {
      SidecarProcess.Target target = stub.target(cluster.kubernetes().kubeconfig());
      try (SidecarProcess sidecar =
          SidecarProcess.start(
              lab.sidecarJar(), target, lab.workDir().resolve("sidecars"), "sidecar-stub")) {
        sidecar.awaitReady(lab.http(), Duration.ofSeconds(60));
        int listed =
            Poll.until(
                "the sidecar to list " + MANY_JOBS + " jobs",
                Duration.ofSeconds(60),
                Duration.ofMillis(500),
                () -> {
                  int n =
                      lab.http()
                          .json(sidecar.url() + "/api/v1/jobs", SidecarProcess.TOKEN)
                          .path("jobs")
                          .size();
                  return n == MANY_JOBS ? n : null;
                });
        System.out.printf("  the sidecar supervises %,d stub jobs%n", listed);
        Poll.pause(settle);
        Usage usage = sample(List.of(sidecar.pid()), window).get(0);
        jvmManyJobs = jvmMemory(sidecar);
        return usage;
      }
    }
  }
}
