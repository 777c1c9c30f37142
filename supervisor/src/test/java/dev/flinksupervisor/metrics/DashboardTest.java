package dev.flinksupervisor.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinksupervisor.flink.CheckpointInfo;
import dev.flinksupervisor.flink.FlinkSavepoints.Format;
import dev.flinksupervisor.flink.JobProgress;
import dev.flinksupervisor.flink.JobSummary;
import dev.flinksupervisor.savepoints.SavepointOrigin;
import dev.flinksupervisor.savepoints.SavepointRecord;
import dev.flinksupervisor.savepoints.SavepointState;
import dev.flinksupervisor.store.InMemoryLedger;
import dev.flinksupervisor.store.LedgerException;
import dev.flinksupervisor.supervision.ClusterSnapshot;
import dev.flinksupervisor.supervision.JobView;
import dev.flinksupervisor.testing.FakeFlinkGateway;
import dev.flinksupervisor.testing.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.api.common.JobStatus;
import org.junit.jupiter.api.Test;

/** Every sidecar meter the Grafana dashboard and the README name is one the sidecar exports. */
class DashboardTest {
  private static final Pattern METER = Pattern.compile("flink_supervisor_[a-z_]+");

  @Test
  void the_dashboard_and_the_readme_name_only_exported_meters() throws Exception {
    MetricsSetup setup = everyMeter();
    String scrape = setup.scrape();

    Set<String> named = new TreeSet<>();
    for (Path doc :
        new Path[] {
          Path.of("..", "k8s", "grafana", "flink-supervisor-dashboard.json"),
          Path.of("..", "README.md")
        }) {
      Matcher m = METER.matcher(Files.readString(doc));
      while (m.find()) {
        named.add(m.group());
      }
    }
    assertThat(named).isNotEmpty();
    for (String name : named) {
      assertThat(scrape).as("the scrape has %s", name).contains(name);
    }
    setup.close();
  }

  @Test
  void the_scrape_passes_prometheus_own_check() throws Exception {
    String reason =
        "promtool is not on the PATH: Debian's 'prometheus' package has it (.ci/run installs it)";
    if (!onPath("promtool")) {
      assertThat(System.getenv("FLINK_SUPERVISOR_REQUIRE_PROMTOOL"))
          .as("%s, but FLINK_SUPERVISOR_REQUIRE_PROMTOOL is set", reason)
          .isNull();
    }
    org.junit.jupiter.api.Assumptions.assumeTrue(onPath("promtool"), reason);
    MetricsSetup setup = everyMeter();
    Process promtool =
        new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
    try (var in = promtool.getOutputStream()) {
      in.write(setup.scrape().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    String complaints =
        new String(
            promtool.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    promtool.waitFor();
    setup.close();

    assertThat(complaints).as("promtool check metrics").isBlank();
    assertThat(promtool.exitValue()).isZero();
  }

  private static boolean onPath(String command) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, command))) {
        return true;
      }
    }
    return false;
  }

  /** A metrics setup as the sidecar's, with every sidecar meter registered and touched. */
  private static MetricsSetup everyMeter() throws Exception {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    MetricsSetup setup =
        new MetricsSetup(
            Map.of("flink.cluster.id", "c"),
            new MetricsSetup.Otlp(
                false, Optional.empty(), Duration.ofMinutes(1), Map.of(), Map.of()));
    SupervisorMeters meters = new SupervisorMeters(setup.registry(), new MutableClock(now));
    CheckpointInfo checkpoint = new CheckpointInfo(1, now.toEpochMilli(), false, "file:/cp");
    CheckpointInfo savepoint = new CheckpointInfo(2, now.toEpochMilli(), true, "file:/sp");
    JobSummary summary = new JobSummary("j", "job", JobStatus.RUNNING, 1, -1, 1, 1);
    JobView job =
        JobView.firstSeen(summary)
            .withProgress(
                new JobProgress(1, Optional.of(checkpoint), Optional.of(savepoint), 1, 0), now);
    meters.afterCycle(ClusterSnapshot.EMPTY.withJobs(Map.of("j", job), now), Duration.ofMillis(1));
    meters.statusChangeSeen(summary, Duration.ofMillis(5));
    meters.leaderChanged();
    dev.flinksupervisor.supervision.ClusterState state =
        new dev.flinksupervisor.supervision.ClusterState();
    state.update(
        s ->
            s.withJobManager(
                new dev.flinksupervisor.supervision.JobManagerContainer(
                    "jm-0",
                    "flink-main-container",
                    1,
                    "running",
                    new dev.flinksupervisor.supervision.JobManagerContainer.Termination(
                        "OOMKilled", 137, now)),
                Optional.empty()));
    SupervisorMeters.bindJobManager(setup.registry(), state);
    meters.failureSeen(
        summary,
        new dev.flinksupervisor.flink.FailureCause(
            1, "x", null, null, Map.of("type", "SYSTEM", "category", "KAFKA")));
    PushMeters push = new PushMeters(setup.registry());
    push.received("JobStatusChangeEvent", Duration.ofMillis(3));
    push.reported(
        "jm", 1, 1, new dev.flinksupervisor.push.PushBatch.Cost(2, 2_000, 1_500, 1_000_000));
    meters.savepointEnded(
        new SavepointRecord(
            "s",
            "j",
            "t",
            SavepointState.COMPLETED,
            SavepointOrigin.MANUAL,
            null,
            Format.CANONICAL,
            false,
            now,
            now,
            now,
            "file:/sp",
            null,
            1,
            null,
            false,
            null));
    new MeteredFlinkGateway(new FakeFlinkGateway(), setup.registry()).jobs().join();
    try {
      new MeteredLedger(new InMemoryLedger(1), setup.registry())
          .write(Map.of("k", "too big"), null);
    } catch (LedgerException expected) {
      // counted as a failed write
    }
    RecordMeters.bind(
        setup.registry(),
        new dev.flinksupervisor.store.LedgerKeeper(
            new InMemoryLedger(1000),
            java.util.List.of(),
            () -> 1,
            dev.flinksupervisor.store.RecordObserver.NONE,
            java.time.Clock.systemUTC(),
            java.time.Duration.ofSeconds(1)));
    return setup;
  }
}
