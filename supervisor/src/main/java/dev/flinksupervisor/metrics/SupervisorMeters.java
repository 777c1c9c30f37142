package dev.flinksupervisor.metrics;

import dev.flinksupervisor.flink.CheckpointInfo;
import dev.flinksupervisor.flink.FailureCause;
import dev.flinksupervisor.flink.JobProgress;
import dev.flinksupervisor.flink.JobSummary;
import dev.flinksupervisor.savepoints.SavepointRecord;
import dev.flinksupervisor.supervision.ClusterSnapshot;
import dev.flinksupervisor.supervision.JobView;
import dev.flinksupervisor.supervision.SupervisionObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
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
  private static final String STATUS = "flink.supervisor.job.status";
  private static final String HEALTH = "flink.supervisor.job.health";
  private static final String RESTARTS = "flink.supervisor.job.restarts";
  private static final String UPTIME = "flink.supervisor.job.uptime";
  private static final String CHECKPOINT_AGE = "flink.supervisor.job.checkpoint.age";
  private static final String SAVEPOINT_AGE = "flink.supervisor.job.savepoint.age";

  private final MeterRegistry registry;
  private final Clock clock;
  private final Timer cycle;
  private final Timer detection;
  private final Counter leaderChanges;
  private final Map<String, List<Meter>> perJob = new HashMap<>();
  private final Map<String, JobGauges> gauges = new HashMap<>();

  public SupervisorMeters(MeterRegistry registry, Clock clock) {
    this.registry = registry;
    this.clock = clock;
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

  /**
   * The JobManager container's restart count and last exit code, from its pod's status (absent
   * until it is read).
   */
  public static void bindJobManager(
      MeterRegistry registry, dev.flinksupervisor.supervision.ClusterState state) {
    Gauge.builder(
            "flink.supervisor.jobmanager.restarts",
            () -> state.snapshot().jobManager().map(c -> (double) c.restarts()).orElse(Double.NaN))
        .description("Kubernetes' restart count of the JobManager container")
        .register(registry);
    Gauge.builder(
            "flink.supervisor.jobmanager.last.exit.code",
            () ->
                state
                    .snapshot()
                    .jobManager()
                    .map(c -> c.lastTermination())
                    .map(t -> (double) t.exitCode())
                    .orElse(Double.NaN))
        .description("The exit code the JobManager container last ended with (137: killed)")
        .register(registry);
  }

  /**
   * One job's gauges. They read the job's latest view when scraped, so a cycle only stores the
   * view; a gauge is registered or removed only when what it shows appears, goes, or changes its
   * tags (a new status or verdict), which keeps a cycle's cost linear in the number of jobs.
   */
  private final class JobGauges {
    private final Tags tags;
    private volatile JobView view;
    private Gauge status;
    private Gauge health;
    private Gauge restarts;
    private Gauge uptime;
    private Gauge checkpointAge;
    private Gauge savepointAge;

    JobGauges(JobView view) {
      this.tags = Tags.of("job_id", view.summary().id(), "job_name", view.summary().name());
      this.view = view;
    }

    /**
     * What the gauges' tags and presence depend on, packed: a cycle in which it did not change (as
     * in nearly every cycle of nearly every job) touches none of the job's meters, which keeps the
     * cycle's cost per job flat however many jobs there are.
     */
    private long shape = -1;

    void update(JobView next) {
      view = next;
      long nextShape = shapeOf(next);
      if (nextShape == shape) {
        return;
      }
      shape = nextShape;
      JobSummary s = next.summary();
      status =
          retag(status, STATUS, "1 for each job's current status", "status", s.status().name());
      health =
          retag(
              health,
              HEALTH,
              "1 for each job's current health verdict",
              "verdict",
              next.health().verdict().name());
      restarts =
          keep(
              restarts,
              next.restarts() >= 0,
              RESTARTS,
              "Restarts of the job (Flink's numRestarts)",
              null,
              () -> view.restarts());
      uptime =
          keep(
              uptime,
              s.status() == JobStatus.RUNNING && s.startTime() > 0,
              UPTIME,
              "How long the job has run",
              "seconds",
              () -> secondsSince(view.summary().startTime()));
      checkpointAge =
          keep(
              checkpointAge,
              next.lastCheckpoint().isPresent(),
              CHECKPOINT_AGE,
              "Time since the job's last completed checkpoint",
              "seconds",
              () ->
                  view.lastCheckpoint().map(c -> secondsSince(c.completedAt())).orElse(Double.NaN));
      savepointAge =
          keep(
              savepointAge,
              lastSavepoint(next).isPresent(),
              SAVEPOINT_AGE,
              "Time since the job's last completed savepoint",
              "seconds",
              () -> lastSavepoint(view).map(c -> secondsSince(c.completedAt())).orElse(Double.NaN));
    }

    private static long shapeOf(JobView v) {
      JobSummary s = v.summary();
      return s.status().ordinal()
          | (long) v.health().verdict().ordinal() << 8
          | (v.restarts() >= 0 ? 1L : 0L) << 16
          | (s.status() == JobStatus.RUNNING && s.startTime() > 0 ? 1L : 0L) << 17
          | (v.lastCheckpoint().isPresent() ? 1L : 0L) << 18
          | (lastSavepoint(v).isPresent() ? 1L : 0L) << 19;
    }

    /** A gauge of 1 tagged with the current value; replaced when the value changes. */
    private Gauge retag(Gauge current, String name, String description, String tag, String value) {
      if (current != null && value.equals(current.getId().getTag(tag))) {
        return current;
      }
      if (current != null) {
        registry.remove(current);
      }
      return Gauge.builder(name, () -> 1)
          .description(description)
          .tags(tags.and(tag, value))
          .register(registry);
    }

    /** A gauge that exists while {@code present}. */
    private Gauge keep(
        Gauge current,
        boolean present,
        String name,
        String description,
        String unit,
        java.util.function.Supplier<Number> value) {
      if (present == (current != null)) {
        return current;
      }
      if (!present) {
        registry.remove(current);
        return null;
      }
      return Gauge.builder(name, value)
          .description(description)
          .baseUnit(unit)
          .tags(tags)
          .register(registry);
    }

    void remove() {
      for (Gauge g : new Gauge[] {status, health, restarts, uptime, checkpointAge, savepointAge}) {
        if (g != null) {
          registry.remove(g);
        }
      }
    }
  }

  private double secondsSince(long epochMillis) {
    return (clock.millis() - epochMillis) / 1000.0;
  }

  private static java.util.Optional<CheckpointInfo> lastSavepoint(JobView view) {
    return view.progress().flatMap(JobProgress::lastSavepoint);
  }

  @Override
  public synchronized void afterCycle(ClusterSnapshot snapshot, Duration took) {
    cycle.record(took);
    for (JobView job : snapshot.jobs().values()) {
      gauges.computeIfAbsent(job.summary().id(), id -> new JobGauges(job)).update(job);
    }
    removeGoneJobs(snapshot.jobs().keySet());
  }

  @Override
  public void statusChangeSeen(JobSummary job, Duration latency) {
    if (!latency.isNegative()) {
      detection.record(latency);
    }
  }

  /** Failures by the labels the JobManager's failure enrichers gave them. */
  @Override
  public void failureSeen(JobSummary job, FailureCause failure) {
    Counter.builder("flink.supervisor.job.failures")
        .description("Failures of jobs seen, by the type and category labels of their cause")
        .tags(
            "type",
            label(failure.labels().get("type")),
            "category",
            label(failure.labels().get("category")))
        .register(registry)
        .increment();
  }

  /** A label as a tag: upper case letters, digits and _ only, so that tags stay few and sane. */
  static String label(String value) {
    if (value == null) {
      return "UNLABELLED";
    }
    return value.matches("[A-Z0-9_]{1,64}") ? value : "OTHER";
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
    if (gauges.size() > listed.size()) {
      gauges
          .entrySet()
          .removeIf(
              e -> {
                boolean gone = !listed.contains(e.getKey());
                if (gone) {
                  e.getValue().remove();
                }
                return gone;
              });
    }
    for (String jobId : new HashSet<>(perJob.keySet())) {
      if (!listed.contains(jobId)) {
        perJob.remove(jobId).forEach(registry::remove);
      }
    }
  }
}
