package dev.flinksupervisor.savepoints;

import dev.flinksupervisor.flink.CheckpointInfo;
import dev.flinksupervisor.flink.FlinkSavepoints;
import dev.flinksupervisor.flink.FlinkSavepoints.Format;
import dev.flinksupervisor.flink.FlinkSavepoints.Status;
import dev.flinksupervisor.flink.JobProgress;
import dev.flinksupervisor.supervision.ClusterState;
import dev.flinksupervisor.supervision.EventLog;
import dev.flinksupervisor.supervision.JobView;
import dev.flinksupervisor.supervision.Severity;
import dev.flinksupervisor.util.Failures;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.apache.flink.api.common.JobStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes, tracks, retries and retains savepoints. Every savepoint is first written to the record
 * with the trigger id it will carry, then triggered; a trigger sent again carries the same id, so
 * Flink starts it once. A record in flight when the sidecar restarts or the leader moves is found
 * again by its trigger id, or by the job's checkpoint history, and completed or marked ABANDONED
 * with the reason. All changes happen under one lock, on the caller's thread or the tracker's.
 */
public final class SavepointService {
  private static final Logger LOG = LoggerFactory.getLogger(SavepointService.class);

  /** Event types of savepoints; documented in the README. */
  public static final String REQUESTED = "SAVEPOINT_REQUESTED";

  public static final String COMPLETED = "SAVEPOINT_COMPLETED";
  public static final String FAILED = "SAVEPOINT_FAILED";
  public static final String RETRYING = "SAVEPOINT_RETRYING";
  public static final String ABANDONED = "SAVEPOINT_ABANDONED";
  public static final String DISPOSED = "SAVEPOINT_DISPOSED";
  public static final String DISPOSAL_FAILED = "SAVEPOINT_DISPOSAL_FAILED";
  public static final String JOB_CANCELLED = "JOB_CANCELLED";

  private final FlinkSavepoints flink;
  private final SavepointBook book;
  private final ClusterState cluster;
  private final EventLog events;
  private final Clock clock;
  private final SavepointSettings settings;
  private final Supplier<String> ids;
  private final Runnable persist;
  private final Map<String, Instant> firstSeen = new HashMap<>();
  private volatile java.util.function.Consumer<SavepointRecord> onEnded = r -> {};

  private volatile Runnable onTriggered = () -> {};

  /** Who is told that a trigger was sent (the tracker, to look again soon). */
  public void observeTriggers(Runnable listener) {
    this.onTriggered = listener;
  }

  /**
   * How soon the tracker should look again: every 20 ms in the first 2 s after a trigger, when a
   * savepoint of small state completes, then every 100 ms up to 10 s, then at {@code
   * trackInterval}.
   */
  public synchronized Duration nextCheckIn(Duration trackInterval) {
    Instant now = clock.instant();
    Duration next = trackInterval;
    for (SavepointRecord r : book.inFlight()) {
      if (r.state() != SavepointState.IN_PROGRESS || r.triggeredAt() == null) {
        continue;
      }
      Duration age = Duration.between(r.triggeredAt(), now);
      Duration soon =
          age.compareTo(Duration.ofSeconds(2)) < 0
              ? Duration.ofMillis(20)
              : age.compareTo(Duration.ofSeconds(10)) < 0 ? Duration.ofMillis(100) : trackInterval;
      if (soon.compareTo(next) < 0) {
        next = soon;
      }
    }
    return next;
  }

  /** Who is told of every savepoint that ended: completed, failed or abandoned (metrics). */
  public void observe(java.util.function.Consumer<SavepointRecord> listener) {
    this.onEnded = listener;
  }

  /**
   * @param ids new record ids and trigger ids: 32 hexadecimal digits each
   * @param persist writes the record to the ledger now; called before every trigger
   */
  public SavepointService(
      FlinkSavepoints flink,
      SavepointBook book,
      ClusterState cluster,
      EventLog events,
      Clock clock,
      SavepointSettings settings,
      Supplier<String> ids,
      Runnable persist) {
    this.flink = flink;
    this.book = book;
    this.cluster = cluster;
    this.events = events;
    this.clock = clock;
    this.settings = settings;
    this.ids = ids;
    this.persist = persist;
  }

