package dev.flinksupervisor.benchmarks;

import dev.flinksupervisor.flink.CheckpointInfo;
import dev.flinksupervisor.flink.JobProgress;
import dev.flinksupervisor.flink.JobSummary;
import dev.flinksupervisor.metrics.MeteredFlinkGateway;
import dev.flinksupervisor.metrics.MetricsSetup;
import dev.flinksupervisor.metrics.SupervisorMeters;
import dev.flinksupervisor.supervision.Backoff;
import dev.flinksupervisor.supervision.ClusterState;
import dev.flinksupervisor.supervision.EventLog;
import dev.flinksupervisor.supervision.HealthPolicies;
import dev.flinksupervisor.supervision.HealthThresholds;
import dev.flinksupervisor.supervision.RestorableRecord;
import dev.flinksupervisor.supervision.SupervisionLoop;
import dev.flinksupervisor.testing.FakeFlinkGateway;
import dev.flinksupervisor.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.JobStatus;

/**
 * The cost of one supervision cycle at 10 to 10,000 jobs: {@link SupervisionLoop#cycle()} in this
 * process, composed as the sidecar composes it (metered gateway, supervision meters on a Prometheus
 * registry, event log, health policies), against a fake gateway that answers at once with N running
 * jobs. The clock moves by the default poll interval after each cycle, so that every cycle that
 * reaches the default details interval also refreshes every job's details, as in production: the
 * median is a plain cycle, the p99 a refreshing one.
 */
final class CycleCostBenchmark implements Benchmark {
  static final List<Integer> JOB_COUNTS = List.of(10, 100, 1_000, 10_000);
  private static final Duration POLL_INTERVAL =
      dev.flinksupervisor.config.SupervisorOptions.POLL_INTERVAL.defaultValue();
  private static final Duration DETAILS_INTERVAL =
      dev.flinksupervisor.config.SupervisorOptions.DETAILS_INTERVAL.defaultValue();

  private final List<Integer> jobCounts;

  CycleCostBenchmark() {
    this(JOB_COUNTS);
  }

  CycleCostBenchmark(List<Integer> jobCounts) {
    this.jobCounts = jobCounts;
  }

  @Override
  public String name() {
    return "cycle-cost";
  }

  /** How long to warm up and to measure, and how many cycles at least and at most. */
  record Budget(
      Duration warmUp, int minWarmUpCycles, Duration window, int minCycles, int maxCycles) {
    static Budget of(Mode mode) {
      return mode.pick(
          new Budget(Duration.ofSeconds(1), 10, Duration.ofSeconds(3), 30, 2_000),
          new Budget(Duration.ofSeconds(5), 50, Duration.ofSeconds(15), 200, 5_000));
    }
  }

  /** Cycle durations with the sidecar's composition, and without its supervision meters. */
  record Measured(Percentiles cycles, Percentiles withoutMeters) {}

  @Override
  public List<Figure> run(Mode mode) throws Exception {
    return figures(measureAll(Budget.of(mode)), Budget.of(mode));
  }

  Map<Integer, Measured> measureAll(Budget budget) throws Exception {
    Map<Integer, Measured> cycles = new LinkedHashMap<>();
    for (int jobs : jobCounts) {
      Percentiles p = measure(jobs, budget, true);
      Percentiles bare = measure(jobs, budget, false);
      System.out.printf(
          "  %,d jobs: median %s ms, p99 %s ms over %d cycles; without meters %s / %s ms%n",
          jobs,
          Numbers.format(p.median()),
          Numbers.format(p.p99()),
          p.count(),
          Numbers.format(bare.median()),
          Numbers.format(bare.p99()));
      cycles.put(jobs, new Measured(p, bare));
    }
    return cycles;
  }

