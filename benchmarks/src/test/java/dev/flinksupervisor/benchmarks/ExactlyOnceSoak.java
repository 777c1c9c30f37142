package dev.flinksupervisor.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinksupervisor.e2e.PipelineUnderFaults;
import dev.flinksupervisor.e2e.PipelineUnderFaults.MemorySample;
import dev.flinksupervisor.e2e.PipelineUnderFaults.Outcome;
import dev.flinksupervisor.e2e.PipelineUnderFaults.Setup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The soak: the exactly-once pipeline of the end-to-end test ({@link PipelineUnderFaults}) under
 * rounds of faults for {@code -Dsoak.duration} (default 30 minutes). Each round fails the job,
 * kills the TaskManager and the leading JobManager, stops the Kubernetes API for 3 s and
 * re-profiles the job; every {@code -Dsoak.sidecar-kill-every} rounds (default 3) it also kills the
 * ACTIVE sidecar during a savepoint, so that sidecars live for several rounds and their memory over
 * time means something. It reports records processed, faults injected, lost and duplicated records,
 * and each sidecar's resident memory over time (sampled every 10 s), and fails if one record is
 * lost or duplicated.
 *
 * <p>Run it with {@code ./mvnw -pl benchmarks -am verify -Psoak -DskipTests -Dsoak.duration=PT30M}
 * ({@code -DskipTests} skips the other modules' tests; the soak runs anyway). The report goes to
 * the output and to {@code benchmarks/target/soak-report.txt}.
 */
class ExactlyOnceSoak {
  private static final Duration SAMPLE_EVERY = Duration.ofSeconds(10);

  @TempDir Path workDir;

  @Test
  void nothing_is_lost_or_duplicated_through_rounds_of_faults() throws Exception {
    Duration duration = Duration.parse(System.getProperty("soak.duration", "PT30M"));
    int sidecarKillEvery = Integer.getInteger("soak.sidecar-kill-every", 3);
    // Eight keys at 200 records/s; retention at its default (5 per job); recoveries unbounded.
    Setup setup = new Setup(8, 200, 5, 1_000_000);
    List<MemorySample> memory = Collections.synchronizedList(new ArrayList<>());
    List<String> progress = new ArrayList<>();
    Instant started = Instant.now();
    ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
    try (PipelineUnderFaults run = PipelineUnderFaults.start(workDir, setup)) {
      sampler.scheduleAtFixedRate(
          () -> memory.addAll(run.sampleMemory()),
          0,
          SAMPLE_EVERY.toMillis(),
          TimeUnit.MILLISECONDS);
      int round = 0;
      try {
        while (Duration.between(started, Instant.now()).compareTo(duration) < 0) {
          round++;
          run.failJob();
          run.killTaskManager();
          run.killLeadingJobManager();
          if (round % sidecarKillEvery == 0) {
            run.killActiveSidecarDuringSavepoint();
          }
          run.stopKubernetesApi(Duration.ofSeconds(3));
          run.reprofile();
          String line =
              String.format(
                  Locale.ROOT,
                  "round %d at %s: %d produced, %d committed, %d faults; sidecars %s",
                  round,
                  minutes(Duration.between(started, Instant.now())),
                  run.produced(),
                  run.committed(),
                  run.faults().size(),
                  run.sampleMemory().stream()
                      .map(s -> s.sidecar() + " " + mib(s.residentBytes()))
                      .collect(Collectors.joining(", ")));
          progress.add(line);
          System.out.println("soak: " + line);
        }
        sampler.shutdownNow();
        Outcome outcome = run.finish();
        String report =
            report(duration, Duration.between(started, Instant.now()), round, run, outcome, memory);
        System.out.println(report);
        Path file = Path.of("target", "soak-report.txt");
        Files.createDirectories(file.getParent());
        Files.writeString(file, report + "\nProgress:\n" + String.join("\n", progress) + "\n");
        assertThat(outcome.check().exactlyOnce())
            .as(outcome.check().examples().toString())
            .isTrue();
        assertThat(outcome.recordProblems()).as("the sidecars' record").isEmpty();
      } catch (AssertionError | Exception e) {
        throw new AssertionError(
            e.getMessage()
                + "\nround "
                + round
                + ", progress:\n"
                + String.join("\n", progress)
                + "\n"
                + run.diagnostics(),
            e);
      }
    } finally {
      sampler.shutdownNow();
    }
  }

  private static String report(
      Duration asked,
      Duration took,
      int rounds,
      PipelineUnderFaults run,
      Outcome outcome,
      List<MemorySample> memory) {
    Map<String, Long> faults = new TreeMap<>();
    run.faults().forEach(f -> faults.merge(f, 1L, Long::sum));
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "Exactly-once soak (asked %s, ran %s, %d rounds, Kafka: %s)%n",
            minutes(asked),
            minutes(took),
            rounds,
            run.kafkaKind()));
    out.append(
        String.format(
            Locale.ROOT,
            "  records produced %d, committed %d (%.0f/s); lost %d, duplicated %d, wrong counts %d,"
                + " unexpected %d%n",
            outcome.produced(),
            outcome.check().records(),
            outcome.check().records() / Math.max(1.0, took.toSeconds()),
            outcome.check().lost(),
            outcome.check().duplicated(),
            outcome.check().wrongCounts(),
            outcome.check().unexpected()));
    out.append(
        String.format(Locale.ROOT, "  faults injected %d: %s%n", run.faults().size(), faults));
    out.append(
        String.format(
            Locale.ROOT,
            "  savepoint records %d (%d completed), on disk %d; record problems: %s%n",
            outcome.savepointRecords(),
            outcome.completedSavepoints(),
            outcome.savepointsOnDisk(),
            outcome.recordProblems().isEmpty() ? "none" : outcome.recordProblems()));
    out.append(
        String.format(
            Locale.ROOT,
            "  runs that went back behind the job's state (STATE_REGRESSED events kept): %d%n",
            outcome.eventTypes().stream().filter("STATE_REGRESSED"::equals).count()));
    out.append("  sidecar resident memory (MiB), sampled every ")
        .append(SAMPLE_EVERY.toSeconds())
        .append(" s; each sidecar from its start to its death or the end:\n");
    Map<String, List<MemorySample>> bySidecar = new LinkedHashMap<>();
    synchronized (memory) {
      memory.forEach(s -> bySidecar.computeIfAbsent(s.sidecar(), k -> new ArrayList<>()).add(s));
    }
    out.append(
        String.format(
            Locale.ROOT,
            "    %-14s %8s %8s %8s %8s %8s %8s%n",
            "sidecar",
            "lived",
            "samples",
            "first",
            "max",
            "last",
            "MiB/h"));
    bySidecar.forEach(
        (name, samples) -> {
          long max = samples.stream().mapToLong(MemorySample::residentBytes).max().orElse(0);
          Duration lived =
              Duration.between(samples.get(0).at(), samples.get(samples.size() - 1).at());
          out.append(
              String.format(
                  Locale.ROOT,
                  "    %-14s %8s %8d %8s %8s %8s %8s%n",
                  name,
                  minutes(lived),
                  samples.size(),
                  mib(samples.get(0).residentBytes()),
                  mib(max),
                  mib(samples.get(samples.size() - 1).residentBytes()),
                  trend(samples)));
        });
    return out.toString();
  }

  /**
   * The least-squares slope of resident memory over time in MiB per hour, after the first two
   * minutes of a sidecar's life (its warm-up); "-" with fewer than six samples after it.
   */
  static String trend(List<MemorySample> samples) {
    Instant warm = samples.get(0).at().plus(Duration.ofMinutes(2));
    List<MemorySample> after = samples.stream().filter(s -> !s.at().isBefore(warm)).toList();
    if (after.size() < 6) {
      return "-";
    }
    double n = after.size();
    double meanT = after.stream().mapToDouble(s -> hours(warm, s.at())).sum() / n;
    double meanM = after.stream().mapToDouble(s -> s.residentBytes() / 1048576.0).sum() / n;
    double cov = 0;
    double var = 0;
    for (MemorySample s : after) {
      double t = hours(warm, s.at()) - meanT;
      cov += t * (s.residentBytes() / 1048576.0 - meanM);
      var += t * t;
    }
    return var == 0 ? "-" : String.format(Locale.ROOT, "%+.1f", cov / var);
  }

  private static double hours(Instant from, Instant to) {
    return Duration.between(from, to).toMillis() / 3_600_000.0;
  }

  private static String mib(long bytes) {
    return String.format(Locale.ROOT, "%.0f", bytes / 1048576.0);
  }

  private static String minutes(Duration d) {
    return String.format(Locale.ROOT, "%d:%02d", d.toMinutes(), d.toSecondsPart());
  }
}
