package dev.flinksupervisor.benchmarks;

import dev.flinksupervisor.testing.FlinkProcessCluster.JobManager;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a sidecar's polling costs the JobManager it serves, measured beside it: the leading
 * JobManager's CPU while a polling sidecar (default settings, no push) runs, against the same
 * JobManager in the windows between, while that sidecar is frozen with {@code SIGSTOP} (it then
 * sends nothing at all). The windows alternate, so that drifts of the cluster's own load fall on
 * both sides; the difference is the JobManager's CPU spent serving the sidecar. Also the sidecar's
 * request rate to the JobManager, from its {@code flink_supervisor_rest_requests} meters.
 */
final class PollCostBenchmark implements Benchmark {
  private static final Pattern REQUESTS =
      Pattern.compile("^flink_supervisor_rest_requests_seconds_count\\{.*} ([0-9.eE+]+)$");

  private final Lab lab;

  PollCostBenchmark(Lab lab) {
    this.lab = lab;
  }

  @Override
  public String name() {
    return "poll-cost";
  }

  @Override
  public List<Figure> run(Mode mode) throws Exception {
    int rounds = mode.pick(2, 5);
    Duration window = mode.pick(Duration.ofSeconds(10), Duration.ofSeconds(20));
    Lab.Cluster cluster = lab.cluster();
    lab.sidecar(); // the shared sidecar polls too, in both kinds of window alike
    JobManager leader = cluster.jobManagerAt(cluster.leaderUrl());
    long ticksPerSecond = ProcStats.ticksPerSecond();
    List<Double> polled = new ArrayList<>();
    List<Double> frozen = new ArrayList<>();
    double requests = 0;
    double polledSeconds = 0;
    try (SidecarProcess sidecar = lab.startSidecar()) {
      sidecar.awaitReady(lab.http(), Duration.ofSeconds(60));
      Poll.pause(Duration.ofSeconds(5));
      for (int round = 0; round < rounds; round++) {
        double before = requestCount(sidecar);
        long start = System.nanoTime();
        polled.add(cpuPercent(leader.process().pid(), window, ticksPerSecond));
        polledSeconds += (System.nanoTime() - start) / 1e9;
        requests += requestCount(sidecar) - before;
        signal("STOP", sidecar.pid());
        try {
          frozen.add(cpuPercent(leader.process().pid(), window, ticksPerSecond));
        } finally {
          signal("CONT", sidecar.pid());
        }
        Poll.pause(Duration.ofSeconds(1));
      }
    }
    double withSidecar = mean(polled);
    double without = mean(frozen);
    double cost = withSidecar - without;
    double rate = requests / polledSeconds;
    System.out.printf(
        "  JobManager CPU: %s %% polled %s, %s %% frozen %s; %s requests/s%n",
        Numbers.format(withSidecar), polled, Numbers.format(without), frozen, Numbers.format(rate));
    String how =
        "The leading JobManager's utime+stime (/proc/<pid>/stat) over "
            + rounds
            + " windows of "
            + window.toSeconds()
            + " s while a sidecar process polls it with the default settings (no push), each"
            + " followed by a window with that sidecar frozen by SIGSTOP; the figure is the mean"
            + " difference. Per window, polled: "
            + format(polled)
            + "; frozen: "
            + format(frozen)
            + ". The sidecar's requests to the JobManager while polled (its"
            + " flink_supervisor_rest_requests meters): "
            + Numbers.format(rate)
            + " per second. The cluster's second JobManager, TaskManager, shared sidecar and job"
            + " run throughout.";
    return List.of(
        Figure.of(
            "JobManager CPU spent serving a polling sidecar",
            cost,
            "% of a core",
            "the JobManager's CPU with that sidecar frozen (same run)",
            without,
            Target.valueAtMost(1, "% of a core"),
            how),
        Figure.of(
            "sidecar requests to the JobManager, default settings",
            rate,
            "req/s",
            null,
            "From the sidecar's flink_supervisor_rest_requests meters over the polled windows."));
  }

  private static double cpuPercent(long pid, Duration window, long ticksPerSecond)
      throws Exception {
    long start = System.nanoTime();
    long before = ProcStats.of(pid).cpuTicks();
    Poll.parkUntil(start + window.toNanos());
    long after = ProcStats.of(pid).cpuTicks();
    double seconds = (System.nanoTime() - start) / 1e9;
    return 100.0 * (after - before) / ticksPerSecond / seconds;
  }

  private double requestCount(SidecarProcess sidecar) {
    double total = 0;
    for (String line : lab.http().body(sidecar.url() + "/metrics", null).split("\n")) {
      Matcher m = REQUESTS.matcher(line);
      if (m.matches()) {
        total += Double.parseDouble(m.group(1));
      }
    }
    return total;
  }

  private static void signal(String signal, long pid) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(pid)).start();
    if (kill.waitFor() != 0) {
      throw new IllegalStateException("kill -" + signal + " " + pid + " failed");
    }
  }

  private static double mean(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
  }

  private static String format(List<Double> values) {
    return values.stream().map(v -> Numbers.format(v) + " %").toList().toString();
  }
}
