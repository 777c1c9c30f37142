package dev.flinksupervisor.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.flinksupervisor.flink.CheckpointInfo;
import dev.flinksupervisor.flink.ClusterOverview;
import dev.flinksupervisor.flink.FailureCause;
import dev.flinksupervisor.flink.JobProgress;
import dev.flinksupervisor.flink.JobSummary;
import dev.flinksupervisor.store.LedgerKeeper;
import dev.flinksupervisor.supervision.ClusterSnapshot;
import dev.flinksupervisor.supervision.Event;
import dev.flinksupervisor.supervision.Health;
import dev.flinksupervisor.supervision.JobView;
import dev.flinksupervisor.supervision.Leadership;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** The JSON shapes of the admin API, kept apart from the domain so the contract is explicit. */
final class ApiModel {
  private ApiModel() {}

  /** How fresh the served state is. */
  record Freshness(Instant observedAt, boolean stale, Long ageMs) {
    static Freshness of(ClusterSnapshot snapshot, Instant now, Duration staleAfter) {
      if (snapshot.lastSuccess() == null) {
        return new Freshness(null, true, null);
      }
      Duration age = Duration.between(snapshot.lastSuccess(), now);
      return new Freshness(snapshot.lastSuccess(), age.compareTo(staleAfter) > 0, age.toMillis());
    }
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record LeaderJson(String restUrl, Instant since) {}

  record SlotCountsJson(int total, int available) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record ClusterJson(
      String clusterId,
      String namespace,
      String role,
      Instant roleSince,
      LeaderJson leader,
      int leaderChanges,
      String flinkVersion,
      Integer taskManagers,
      SlotCountsJson slots,
      Freshness freshness,
      String lastError,
      RecordJson record,
      dev.flinksupervisor.supervision.JobManagerContainer jobManagerContainer,
      HealthJson health) {

    static ClusterJson of(
        String clusterId,
        String namespace,
        ClusterSnapshot snapshot,
        Freshness freshness,
        LedgerKeeper.Status record) {
      ClusterOverview overview = snapshot.overview().orElse(null);
      Leadership leadership = snapshot.leadership();
      return new ClusterJson(
          clusterId,
          namespace,
          leadership.role().name(),
          leadership.roleSince(),
          leadership.leader().map(l -> new LeaderJson(l.restUrl(), l.since())).orElse(null),
          leadership.leaderChanges(),
          overview == null ? null : overview.flinkVersion(),
          overview == null ? null : overview.taskManagers(),
          overview == null
              ? null
              : new SlotCountsJson(overview.slotsTotal(), overview.slotsAvailable()),
          freshness,
          snapshot.lastFailure().orElse(null),
          RecordJson.of(record),
          snapshot.jobManager().orElse(null),
          HealthJson.of(Health.of(snapshot.jobManagerHealth().stream().toList())));
    }
  }

  /**
   * The sidecar's own record: where it is, whether it was read, its size against its budget, the
   * last write, and the sections kept aside because they could not be read.
   */
  record RecordJson(
      String where,
      boolean loaded,
      int bytes,
      int capacityBytes,
      boolean overBudget,
      Instant lastWrite,
      String lastError,
      List<String> quarantined,
      long conflicts,
      String problem) {
    static RecordJson of(LedgerKeeper.Status s) {
      return new RecordJson(
          s.where(),
          s.loaded(),
          s.bytes(),
          s.capacity(),
          s.overBudget(),
          s.lastWrite(),
          s.lastError(),
          s.quarantined(),
          s.conflicts(),
          s.problem().orElse(null));
    }
  }

  record CheckpointJson(long id, Instant completedAt, boolean savepoint, String path) {
    static CheckpointJson of(CheckpointInfo c) {
      return new CheckpointJson(
          c.id(), Instant.ofEpochMilli(c.completedAt()), c.savepoint(), c.externalPath());
    }
  }

