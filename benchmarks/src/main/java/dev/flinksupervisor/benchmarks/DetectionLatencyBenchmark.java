package dev.flinksupervisor.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flinksupervisor.supervision.EventTypes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;

/**
 * How soon a job failure is known. A job that fails after 60 records restarts again and again
 * (fixed-delay restarts 1 s after each failure: Flink's default delay). Each RUNNING → RESTARTING
 * transition is timed from the JobManager's own timestamp ({@code timestamps.RESTARTING} of {@code
 * GET /jobs/:id}) to the arrival, at this client, of a sidecar's {@code JOB_STATUS_CHANGED} event
 * on its server-sent event stream. Two sidecars watch the same transitions: the shared one, which
 * the JobManager's push plugin tells at once, and one that only polls (at the default interval).
 * The reference of polling is a bare loop polling Flink's {@code /jobs/overview} on the leader as
 * fast as it can: the floor of any poller.
 */
final class DetectionLatencyBenchmark implements Benchmark {
  /**
   * At 100 records per second, the job runs for 0.6 s (plus its deployment) after each restart
   * before it fails again: longer than the sidecar's default poll interval, so that each failure is
   * a failure of a running job. Failures closer together than one poll interval cannot be told
   * apart by any poller at that interval.
   */
  static final int RECORDS_BEFORE_FAILURE = 60;

  private final Lab lab;

  DetectionLatencyBenchmark(Lab lab) {
    this.lab = lab;
  }

  @Override
  public String name() {
    return "detection";
  }

  /** A transition as the bare poller saw it: the JobManager's timestamp and its own arrival. */
  record Transition(long jobManagerMillis, long polledAtMillis) {}

  @Override
  public List<Figure> run(Mode mode) throws Exception {
    int failures = mode.pick(30, 100);
    Lab.Cluster cluster = lab.cluster();
    SidecarProcess sidecar = lab.sidecar();
    Http http = lab.http();
    try (SidecarProcess polling = lab.startSidecar()) {
      polling.awaitReady(http, Duration.ofSeconds(60));
      return run(failures, cluster, sidecar, polling, http);
    }
  }

