package dev.flinksupervisor.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinksupervisor.flink.FlinkSavepoints.Format;
import dev.flinksupervisor.flink.JobProgress;
import dev.flinksupervisor.flink.JobSummary;
import dev.flinksupervisor.savepoints.SavepointOrigin;
import dev.flinksupervisor.savepoints.SavepointRecord;
import dev.flinksupervisor.savepoints.SavepointState;
import dev.flinksupervisor.supervision.ClusterSnapshot;
import dev.flinksupervisor.supervision.JobView;
import dev.flinksupervisor.testing.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.api.common.JobStatus;
import org.junit.jupiter.api.Test;

class SupervisorMetersTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final MutableClock clock = new MutableClock(T0);
  private final SupervisorMeters meters = new SupervisorMeters(registry, clock);

  private static JobView job(String id, JobStatus status, long restarts) {
    return JobView.firstSeen(
            new JobSummary(id, "job-" + id, status, T0.toEpochMilli() - 60_000, -1, 60_000, 1))
        .withProgress(new JobProgress(restarts, Optional.empty(), Optional.empty(), 0, 0), T0);
  }

  private static ClusterSnapshot snapshot(JobView... jobs) {
    Map<String, JobView> map = new java.util.HashMap<>();
    for (JobView j : jobs) {
      map.put(j.id(), j);
    }
    return ClusterSnapshot.EMPTY.withJobs(map, T0);
  }

  @Test
  void job_meters_follow_the_jobs_and_go_away_with_them() {
    meters.afterCycle(
        snapshot(job("a", JobStatus.RUNNING, 2), job("b", JobStatus.RESTARTING, 5)),
        Duration.ofMillis(3));

    assertThat(registry.get("flink.supervisor.job.restarts").tag("job_id", "b").gauge().value())
        .isEqualTo(5);
    assertThat(
            registry
                .get("flink.supervisor.job.status")
                .tag("job_id", "a")
                .tag("status", "RUNNING")
                .gauge()
                .value())
        .isEqualTo(1);
    assertThat(registry.get("flink.supervisor.job.uptime").tag("job_id", "a").gauge().value())
        .isEqualTo(60);

    meters.savepointEnded(
        new SavepointRecord(
            "s",
            "b",
            "t",
            SavepointState.COMPLETED,
            SavepointOrigin.MANUAL,
            null,
            Format.CANONICAL,
            false,
            T0,
            T0,
            T0.plusSeconds(2),
            "file:/sp",
            null,
            1,
            null,
            false,
            null));
    assertThat(
            registry
                .get("flink.supervisor.savepoint.duration")
                .tag("job_id", "b")
                .timer()
                .totalTime(java.util.concurrent.TimeUnit.SECONDS))
        .isEqualTo(2);

    meters.afterCycle(snapshot(job("a", JobStatus.RUNNING, 2)), Duration.ofMillis(3));

    assertThat(registry.find("flink.supervisor.job.restarts").tag("job_id", "b").gauge()).isNull();
    assertThat(registry.find("flink.supervisor.savepoints").tag("job_id", "b").counter()).isNull();
    assertThat(registry.find("flink.supervisor.savepoint.duration").tag("job_id", "b").timer())
        .isNull();
    assertThat(registry.get("flink.supervisor.cycle.duration").timer().count()).isEqualTo(2);
  }

  @Test
  void a_new_status_replaces_the_old_one_and_a_job_replaced_in_one_cycle_is_removed() {
    meters.afterCycle(snapshot(job("a", JobStatus.RUNNING, 0)), Duration.ofMillis(1));
    meters.afterCycle(
        snapshot(job("a", JobStatus.RESTARTING, 1), job("c", JobStatus.RUNNING, 0)),
        Duration.ofMillis(1));

    assertThat(registry.find("flink.supervisor.job.status").tag("job_id", "a").gauges())
        .singleElement()
        .satisfies(g -> assertThat(g.getId().getTag("status")).isEqualTo("RESTARTING"));
    assertThat(registry.find("flink.supervisor.job.uptime").tag("job_id", "a").gauge())
        .as("no uptime while not running")
        .isNull();

    meters.afterCycle(
        snapshot(job("b", JobStatus.RUNNING, 0), job("c", JobStatus.RUNNING, 0)),
        Duration.ofMillis(1));

    assertThat(registry.find("flink.supervisor.job.status").tag("job_id", "a").gauges()).isEmpty();
    assertThat(registry.find("flink.supervisor.job.health").tag("job_id", "a").gauges()).isEmpty();
    assertThat(registry.find("flink.supervisor.job.status").gauges()).hasSize(2);
  }
}