  /** Why a request cannot be carried out; the API turns it into 404, 409 or 422. */
  public static final class Refused extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What kind of refusal. */
    public enum Kind {
      UNKNOWN_JOB,
      CONFLICT,
      NOT_POSSIBLE
    }

    private final Kind kind;

    Refused(Kind kind, String message) {
      super(message);
      this.kind = kind;
    }

    public Kind kind() {
      return kind;
    }
  }

  /** The policy that applies to a job: its own, or the cluster's default. */
  public SavepointPolicy policyOf(String jobId) {
    return book.policy(jobId).orElse(settings.defaultPolicy());
  }

  public void setPolicy(String jobId, SavepointPolicy policy) {
    book.setPolicy(jobId, policy);
    persist.run();
  }

  /** Records a savepoint of a running job and sends its trigger. */
  public synchronized SavepointRecord request(
      String jobId, String targetDirectory, Format format, SavepointOrigin origin) {
    requireRunning(jobId);
    SavepointRecord record = newRecord(jobId, targetDirectory, format, origin, false);
    return advance(record.id());
  }

  /** Stops the job with a savepoint (recorded, tracked like any other). */
  public synchronized SavepointRecord stopWithSavepoint(
      String jobId, String targetDirectory, boolean drain, Format format) {
    requireRunning(jobId);
    SavepointRecord record = newRecord(jobId, targetDirectory, format, SavepointOrigin.STOP, drain);
    return advance(record.id());
  }

  /** Cancels the job without a savepoint; the outcome is an event. */
  public synchronized void cancel(String jobId) {
    requireRunning(jobId);
    try {
      flink.cancel(jobId).join();
      events.record(
          JOB_CANCELLED, Severity.INFO, jobId, "Job cancelled on request, without a savepoint");
    } catch (CompletionException e) {
      String reason = Failures.rootCause(e);
      events.record(JOB_CANCELLED, Severity.ERROR, jobId, "Cancelling the job failed: " + reason);
      throw new Refused(Refused.Kind.NOT_POSSIBLE, "Flink did not cancel the job: " + reason);
    }
  }

  private SavepointRecord newRecord(
      String jobId, String targetDirectory, Format format, SavepointOrigin origin, boolean drain) {
    Optional<SavepointRecord> inFlight = book.inFlight(jobId);
    if (inFlight.isPresent()) {
      throw new Refused(
          Refused.Kind.CONFLICT,
          "Savepoint "
              + inFlight.get().id()
              + " of job "
              + jobId
              + " is still "
              + inFlight.get().state()
              + "; one savepoint at a time per job.");
    }
    Instant now = clock.instant();
    SavepointRecord record =
        new SavepointRecord(
            ids.get(),
            jobId,
            ids.get(),
            SavepointState.TRIGGER_PENDING,
            origin,
            targetDirectory != null ? targetDirectory : settings.defaultTargetDirectory(),
            format != null ? format : settings.defaultFormat(),
            drain,
            now,
            null,
            null,
            null,
            null,
            0,
            null,
            false,
            null);
    book.put(record);
    // The trigger id is on record before Flink hears of it: a restart never sends a second one.
    persist.run();
    events.record(
        REQUESTED,
        Severity.INFO,
        jobId,
        origin + " savepoint " + record.id() + " requested (trigger " + record.triggerId() + ")");
    return record;
  }

  private void requireRunning(String jobId) {
    JobView job = cluster.snapshot().jobs().get(jobId);
    if (job == null) {
      throw new Refused(Refused.Kind.UNKNOWN_JOB, "No job with id '" + jobId + "' is known.");
    }
    if (job.summary().status() != JobStatus.RUNNING) {
      throw new Refused(
          Refused.Kind.CONFLICT,
          "Job " + jobId + " is " + job.summary().status() + "; savepoints need a RUNNING job.");
    }
  }

  /**
   * One pass of the tracker: advances every savepoint in flight, then retention, then schedules.
   */
  public synchronized void tick() {
    for (SavepointRecord record : book.inFlight()) {
      try {
        advance(record.id());
      } catch (RuntimeException e) {
        LOG.error("Advancing savepoint {} failed unexpectedly", record.id(), e);
      }
    }
    Map<String, List<SavepointRecord>> byJob = new HashMap<>();
    for (SavepointRecord r : book.all()) {
      byJob.computeIfAbsent(r.jobId(), k -> new ArrayList<>()).add(r);
    }
    for (String jobId : byJob.keySet()) {
      applyRetention(jobId);
    }
    startScheduled();
  }

  /** Moves one record forward as far as it can go now. */
  synchronized SavepointRecord advance(String id) {
    SavepointRecord record = book.get(id).orElseThrow();
    Instant now = clock.instant();
    if (record.state() == SavepointState.TRIGGER_PENDING
        && (record.nextAttemptAt() == null || !record.nextAttemptAt().isAfter(now))) {
      record = sendTrigger(record, now);
    }
    if (record.state() == SavepointState.IN_PROGRESS) {
      record = poll(record);
    }
    return record;
  }

  private SavepointRecord sendTrigger(SavepointRecord record, Instant now) {
    CompletableFuture<Void> sent =
        record.origin() == SavepointOrigin.STOP
            ? flink.stopWithSavepoint(
                record.jobId(),
                record.triggerId(),
                record.targetDirectory(),
                record.drain(),
                record.formatType())
            : flink.trigger(
                record.jobId(), record.triggerId(), record.targetDirectory(), record.formatType());
    try {
      sent.join();
      SavepointRecord triggered = update(record, r -> r.triggered(clock.instant()));
      persist.run();
      onTriggered.run();
      return triggered;
    } catch (CompletionException e) {
      String reason = Failures.rootCause(e);
      if (record.attempts() + 1 < settings.maxAttempts()) {
        Instant retryAt = now.plus(settings.retryBackoff().delayAfter(record.attempts()));
        events.record(
            RETRYING,
            Severity.WARNING,
            record.jobId(),
            "Triggering savepoint "
                + record.id()
                + " failed ("
                + reason
                + "); retrying at "
                + retryAt);
        return update(record, r -> r.triggerFailed(reason, retryAt));
      }
      return fail(update(record, r -> r.triggerFailed(reason, null)), reason);
    }
  }

  private SavepointRecord poll(SavepointRecord record) {
    Instant now = clock.instant();
    Status status;
    try {
      status = flink.status(record.jobId(), record.triggerId()).join();
    } catch (CompletionException e) {
      LOG.debug("Savepoint {} status unavailable: {}", record.id(), Failures.rootCause(e));
      return timeoutIfDue(record, now);
    }
    return switch (status.phase()) {
      case COMPLETED -> complete(record, status.path(), "");
      case FAILED -> failOrRetry(record, status.error());
      case UNKNOWN -> resolveForgotten(record);
      case IN_PROGRESS -> timeoutIfDue(record, now);
    };
  }

  private SavepointRecord timeoutIfDue(SavepointRecord record, Instant now) {
    if (record.triggeredAt() != null
        && !record.triggeredAt().plus(settings.timeout()).isAfter(now)) {
      return failOrRetry(record, "Not completed within " + settings.timeout());
    }
    return record;
  }

  /**
   * The JobManager does not know the trigger: after a failover its operation cache is gone. A
   * savepoint of the job completed since the trigger completes the record; otherwise it is lost.
   */
  private SavepointRecord resolveForgotten(SavepointRecord record) {
    Optional<CheckpointInfo> savepoint =
        Optional.ofNullable(cluster.snapshot().jobs().get(record.jobId()))
            .flatMap(JobView::progress)
            .flatMap(JobProgress::lastSavepoint);
    if (savepoint.isPresent()
        && !Instant.ofEpochMilli(savepoint.get().completedAt()).isBefore(record.triggeredAt())) {
      return complete(
          record, savepoint.get().externalPath(), " (found in the job's checkpoint history)");
    }
    String reason =
        "The JobManager does not know trigger "
            + record.triggerId()
            + " (it may have failed over) and the job's checkpoint history shows no savepoint"
            + " completed since it was triggered";
    SavepointRecord ended =
        update(record, r -> r.ended(SavepointState.ABANDONED, reason, clock.instant()));
    onEnded.accept(ended);
    events.record(
        ABANDONED,
        Severity.WARNING,
        record.jobId(),
        "Savepoint " + record.id() + " abandoned: " + reason);
    return ended;
  }

  private SavepointRecord complete(SavepointRecord record, String path, String note) {
    SavepointRecord done = update(record, r -> r.completed(path, clock.instant()));
    onEnded.accept(done);
    events.record(
        COMPLETED,
        Severity.INFO,
        record.jobId(),
        record.origin() + " savepoint " + record.id() + " completed at " + path + note);
    return done;
  }

  private SavepointRecord failOrRetry(SavepointRecord record, String reason) {
    if (record.attempts() < settings.maxAttempts()) {
      Instant retryAt =
          clock.instant().plus(settings.retryBackoff().delayAfter(record.attempts() - 1));
      events.record(
          RETRYING,
          Severity.WARNING,
          record.jobId(),
          "Savepoint " + record.id() + " failed (" + reason + "); retrying at " + retryAt);
      return update(record, r -> r.retry(ids.get(), reason, retryAt));
    }
    return fail(record, reason);
  }

  private SavepointRecord fail(SavepointRecord record, String reason) {
    SavepointRecord failed =
        update(record, r -> r.ended(SavepointState.FAILED, reason, clock.instant()));
    onEnded.accept(failed);
    events.record(
        FAILED,
        Severity.ERROR,
        record.jobId(),
        "Savepoint "
            + record.id()
            + " failed after "
            + record.attempts()
            + " attempt(s): "
            + reason);
    return failed;
  }

  /**
   * Disposes of completed savepoints beyond the job's retention (count and age), never the newest
   * completed one. What cannot be disposed of is recorded and tried again at the next pass.
   */
  private void applyRetention(String jobId) {
    SavepointPolicy policy = policyOf(jobId);
    Instant now = clock.instant();
    List<SavepointRecord> completed =
        book.ofJob(jobId).stream()
            .filter(r -> r.state() == SavepointState.COMPLETED && !r.disposed())
            .sorted(Comparator.comparing(SavepointRecord::completedAt).reversed())
            .toList();
    for (int i = 1; i < completed.size(); i++) {
      SavepointRecord r = completed.get(i);
      boolean tooMany = i >= policy.retainCount();
      boolean tooOld = r.completedAt().plus(policy.retainAge()).isBefore(now);
      if (tooMany || tooOld) {
        disposeRecord(
            r,
            tooMany
                ? "beyond the newest " + policy.retainCount()
                : "older than " + policy.retainAge());
      }
    }
  }

  /** Disposes of one completed savepoint through Flink, on request. */
  public synchronized SavepointRecord dispose(String jobId, String id) {
    SavepointRecord record =
        book.get(id)
            .filter(r -> r.jobId().equals(jobId))
            .orElseThrow(
                () ->
                    new Refused(
                        Refused.Kind.UNKNOWN_JOB,
                        "Job " + jobId + " has no savepoint '" + id + "'."));
    if (record.state() != SavepointState.COMPLETED) {
      throw new Refused(
          Refused.Kind.CONFLICT,
          "Savepoint "
              + id
              + " is "
              + record.state()
              + "; only a COMPLETED one can be disposed of.");
    }
    if (record.disposed()) {
      throw new Refused(Refused.Kind.CONFLICT, "Savepoint " + id + " is disposed of already.");
    }
    return disposeRecord(record, "on request");
  }

  private SavepointRecord disposeRecord(SavepointRecord record, String why) {
    try {
      flink.dispose(record.path()).join();
      events.record(
          DISPOSED,
          Severity.INFO,
          record.jobId(),
          "Savepoint " + record.id() + " at " + record.path() + " disposed of (" + why + ")");
      return update(record, SavepointRecord::disposedOf);
    } catch (CompletionException e) {
      String reason = Failures.rootCause(e);
      events.record(
          DISPOSAL_FAILED,
          Severity.WARNING,
          record.jobId(),
          "Disposing of savepoint " + record.id() + " failed; will retry: " + reason);
      return update(record, r -> r.disposalFailed(reason));
    }
  }

  /** Starts the scheduled savepoints that are due, one per job at most. */
  private void startScheduled() {
    Instant now = clock.instant();
    for (JobView job : cluster.snapshot().jobs().values()) {
      String jobId = job.id();
      if (job.summary().status() != JobStatus.RUNNING) {
        firstSeen.remove(jobId);
        continue;
      }
      Instant seen = firstSeen.computeIfAbsent(jobId, k -> now);
      SavepointPolicy policy = policyOf(jobId);
      if (policy.interval() == null && policy.cron() == null) {
        continue;
      }
      if (book.inFlight(jobId).isPresent()) {
        continue;
      }
      Instant previous =
          book.ofJob(jobId).stream()
              .filter(r -> r.origin() == SavepointOrigin.SCHEDULED)
              .map(SavepointRecord::requestedAt)
              .findFirst()
              .orElse(seen);
      if (policy.scheduledDue(previous, now)) {
        SavepointRecord record = newRecord(jobId, null, null, SavepointOrigin.SCHEDULED, false);
        advance(record.id());
      }
    }
  }

  /**
   * Before the pod stops: takes a savepoint of every running job whose policy asks for one, and
   * tracks them until they end or {@code grace} is over. Returns the records it took.
   */
  public List<SavepointRecord> takeShutdownSavepoints(Duration grace, Runnable pause) {
    Instant deadline = clock.instant().plus(grace);
    List<String> taken = new ArrayList<>();
    synchronized (this) {
      for (JobView job : cluster.snapshot().jobs().values()) {
        if (job.summary().status() == JobStatus.RUNNING && policyOf(job.id()).onShutdown()) {
          try {
            taken.add(request(job.id(), null, null, SavepointOrigin.SHUTDOWN).id());
          } catch (Refused e) {
            LOG.warn("No shutdown savepoint of job {}: {}", job.id(), e.getMessage());
          }
        }
      }
    }
    while (clock.instant().isBefore(deadline)
        && taken.stream().anyMatch(id -> book.get(id).orElseThrow().state().inFlight())) {
      pause.run();
      synchronized (this) {
        for (String id : taken) {
          if (book.get(id).orElseThrow().state().inFlight()) {
            advance(id);
          }
        }
      }
    }
    List<SavepointRecord> outcome = taken.stream().map(id -> book.get(id).orElseThrow()).toList();
    for (SavepointRecord r : outcome) {
      if (r.state().inFlight()) {
        events.record(
            RETRYING,
            Severity.WARNING,
            r.jobId(),
            "Shutdown savepoint "
                + r.id()
                + " did not end within "
                + grace
                + "; the next sidecar resumes it by trigger "
                + r.triggerId());
      }
    }
    persist.run();
    return outcome;
  }

  public List<SavepointRecord> ofJob(String jobId) {
    return book.ofJob(jobId);
  }

  public Optional<SavepointRecord> get(String jobId, String id) {
    return book.get(id).filter(r -> r.jobId().equals(jobId));
  }

  private SavepointRecord update(
      SavepointRecord record, java.util.function.UnaryOperator<SavepointRecord> change) {
    return book.update(record.id(), change).orElseThrow();
  }
}