  private List<Figure> run(
      int failures, Lab.Cluster cluster, SidecarProcess sidecar, SidecarProcess polling, Http http)
      throws Exception {
    String leader = cluster.leaderUrl();

    Configuration restarts = new Configuration();
    restarts.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
    restarts.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, Integer.MAX_VALUE);
    restarts.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofSeconds(1));

    long jobManagerPid = cluster.jobManagerAt(leader).process().pid();
    ProcStats jobManagerBefore = ProcStats.of(jobManagerPid);
    String metricsBefore = http.body(sidecar.url() + "/metrics", SidecarProcess.TOKEN);
    PluginCost costBefore = PluginCost.of(metricsBefore);
    long startedNanos = System.nanoTime();
    List<Transition> transitions;
    try (EventStream pushed = EventStream.open(http, sidecar.url(), SidecarProcess.TOKEN);
        EventStream polled = EventStream.open(http, polling.url(), SidecarProcess.TOKEN)) {
      JobID job =
          cluster.submit(
              "failing",
              restarts,
              "--buckets",
              "1",
              "--rate",
              "100",
              "--fail-every",
              String.valueOf(RECORDS_BEFORE_FAILURE),
              // No checkpoint completes during the run: every restart starts from scratch and
              // runs for the same time before it fails again.
              "--checkpoint-interval",
              "3600000");
      BarePoller poller = new BarePoller(http, leader, job.toHexString());
      Thread barePolling = new Thread(poller, "bare-poller");
      barePolling.setDaemon(true);
      barePolling.start();
      try {
        try {
          Poll.until(
              failures + " failures",
              Duration.ofSeconds(60L + 6L * failures),
              Duration.ofMillis(100),
              () -> poller.transitions.size() > failures ? Boolean.TRUE : null);
        } catch (TimeoutException e) {
          System.out.printf(
              "  only %d failures within the time allowed%n", poller.transitions.size());
        }
        // Let the sidecar report the last counted transition too.
        Poll.pause(Duration.ofSeconds(2));
      } finally {
        poller.stop = true;
        barePolling.join(TimeUnit.SECONDS.toMillis(10));
        cluster.client().cancel(job).get(60, TimeUnit.SECONDS);
      }
      transitions =
          poller.transitions.stream()
              .sorted(Comparator.comparingLong(Transition::jobManagerMillis))
              .toList();
      if (poller.error != null) {
        System.out.println("  the bare poller's last error: " + poller.error);
      }
      String id = job.toHexString();
      List<Figure> figures = new ArrayList<>();
      Seen byPolling = seen(transitions, restartingEvents(polled.arrivals(), id), failures);
      figures.addAll(pollingFigures(byPolling));
      String metrics = http.body(sidecar.url() + "/metrics", SidecarProcess.TOKEN);
      String lag = pushLag(metricsBefore, metrics);
      double seconds = (System.nanoTime() - startedNanos) / 1e9;
      double jobManagerCpu =
          (ProcStats.of(jobManagerPid).cpuTicks() - jobManagerBefore.cpuTicks())
              / (double) ProcStats.ticksPerSecond()
              / seconds
              * 100;
      figures.addAll(
          PluginCost.of(metrics)
              .since(costBefore)
              .figures(seconds, jobManagerCpu, counted(transitions, failures)));
      figures.addAll(
          pushFigures(
              seen(transitions, restartingEvents(pushed.arrivals(), id), failures),
              byPolling,
              lag));
      return figures;
    }
  }

  private static int counted(List<Transition> transitions, int failures) {
    return Math.min(transitions.size(), failures);
  }

  /**
   * What the push plugin cost the JobManager, as the plugin measures it and the sidecar shows it
   * ({@code flink_supervisor_push_jobmanager_*}): the calls of the JobManager's thread into the
   * plugin and their time, and the CPU time of the plugin's sender thread.
   */
  record PluginCost(double handOffs, double handOffSeconds, double maxSeconds, double cpuSeconds) {
    static PluginCost of(String prometheusText) {
      return new PluginCost(
          gauge(prometheusText, "flink_supervisor_push_jobmanager_handoffs"),
          gauge(prometheusText, "flink_supervisor_push_jobmanager_handoff_time_seconds"),
          gauge(prometheusText, "flink_supervisor_push_jobmanager_handoff_max_seconds"),
          gauge(prometheusText, "flink_supervisor_push_jobmanager_sender_cpu_seconds"));
    }

    PluginCost since(PluginCost before) {
      return new PluginCost(
          handOffs - before.handOffs,
          handOffSeconds - before.handOffSeconds,
          maxSeconds,
          cpuSeconds - before.cpuSeconds);
    }

    static double gauge(String prometheusText, String name) {
      for (String line : prometheusText.split("\n")) {
        if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
          return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
      }
      return Double.NaN;
    }

    List<Figure> figures(double seconds, double jobManagerCpuPercent, int failures) {
      double meanMicros = handOffs > 0 ? handOffSeconds / handOffs * 1e6 : Double.NaN;
      double cpuPercent = cpuSeconds / seconds * 100;
      System.out.printf(
          "  push plugin in the JobManager: %.0f hand-offs, mean %s µs, longest %s µs; sender"
              + " CPU %s %% of a core; the JobManager %s %% of a core%n",
          handOffs,
          Numbers.format(meanMicros),
          Numbers.format(maxSeconds * 1e6),
          Numbers.format(cpuPercent),
          Numbers.format(jobManagerCpuPercent));
      String how =
          "Measured by the plugin in the JobManager and read from the sidecar's"
              + " flink_supervisor_push_jobmanager_* gauges over the detection run ("
              + failures
              + " failures, "
              + Numbers.format(seconds)
              + " s): the time the JobManager's thread spent in the reporter per event (the"
              + " time added to a job status change; the longest since the JobManager started is "
              + Numbers.format(maxSeconds * 1e6)
              + " µs), and the CPU time of the plugin's sender thread; the JobManager's own CPU"
              + " from /proc/<pid>/stat over the same window.";
      return List.of(
          Figure.of(
              "push plugin: JobManager thread time per event, mean",
              meanMicros,
              "µs",
              "longest single hand-off",
              maxSeconds * 1e6,
              null,
              how),
          Figure.of(
              "push plugin: sender CPU in the JobManager",
              cpuPercent,
              "% of a core",
              "the JobManager's CPU, same window",
              jobManagerCpuPercent,
              null,
              how));
    }
  }

  /** The sidecar's RESTARTING events of the job: its own time (epoch ms) → arrival here. */
  static TreeMap<Long, Long> restartingEvents(List<EventStream.Arrival> events, String jobId) {
    TreeMap<Long, Long> byEventTime = new TreeMap<>();
    for (EventStream.Arrival a : events) {
      JsonNode e = a.event();
      if (EventTypes.JOB_STATUS_CHANGED.equals(a.type())
          && jobId.equals(e.path("jobId").asText())
          && e.path("message").asText().contains(" is RESTARTING")) {
        long at = Instant.parse(e.path("lastTime").asText()).toEpochMilli();
        byEventTime.merge(at, a.arrivedAtMillis(), Math::min);
      }
    }
    return byEventTime;
  }

  /** What one sidecar saw of the transitions, beside the bare poller. */
  record Seen(Percentiles sidecar, Percentiles bare, int counted, int wanted, int missed) {}

  /**
   * The first {@code wanted} transitions, each matched with the sidecar's first event recorded
   * after it and before the next one: the sidecar saw the job RESTARTING, so the latest transition
   * before its event is the one it saw.
   */
  static Seen seen(List<Transition> transitions, TreeMap<Long, Long> sidecarEvents, int wanted) {
    List<Double> sidecar = new ArrayList<>();
    List<Double> bare = new ArrayList<>();
    int missed = 0;
    int counted = Math.min(wanted, transitions.size());
    for (int i = 0; i < counted; i++) {
      Transition t = transitions.get(i);
      long next =
          i + 1 < transitions.size() ? transitions.get(i + 1).jobManagerMillis() : Long.MAX_VALUE;
      bare.add((double) (t.polledAtMillis() - t.jobManagerMillis()));
      var seen = sidecarEvents.subMap(t.jobManagerMillis(), true, next, false);
      if (seen.isEmpty()) {
        missed++;
      } else {
        long arrived = seen.values().stream().mapToLong(Long::longValue).min().orElseThrow();
        sidecar.add((double) (arrived - t.jobManagerMillis()));
      }
    }
    if (sidecar.isEmpty()) {
      throw new IllegalStateException(
          "The sidecar reported none of " + counted + " RESTARTING transitions");
    }
    return new Seen(Percentiles.of(sidecar), Percentiles.of(bare), counted, wanted, missed);
  }

  private static String how(Seen seen, String sidecar) {
    return seen.counted()
        + " injected failures (RUNNING → RESTARTING; restarts 1 s after a failure, the job"
        + " then runs 0.6 s before the next)"
        + (seen.counted() < seen.wanted() ? ", fewer than the " + seen.wanted() + " wanted" : "")
        + "; from the JobManager's timestamps.RESTARTING (GET /jobs/:id, details cache 50 ms)"
        + " to the arrival at the benchmark client of the JOB_STATUS_CHANGED event on"
        + " /api/v1/events/stream of "
        + sidecar
        + ". Missed: "
        + seen.missed()
        + ". Nearest-rank percentiles: with fewer than 100 failures p99 is the slowest.";
  }

  /** Polling alone (the default interval), beside a bare poller as fast as it can. */
  static List<Figure> pollingFigures(Seen seen) {
    System.out.printf(
        "  %d failures; polling sidecar p50 %s ms, p99 %s ms; bare poller p50 %s ms, p99 %s ms;"
            + " missed by the sidecar: %d%n",
        seen.counted(),
        Numbers.format(seen.sidecar().median()),
        Numbers.format(seen.sidecar().p99()),
        Numbers.format(seen.bare().median()),
        Numbers.format(seen.bare().p99()),
        seen.missed());
    String how =
        how(
            seen,
            "a sidecar that polls every "
                + dev.flinksupervisor.config.SupervisorOptions.POLL_INTERVAL
                    .defaultValue()
                    .toMillis()
                + " ms (the default), no push plugin");
    String reference = "bare loop polling /jobs/overview as fast as it can";
    return List.of(
        Figure.of(
            "failure detection p50 (sidecar event at client)",
            seen.sidecar().median(),
            "ms",
            reference + ", p50",
            seen.bare().median(),
            null,
            how),
        Figure.of(
            "failure detection p99 (sidecar event at client)",
            seen.sidecar().p99(),
            "ms",
            reference + ", p99",
            seen.bare().p99(),
            Target.valueAtMost(300, "ms"),
            how));
  }

  /** With the JobManager's push plugin, beside the polling sidecar in the same run. */
  static List<Figure> pushFigures(Seen seen, Seen polling, String lag) {
    System.out.printf(
        "  with push: p50 %s ms, p99 %s ms; missed: %d; %s%n",
        Numbers.format(seen.sidecar().median()),
        Numbers.format(seen.sidecar().p99()),
        seen.missed(),
        lag);
    String how =
        how(
                seen,
                "a sidecar the JobManager's push plugin tells (it polls /jobs/overview at once on"
                    + " the push and records what the JobManager answers)")
            + " Of which "
            + lag
            + ".";
    String reference = "the polling sidecar in the same run";
    return List.of(
        Figure.of(
            "failure detection p50 with the push plugin",
            seen.sidecar().median(),
            "ms",
            reference + ", p50",
            polling.sidecar().median(),
            null,
            how),
        Figure.of(
            "failure detection p99 with the push plugin",
            seen.sidecar().p99(),
            "ms",
            reference + ", p99",
            polling.sidecar().p99(),
            Target.valueAtMost(25, "ms"),
            how));
  }

  /**
   * The sidecar's own measure of the push path, from its {@code flink_supervisor_push_lag_seconds}
   * histogram: from the JobManager's own timestamp of a job status change to the sidecar receiving
   * its push, every status change between the two scrapes, as bucket upper bounds.
   */
  static String pushLag(String before, String after) {
    java.util.TreeMap<Double, Double> buckets = lagBuckets(after);
    lagBuckets(before).forEach((le, count) -> buckets.merge(le, -count, Double::sum));
    return describeLag(buckets);
  }

  private static java.util.TreeMap<Double, Double> lagBuckets(String prometheusText) {
    java.util.TreeMap<Double, Double> buckets = new java.util.TreeMap<>();
    java.util.regex.Pattern bucket =
        java.util.regex.Pattern.compile(
            "^flink_supervisor_push_lag_seconds_bucket\\{(?=.*event=\"JobStatusChangeEvent\")"
                + ".*le=\"([^\"]+)\".*} ([0-9.eE+]+)$");
    for (String line : prometheusText.split("\n")) {
      java.util.regex.Matcher m = bucket.matcher(line);
      if (m.matches()) {
        double le =
            m.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(m.group(1));
        buckets.merge(le, Double.parseDouble(m.group(2)), Double::sum);
      }
    }
    return buckets;
  }

  private static String describeLag(java.util.TreeMap<Double, Double> buckets) {
    if (buckets.isEmpty() || buckets.lastEntry().getValue() == 0) {
      return "no pushed event was measured by the sidecar";
    }
    double total = buckets.lastEntry().getValue();
    return String.format(
        java.util.Locale.ROOT,
        "JobManager → sidecar (push lag of %d status changes): p50 ≤ %s ms, p99 ≤ %s ms",
        (long) total,
        Numbers.format(quantile(buckets, total, 0.5) * 1000),
        Numbers.format(quantile(buckets, total, 0.99) * 1000));
  }

  private static double quantile(
      java.util.TreeMap<Double, Double> buckets, double total, double q) {
    for (var e : buckets.entrySet()) {
      if (e.getValue() >= q * total) {
        return e.getKey();
      }
    }
    return buckets.lastKey();
  }

  /**
   * Polls {@code /jobs/overview} back to back and notes each RESTARTING transition of the job with
   * the JobManager's own timestamp of it.
   */
  private static final class BarePoller implements Runnable {
    private final Http http;
    private final String leader;
    private final String jobId;
    final List<Transition> transitions = new CopyOnWriteArrayList<>();
    volatile boolean stop;
    volatile String error;

    BarePoller(Http http, String leader, String jobId) {
      this.http = http;
      this.leader = leader;
      this.jobId = jobId;
    }

    @Override
    public void run() {
      String previous = null;
      while (!stop) {
        try {
          JsonNode overview = http.json(leader + "/jobs/overview", null);
          long arrived = System.currentTimeMillis();
          String status = null;
          for (JsonNode job : overview.path("jobs")) {
            if (jobId.equals(job.path("jid").asText())) {
              status = job.path("state").asText();
            }
          }
          if ("RESTARTING".equals(status) && !"RESTARTING".equals(previous)) {
            transitions.add(new Transition(restartingSince(arrived), arrived));
          }
          previous = status;
        } catch (RuntimeException | InterruptedException | TimeoutException e) {
          error = e.toString();
          if (e instanceof InterruptedException || Thread.currentThread().isInterrupted()) {
            return;
          }
        }
      }
    }

    /**
     * The JobManager's timestamp of the transition just seen: {@code timestamps.RESTARTING} of the
     * job's details, once they show one newer than the previous transition's (the details may be
     * cached for up to {@link Lab#DETAILS_CACHE}).
     */
    private long restartingSince(long seenAt) throws InterruptedException, TimeoutException {
      long previous =
          transitions.isEmpty() ? 0 : transitions.get(transitions.size() - 1).jobManagerMillis();
      return Poll.until(
          "the RESTARTING timestamp in the job's details",
          Duration.ofSeconds(2),
          Duration.ofMillis(10),
          () -> {
            long at =
                http.json(leader + "/jobs/" + jobId, null).at("/timestamps/RESTARTING").asLong();
            return at > previous && at <= seenAt ? at : null;
          });
    }
  }
}