  /** The newest state the job can be restored from, and where the sidecar learnt of it. */
  record RestorableJson(
      long checkpointId, Instant completedAt, boolean savepoint, String path, String source) {
    static RestorableJson of(JobView.Restorable r) {
      CheckpointInfo c = r.checkpoint();
      return new RestorableJson(
          c.id(),
          Instant.ofEpochMilli(c.completedAt()),
          c.savepoint(),
          c.externalPath(),
          r.source().name());
    }
  }

  record ReasonJson(String code, String verdict, String message) {}

  record HealthJson(String verdict, List<ReasonJson> reasons) {
    static HealthJson of(Health h) {
      return new HealthJson(
          h.verdict().name(),
          h.reasons().stream()
              .map(r -> new ReasonJson(r.code(), r.verdict().name(), r.message()))
              .toList());
    }
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record FailureJson(
      Instant time, String exception, String rootCause, String task, Map<String, String> labels) {
    static FailureJson of(FailureCause f) {
      return new FailureJson(
          Instant.ofEpochMilli(f.timestamp()), f.exception(), f.rootCause(), f.task(), f.labels());
    }
  }

  /** One job; {@code restarts} is null until the JobManager has reported it. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record JobJson(
      String id,
      String name,
      String status,
      Instant startTime,
      Instant endTime,
      long durationMs,
      Long restarts,
      CheckpointJson lastCheckpoint,
      RestorableJson restorable,
      HealthJson health,
      FailureJson lastFailure,
      CheckpointingJson checkpointing) {

    /** The job as last known; its health is UNKNOWN while the served state is stale. */
    static JobJson of(JobView view, Freshness freshness) {
      JobSummary s = view.summary();
      long restarts = view.restarts();
      return new JobJson(
          s.id(),
          s.name(),
          s.status().name(),
          s.startTime() > 0 ? Instant.ofEpochMilli(s.startTime()) : null,
          s.endTime() > 0 ? Instant.ofEpochMilli(s.endTime()) : null,
          s.duration(),
          restarts < 0 ? null : restarts,
          view.lastCheckpoint().map(CheckpointJson::of).orElse(null),
          view.restorable().map(RestorableJson::of).orElse(null),
          HealthJson.of(
              freshness.stale() && freshness.ageMs() != null
                  ? view.health().stale(freshness.ageMs())
                  : view.health()),
          view.failure().map(FailureJson::of).orElse(null),
          view.progress()
              .flatMap(JobProgress::checkpointSettings)
              .map(CheckpointingJson::of)
              .orElse(null));
    }
  }

  /** The job's checkpointing as its JobManager reports it; durations in ISO-8601. */
  record CheckpointingJson(
      java.time.Duration interval,
      java.time.Duration timeout,
      java.time.Duration minPause,
      int tolerableFailures) {
    static CheckpointingJson of(dev.flinksupervisor.flink.CheckpointSettings c) {
      return new CheckpointingJson(c.interval(), c.timeout(), c.minPause(), c.tolerableFailures());
    }
  }

  record JobListJson(List<JobJson> jobs, Freshness freshness) {
    static JobListJson of(ClusterSnapshot snapshot, Freshness freshness) {
      List<JobJson> jobs =
          snapshot.jobs().values().stream()
              .sorted(
                  Comparator.comparingLong((JobView v) -> v.summary().startTime())
                      .reversed()
                      .thenComparing(JobView::id))
              .map(v -> JobJson.of(v, freshness))
              .toList();
      return new JobListJson(jobs, freshness);
    }
  }

  /**
   * @param slots each slot-sharing group's requested profile and the slots Flink allocated
   */
  record JobDetailJson(
      @JsonUnwrapped JobJson job,
      dev.flinksupervisor.jobs.JobService.Slots slots,
      Freshness freshness) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record EventJson(
      long id,
      Instant time,
      Instant lastTime,
      String type,
      String severity,
      String jobId,
      String message,
      int count) {
    static EventJson of(Event e) {
      return new EventJson(
          e.id(),
          e.time(),
          e.lastTime(),
          e.type(),
          e.severity().name(),
          e.jobId(),
          e.message(),
          e.count());
    }
  }

  record EventListJson(List<EventJson> events) {}

  record UpJson(String status) {}

  record ReadyJson(boolean ready, String reason) {}
}
