package dev.flinksupervisor.metrics;

import dev.flinksupervisor.flink.CheckpointInfo;
import dev.flinksupervisor.flink.JobProgress;
import dev.flinksupervisor.flink.JobSummary;
import dev.flinksupervisor.savepoints.SavepointRecord;
import dev.flinksupervisor.supervision.ClusterSnapshot;
import dev.flinksupervisor.supervision.JobView;
import dev.flinksupervisor.supervision.SupervisionObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.JobStatus;

/**
 * The supervision meters: per job (status, health, restarts, uptime, checkpoint and savepoint age,
 * savepoints by outcome and their duration), and of the sidecar itself (cycle duration, detection
 * latency, leader changes). A job's meters are removed when it is no longer listed.
 */
public final class SupervisorMeters implements SupervisionObserver {
  private final MeterRegistry registry;
  private final Clock clock;
  private final MultiGauge status;
  private final MultiGauge health;
  private final MultiGauge restarts;
  private final MultiGauge uptime;
  private final MultiGauge checkpointAge;
  private final MultiGauge savepointAge;
  private final Timer cycle;
  private final Timer detection;
  private final Counter leaderChanges;
  private final Map<String, List<Meter>> perJob = new HashMap<>();

  public SupervisorMeters(MeterRegistry registry, Clock clock) {
    this.registry = registry;
    this.clock = clock;
    status =
        MultiGauge.builder("flink.supervisor.job.status")
            .description("1 for each job's current status")
            .register(registry);
    health =
        MultiGauge.builder("flink.supervisor.job.health")
            .description("1 for each job's current health verdict")
            .register(registry);
    restarts =
        MultiGauge.builder("flink.supervisor.job.restarts")
            .description("Restarts of the job (Flink's numRestarts)")
            .register(registry);
    uptime =
        MultiGauge.builder("flink.supervisor.job.uptime")
            .description("How long the job has run")
            .baseUnit("seconds")
            .register(registry);
    checkpointAge =
        MultiGauge.builder("flink.supervisor.job.checkpoint.age")
            .description("Time since the job's last completed checkpoint")
            .baseUnit("seconds")
            .register(registry);
    savepointAge =
        MultiGauge.builder("flink.supervisor.job.savepoint.age")
            .description("Time since the job's last completed savepoint")
            .baseUnit("seconds")
            .register(registry);
    cycle =
        Timer.builder("flink.supervisor.cycle.duration")
            .description("How long one supervision cycle took")
            .register(registry);
    detection =
        Timer.builder("flink.supervisor.detection.latency")
            .description(
                "From the JobManager's own state-transition timestamp to the sidecar knowing")
            .publishPercentileHistogram()
            .register(registry);
    leaderChanges =
        Counter.builder("flink.supervisor.leader.changes")
            .description("Changes of the leading JobManager seen")
            .register(registry);
  }

  @Override
  public void afterCycle(ClusterSnapshot snapshot, Duration took) {
    cycle.record(took);
    long now = clock.millis();
    List<MultiGauge.Row<?>> statusRows = new ArrayList<>();
    List<MultiGauge.Row<?>> healthRows = new ArrayList<>();
    List<MultiGauge.Row<?>> restartRows = new ArrayList<>();
    List<MultiGauge.Row<?>> uptimeRows = new ArrayList<>();
    List<MultiGauge.Row<?>> checkpointRows = new ArrayList<>();
    List<MultiGauge.Row<?>> savepointRows = new ArrayList<>();
    for (JobView job : snapshot.jobs().values()) {
      JobSummary s = job.summary();
      Tags tags = jobTags(s);
      statusRows.add(MultiGauge.Row.of(tags.and("status", s.status().name()), 1));
      healthRows.add(MultiGauge.Row.of(tags.and("verdict", job.health().verdict().name()), 1));
      if (job.restarts() >= 0) {
        restartRows.add(MultiGauge.Row.of(tags, job.restarts()));
      }
      if (s.status() == JobStatus.RUNNING && s.startTime() > 0) {
        uptimeRows.add(MultiGauge.Row.of(tags, (now - s.startTime()) / 1000.0));
      }
      job.lastCheckpoint()
          .map(CheckpointInfo::completedAt)
          .ifPresent(at -> checkpointRows.add(MultiGauge.Row.of(tags, (now - at) / 1000.0)));
      job.progress()
          .flatMap(JobProgress::lastSavepoint)
          .map(CheckpointInfo::completedAt)
          .ifPresent(at -> savepointRows.add(MultiGauge.Row.of(tags, (now - at) / 1000.0)));
    }
    status.register(statusRows, true);
    health.register(healthRows, true);
    restarts.register(restartRows, true);
    uptime.register(uptimeRows, true);
    checkpointAge.register(checkpointRows, true);
    savepointAge.register(savepointRows, true);
    removeGoneJobs(snapshot.jobs().keySet());
  }

  @Override
  public void statusChangeSeen(JobSummary job, Duration latency) {
    if (!latency.isNegative()) {
      detection.record(latency);
    }
  }

  public void leaderChanged() {
    leaderChanges.increment();
  }

  /** A savepoint ended: counted by outcome, its duration timed when it completed. */
  public synchronized void savepointEnded(SavepointRecord r) {
    Tags tags = Tags.of("job_id", r.jobId());
    List<Meter> meters = perJob.computeIfAbsent(r.jobId(), k -> new ArrayList<>());
    Counter outcome =
        Counter.builder("flink.supervisor.savepoints")
            .description("Savepoints that ended, by outcome")
            .tags(tags.and("outcome", r.state().name(), "origin", r.origin().name()))
            .register(registry);
    track(meters, outcome);
    outcome.increment();
    if (r.completedAt() != null && r.requestedAt() != null && r.path() != null) {
      Timer duration =
          Timer.builder("flink.supervisor.savepoint.duration")
              .description("From the request to the completed savepoint")
              .tags(tags)
              .register(registry);
      track(meters, duration);
      duration.record(Duration.between(r.requestedAt(), r.completedAt()));
    }
  }

  private static void track(List<Meter> meters, Meter meter) {
    if (!meters.contains(meter)) {
      meters.add(meter);
    }
  }

  private synchronized void removeGoneJobs(Set<String> listed) {
    for (String jobId : new HashSet<>(perJob.keySet())) {
      if (!listed.contains(jobId)) {
        perJob.remove(jobId).forEach(registry::remove);
      }
    }
  }

  private static Tags jobTags(JobSummary s) {
    return Tags.of("job_id", s.id(), "job_name", s.name());
  }
}