  /**
   * Cycle durations in milliseconds at {@code jobs} jobs, after the warm-up; {@code withMeters}
   * attaches the supervision meters as the sidecar does.
   */
  static Percentiles measure(int jobs, Budget budget, boolean withMeters) throws Exception {
    MutableClock clock = new MutableClock(Instant.now());
    List<JobSummary> listed = new ArrayList<>(jobs);
    long started = clock.millis() - Duration.ofHours(1).toMillis();
    for (int i = 0; i < jobs; i++) {
      listed.add(
          new JobSummary(
              String.format("%032x", i + 1),
              "job-" + i,
              JobStatus.RUNNING,
              started,
              -1,
              clock.millis() - started,
              started + 1_000));
    }
    FakeFlinkGateway gateway = new FakeFlinkGateway();
    gateway.jobs = () -> CompletableFuture.completedFuture(listed);
    AtomicLong checkpointIds = new AtomicLong();
    // A job that checkpoints: each read shows a checkpoint completed a second ago.
    gateway.progress =
        id ->
            CompletableFuture.completedFuture(
                new JobProgress(
                    0,
                    Optional.of(
                        new CheckpointInfo(
                            checkpointIds.incrementAndGet(),
                            clock.millis() - 1_000,
                            false,
                            "file:/checkpoints/" + id + "/chk")),
                    Optional.empty(),
                    100,
                    0));

    ScheduledExecutorService unused = Executors.newSingleThreadScheduledExecutor();
    try (MetricsSetup metrics =
        new MetricsSetup(
            Map.of("flink.cluster.id", "benchmark"),
            new MetricsSetup.Otlp(
                false, Optional.empty(), Duration.ofMinutes(1), Map.of(), Map.of()))) {
      HealthPolicies health =
          new HealthPolicies(
              new HealthThresholds(
                  3, Duration.ofMinutes(10), Duration.ofMinutes(10), 3, Duration.ofMinutes(5)));
      SupervisionLoop loop =
          new SupervisionLoop(
              new MeteredFlinkGateway(gateway, metrics.registry()),
              new ClusterState(),
              new EventLog(clock, 1_000),
              clock,
              new Backoff(POLL_INTERVAL, Duration.ofSeconds(5)),
              DETAILS_INTERVAL,
              jobId -> Optional.empty(),
              Duration.ofSeconds(30),
              health::of,
              new RestorableRecord(),
              unused);
      if (withMeters) {
        loop.observe(new SupervisorMeters(metrics.registry(), clock));
      }

      long warmUpEnd = System.nanoTime() + budget.warmUp().toNanos();
      int warmUpCycles = 0;
      while (warmUpCycles < budget.minWarmUpCycles() || System.nanoTime() - warmUpEnd < 0) {
        loop.cycle();
        clock.advance(POLL_INTERVAL);
        warmUpCycles++;
      }
      List<Double> millis = new ArrayList<>();
      long windowEnd = System.nanoTime() + budget.window().toNanos();
      while (millis.size() < budget.maxCycles()
          && (millis.size() < budget.minCycles() || System.nanoTime() - windowEnd < 0)) {
        long start = System.nanoTime();
        loop.cycle();
        millis.add((System.nanoTime() - start) / 1e6);
        clock.advance(POLL_INTERVAL);
      }
      loop.close();
      return Percentiles.of(millis);
    } finally {
      unused.shutdownNow();
    }
  }

  List<Figure> figures(Map<Integer, Measured> cycles, Budget budget) {
    List<Figure> figures = new ArrayList<>();
    String how =
        "In-process SupervisionLoop.cycle() against a fake gateway answering at once; the clock"
            + " moves "
            + POLL_INTERVAL.toMillis()
            + " ms per cycle (the default poll interval), so every "
            + DETAILS_INTERVAL.toMillis() / POLL_INTERVAL.toMillis()
            + "th cycle refreshes all details ("
            + DETAILS_INTERVAL.toSeconds()
            + " s interval);"
            + " at least "
            + budget.minCycles()
            + " cycles over "
            + budget.window().toSeconds()
            + " s after "
            + budget.warmUp().toSeconds()
            + " s of warm-up. The reference is the same cycle without the supervision meters"
            + " (SupervisorMeters as the loop's observer), measured right after.";
    String reference = "same cycle without supervision meters";
    for (Map.Entry<Integer, Measured> e : cycles.entrySet()) {
      int jobs = e.getKey();
      Percentiles p = e.getValue().cycles();
      Percentiles bare = e.getValue().withoutMeters();
      Target target = jobs == 1_000 ? Target.valueAtMost(20, "ms") : null;
      String label = String.format("%,d jobs", jobs);
      figures.add(
          Figure.of(
              "supervision cycle, " + label + ", median",
              p.median(),
              "ms",
              reference + ", median",
              bare.median(),
              target,
              how + " " + p.count() + " cycles measured."));
      figures.add(
          Figure.of(
              "supervision cycle, " + label + ", p99",
              p.p99(),
              "ms",
              reference + ", p99",
              bare.p99(),
              target,
              "p99 by nearest rank: a cycle that also refreshes every job's details."));
      figures.add(
          Figure.of(
              "supervision cycle, " + label + ", median per job",
              p.median() * 1000 / jobs,
              "µs",
              reference + ", median per job",
              bare.median() * 1000 / jobs,
              null,
              "The median cycle divided by the job count."));
    }
    Percentiles thousand = cycles.containsKey(1_000) ? cycles.get(1_000).cycles() : null;
    Percentiles tenThousand = cycles.containsKey(10_000) ? cycles.get(10_000).cycles() : null;
    if (thousand != null && tenThousand != null) {
      figures.add(
          Figure.of(
              "supervision cycle, median at 10,000 ÷ at 1,000 jobs",
              tenThousand.median() / thousand.median(),
              "×",
              "linear growth (10× the jobs)",
              10.0,
              Target.ratioAtMost(1.2),
              "Linear growth gives 10 (ratio 1); the target allows 20 % above linear."));
    }
    return figures;
  }
}
