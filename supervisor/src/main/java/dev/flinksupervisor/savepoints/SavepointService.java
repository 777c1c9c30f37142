package dev.flinksupervisor.savepoints;

import dev.flinksupervisor.flink.CheckpointInfo;
import dev.flinksupervisor.flink.FlinkSavepoints;
import dev.flinksupervisor.flink.FlinkSavepoints.Format;
import dev.flinksupervisor.flink.FlinkSavepoints.Status;
import dev.flinksupervisor.flink.JobProgress;
import dev.flinksupervisor.store.RecordUnavailable;
import dev.flinksupervisor.store.Recorder;
import dev.flinksupervisor.supervision.ClusterState;
import dev.flinksupervisor.supervision.EventLog;
import dev.flinksupervisor.supervision.EventTypes;
import dev.flinksupervisor.supervision.JobView;
import dev.flinksupervisor.supervision.Severity;
import dev.flinksupervisor.util.Failures;
import dev.flinksupervisor.util.JobLanes;
import dev.flinksupervisor.util.Refused;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.apache.flink.api.common.JobStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes, tracks, retries and retains savepoints. Every savepoint is first stored in the record with
 * the trigger id it will carry, then triggered; a trigger sent again carries the same id, so Flink
 * starts it once, and a trigger whose record cannot be stored is not sent. A record in flight when
 * the sidecar restarts or the leader moves is found again by its trigger id, or by the job's
 * checkpoint history, and completed or marked ABANDONED with the reason.
 *
 * <p>Threads: a request only checks, records and hands the work on; every call to Flink runs on the
 * job's lane of {@link JobLanes} (one action per job at a time, jobs in parallel), and {@link
 * #tick()} only decides what is due and hands it on, so a stalled call for one job never delays
 * another job's savepoint.
 */
public final class SavepointService {
  private static final Logger LOG = LoggerFactory.getLogger(SavepointService.class);

  /** How long a trigger waits when its record could not be stored. */
  static final Duration UNRECORDED_RETRY = Duration.ofSeconds(5);

  private final FlinkSavepoints flink;
  private final SavepointBook book;
  private final ClusterState cluster;
  private final EventLog events;
  private final Clock clock;
  private final SavepointSettings settings;
  private final Supplier<String> ids;
  private final Recorder recorder;
  private final JobLanes lanes;
  private final Map<String, Instant> firstSeen = new ConcurrentHashMap<>();
  private volatile Consumer<SavepointRecord> onEnded = r -> {};
  private volatile Runnable onTriggered = () -> {};
  private volatile java.util.function.BooleanSupplier pushing = () -> false;
  private volatile Instant savepointPushedAt;

  /** How long after a pushed savepoint event its record is looked at closely. */
  private static final Duration AFTER_PUSH = Duration.ofSeconds(2);

  /**
   * @param ids new record ids and trigger ids: 32 hexadecimal digits each
   * @param recorder stores the record before a trigger is sent
   * @param lanes where the calls to Flink run, one job at a time
   */
  public SavepointService(
      FlinkSavepoints flink,
      SavepointBook book,
      ClusterState cluster,
      EventLog events,
      Clock clock,
      SavepointSettings settings,
      Supplier<String> ids,
      Recorder recorder,
      JobLanes lanes) {
    this.flink = flink;
    this.book = book;
    this.cluster = cluster;
    this.events = events;
    this.clock = clock;
    this.settings = settings;
    this.ids = ids;
    this.recorder = recorder;
    this.lanes = lanes;
  }

  /**
   * Whether the JobManager pushes its events to this sidecar: then a savepoint's end is pushed, and
   * the tracker does not look every 20 ms meanwhile (it still looks every track interval).
   */
  public void relyOnPushWhile(java.util.function.BooleanSupplier pushing) {
    this.pushing = pushing;
  }

  /**
   * The JobManager pushed that a savepoint completed or failed: its record is looked at now, and
   * closely for a moment, in case Flink reports the event a moment before the trigger's status.
   */
  public void savepointPushed() {
    savepointPushedAt = clock.instant();
  }

  /** Who is told that a trigger was sent (the tracker, to look again soon). */
  public void observeTriggers(Runnable listener) {
    this.onTriggered = listener;
  }

  /** Who is told of every savepoint that ended: completed, failed or abandoned (metrics). */
  public void observe(Consumer<SavepointRecord> listener) {
    this.onEnded = listener;
  }

  /**
   * How soon the tracker should look again: every 20 ms in the first 2 s after a trigger, when a
   * savepoint of small state completes, then every 100 ms up to 10 s, then at {@code
   * trackInterval}. While the JobManager pushes its events, at {@code trackInterval}, except for a
   * moment after a pushed savepoint event.
   */
  public Duration nextCheckIn(Duration trackInterval) {
    Instant now = clock.instant();
    Duration next = trackInterval;
    Instant pushed = savepointPushedAt;
    boolean justPushed = pushed != null && now.isBefore(pushed.plus(AFTER_PUSH));
    if (pushing.getAsBoolean() && !justPushed) {
      return next; // the JobManager will say when a savepoint ends
    }
    for (SavepointRecord r : book.inFlight()) {
      if (r.state() != SavepointState.IN_PROGRESS || r.triggeredAt() == null) {
        continue;
      }
      Duration age = Duration.between(r.triggeredAt(), now);
      Duration soon =
          justPushed || age.compareTo(Duration.ofSeconds(2)) < 0
              ? Duration.ofMillis(20)
              : age.compareTo(Duration.ofSeconds(10)) < 0 ? Duration.ofMillis(100) : trackInterval;
      if (soon.compareTo(next) < 0) {
        next = soon;
      }
    }
    return next;
  }

  /** The policy that applies to a job: its own, or the cluster's default. */
  public SavepointPolicy policyOf(String jobId) {
    return book.policy(jobId).orElse(settings.defaultPolicy());
  }

  /** Sets a job's policy and stores it before answering. */
  public void setPolicy(String jobId, SavepointPolicy policy) {
    Optional<SavepointPolicy> before = book.policy(jobId);
    book.setPolicy(jobId, policy);
    try {
      recorder.recordNow();
    } catch (RecordUnavailable e) {
      before.ifPresentOrElse(p -> book.setPolicy(jobId, p), () -> book.clearPolicy(jobId));
      throw Refused.unavailable(e);
    }
  }

  /**
   * Records a savepoint of a running job and hands its trigger to the job's lane.
   *
   * @return the record as stored (TRIGGER_PENDING): poll it for the outcome
   * @throws Refused when the job is unknown or not RUNNING, a savepoint is in flight, or the record
   *     could not be stored (then nothing was sent to Flink)
   */
  public SavepointRecord request(
      String jobId, String targetDirectory, Format format, SavepointOrigin origin) {
    requireRunning(jobId);
    return recordAndStart(newRecord(ids.get(), jobId, targetDirectory, format, origin, false));
  }

  /** Stops the job with a savepoint (recorded, tracked like any other). */
  public SavepointRecord stopWithSavepoint(
      String jobId, String targetDirectory, boolean drain, Format format) {
    return stopWithSavepoint(jobId, targetDirectory, drain, format, ids.get());
  }

  /**
   * Stops the job with a savepoint whose record gets {@code recordId}, chosen (and stored) by the
   * caller beforehand.
   */
  public SavepointRecord stopWithSavepoint(
      String jobId, String targetDirectory, boolean drain, Format format, String recordId) {
    requireRunning(jobId);
    return recordAndStart(
        newRecord(recordId, jobId, targetDirectory, format, SavepointOrigin.STOP, drain));
  }

  /** Hands the cancellation of a running job (without a savepoint) to its lane; an event tells. */
  public void cancel(String jobId) {
    requireRunning(jobId);
    lanes.submit(jobId, () -> cancelNow(jobId));
  }

  private void cancelNow(String jobId) {
    try {
      flink.cancel(jobId).join();
      events.record(
          EventTypes.JOB_CANCELLED,
          Severity.INFO,
          jobId,
          "Job cancelled on request, without a savepoint");
    } catch (CompletionException e) {
      events.record(
          EventTypes.JOB_CANCELLED,
          Severity.ERROR,
          jobId,
          "Cancelling the job failed: " + Failures.rootCause(e));
    }
  }

  private SavepointRecord newRecord(
      String id,
      String jobId,
      String targetDirectory,
      Format format,
      SavepointOrigin origin,
      boolean drain) {
    return new SavepointRecord(
        id,
        jobId,
        ids.get(),
        SavepointState.TRIGGER_PENDING,
        origin,
        targetDirectory != null ? targetDirectory : settings.defaultTargetDirectory(),
        format != null ? format : settings.defaultFormat(),
        drain,
        clock.instant(),
        null,
        null,
        null,
        null,
        0,
        null,
        false,
        null);
  }

  /**
   * Stores the record before Flink hears of it: a sidecar that restarts never sends a second
   * trigger, and one whose record cannot be stored sends none.
   */
  private SavepointRecord recordAndStart(SavepointRecord record) {
    book.putUnlessInFlight(record)
        .ifPresent(
            inFlight -> {
              throw new Refused(
                  Refused.Kind.CONFLICT,
                  "Savepoint "
                      + inFlight.id()
                      + " of job "
                      + record.jobId()
                      + " is still "
                      + inFlight.state()
                      + "; one savepoint at a time per job.");
            });
    try {
      recorder.recordNow();
    } catch (RecordUnavailable e) {
      String reason = "Its record could not be stored, so no trigger was sent: " + e.getMessage();
      update(record, r -> r.ended(SavepointState.ABANDONED, reason, clock.instant()));
      events.record(
          EventTypes.SAVEPOINT_ABANDONED,
          Severity.ERROR,
          record.jobId(),
          record.origin() + " savepoint " + record.id() + " not taken: " + reason);
      throw Refused.unavailable(e);
    }
    events.record(
        EventTypes.SAVEPOINT_REQUESTED,
        Severity.INFO,
        record.jobId(),
        record.origin()
            + " savepoint "
            + record.id()
            + (record.origin() == SavepointOrigin.REGISTERED
                ? " registered at " + record.path() + "; checking that Flink can read it"
                : " requested (trigger " + record.triggerId() + ")"));
    lanes.submit(record.jobId(), () -> advance(record.id()));
    return record;
  }

  /**
   * Registers a savepoint taken elsewhere for a known job: recorded at once (IN_PROGRESS, no
   * trigger is ever sent for it), then checked on the job's lane: Flink must read its {@code
   * _metadata}. Once it can, it is COMPLETED with origin REGISTERED, as of when its metadata was
   * written, and restorable, retained and disposable like the sidecar's own; otherwise FAILED with
   * why.
   */
  public SavepointRecord register(String jobId, String path) {
    if (!cluster.snapshot().jobs().containsKey(jobId) && book.ofJob(jobId).isEmpty()) {
      throw new Refused(Refused.Kind.UNKNOWN_JOB, "No job with id '" + jobId + "' is known.");
    }
    book.ofJob(jobId).stream()
        .filter(r -> path.equals(r.path()) && !r.disposed())
        .findFirst()
        .ifPresent(
            known -> {
              throw new Refused(
                  Refused.Kind.CONFLICT,
                  "Savepoint " + known.id() + " of job " + jobId + " already has path " + path);
            });
    Instant now = clock.instant();
    SavepointRecord record =
        new SavepointRecord(
            ids.get(),
            jobId,
            null,
            SavepointState.IN_PROGRESS,
            SavepointOrigin.REGISTERED,
            null,
            null,
            false,
            now,
            now,
            null,
            path,
            null,
            0,
            null,
            false,
            null);
    return recordAndStart(record);
  }

  /** Completes or fails a registered savepoint by whether Flink can read it. */
  private SavepointRecord checkRegistered(SavepointRecord record) {
    try {
      FlinkSavepoints.Readable readable = flink.readable(record.path()).join();
      String pointer = readable.pointer() == null ? record.path() : readable.pointer();
      Optional<SavepointRecord> same =
          book.all().stream()
              .filter(r -> !r.id().equals(record.id()) && !r.disposed() && r.path() != null)
              .filter(r -> Retention.normalized(r.path()).equals(Retention.normalized(pointer)))
              .findFirst();
      if (same.isPresent()) {
        return fail(
            record,
            "it is savepoint "
                + same.get().id()
                + " of job "
                + same.get().jobId()
                + " already ("
                + pointer
                + "); disposing of one would delete the other's files");
      }
      SavepointRecord done = update(record, r -> r.completed(pointer, readable.writtenAt()));
      onEnded.accept(done);
      events.record(
          EventTypes.SAVEPOINT_COMPLETED,
          Severity.INFO,
          record.jobId(),
          "REGISTERED savepoint "
              + record.id()
              + " at "
              + pointer
              + " (checkpoint "
              + readable.checkpointId()
              + ", written "
              + readable.writtenAt()
              + ") can be read by Flink");
      return done;
    } catch (CompletionException e) {
      return fail(record, "Flink cannot read it: " + Failures.messageChain(e));
    }
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
   * One pass of the tracker: hands every savepoint in flight, the disposals retention asks for and
   * the scheduled savepoints that are due to their jobs' lanes. It calls nothing remote itself.
   */
  public void tick() {
    Instant now = clock.instant();
    for (SavepointRecord record : book.inFlight()) {
      if (record.state() == SavepointState.IN_PROGRESS || due(record, now)) {
        lanes.offer(record.jobId(), () -> advance(record.id()));
      }
    }
    Map<String, List<SavepointRecord>> byJob = new HashMap<>();
    for (SavepointRecord r : book.all()) {
      byJob.computeIfAbsent(r.jobId(), k -> new ArrayList<>()).add(r);
    }
    Set<String> restoredFrom = restoredFrom();
    for (Map.Entry<String, List<SavepointRecord>> job : byJob.entrySet()) {
      List<Retention.Disposal> disposals =
          Retention.disposals(policyOf(job.getKey()), job.getValue(), now, restoredFrom);
      if (!disposals.isEmpty()) {
        lanes.offer(job.getKey(), () -> disposals.forEach(d -> disposeNow(d.record(), d.why())));
      }
    }
    startScheduled(byJob, now);
  }

  /** The paths the jobs still going were restored from: never disposed of. */
  private Set<String> restoredFrom() {
    Set<String> paths = new java.util.HashSet<>();
    for (JobView job : cluster.snapshot().jobs().values()) {
      if (!job.summary().status().isGloballyTerminalState()) {
        job.progress()
            .flatMap(p -> p.restored())
            .map(r -> r.externalPath())
            .filter(java.util.Objects::nonNull)
            .map(Retention::normalized)
            .ifPresent(paths::add);
      }
    }
    return paths;
  }

  /** Which retention rules keep each of the job's completed savepoints, by record id. */
  public Map<String, List<String>> retainedBy(String jobId) {
    return Retention.retainedBy(policyOf(jobId), ofJob(jobId), clock.instant(), restoredFrom());
  }

  private static boolean due(SavepointRecord record, Instant now) {
    return record.state() == SavepointState.TRIGGER_PENDING
        && (record.nextAttemptAt() == null || !record.nextAttemptAt().isAfter(now));
  }

  /** Moves one record forward as far as it can go now; runs on the job's lane. */
  void advance(String id) {
    SavepointRecord record = book.get(id).orElse(null);
    if (record == null || !recorder.mayAct()) {
      return; // a step-down or a takeover since this was queued: the next ACTIVE term decides
    }
    if (record.origin() == SavepointOrigin.REGISTERED) {
      if (record.state() == SavepointState.IN_PROGRESS) {
        checkRegistered(record);
      }
      return;
    }
    Instant now = clock.instant();
    if (due(record, now)) {
      record = sendTrigger(record, now);
    }
    if (record.state() == SavepointState.IN_PROGRESS) {
      poll(record);
    }
  }

  private SavepointRecord sendTrigger(SavepointRecord record, Instant now) {
    if (!book.storedWithTrigger(record.id(), record.triggerId())) {
      try {
        recorder.recordNow();
        // What is stored may have been merged with another sidecar's: send only what it says.
        SavepointRecord stored = book.get(record.id()).orElse(null);
        if (stored == null || !sameAttempt(stored, record) || !recorder.mayAct()) {
          return stored == null ? record : stored;
        }
      } catch (RecordUnavailable e) {
        Instant retryAt = now.plus(UNRECORDED_RETRY);
        events.record(
            EventTypes.SAVEPOINT_RETRYING,
            Severity.WARNING,
            record.jobId(),
            "Savepoint "
                + record.id()
                + " waits: its trigger "
                + record.triggerId()
                + " is not sent until its record is stored ("
                + e.getMessage()
                + ")");
        return update(record, r -> r.waitingToBeRecorded(retryAt));
      }
    }
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
      onTriggered.run();
      return triggered;
    } catch (CompletionException e) {
      String reason = Failures.rootCause(e);
      if (record.attempts() + 1 < settings.maxAttempts()) {
        Instant retryAt = now.plus(settings.retryBackoff().delayAfter(record.attempts()));
        events.record(
            EventTypes.SAVEPOINT_RETRYING,
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
        EventTypes.SAVEPOINT_ABANDONED,
        Severity.WARNING,
        record.jobId(),
        "Savepoint " + record.id() + " abandoned: " + reason);
    return ended;
  }

  private SavepointRecord complete(SavepointRecord record, String path, String note) {
    SavepointRecord done = update(record, r -> r.completed(path, clock.instant()));
    onEnded.accept(done);
    events.record(
        EventTypes.SAVEPOINT_COMPLETED,
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
          EventTypes.SAVEPOINT_RETRYING,
          Severity.WARNING,
          record.jobId(),
          "Savepoint " + record.id() + " failed (" + reason + "); retrying at " + retryAt);
      // The new trigger id is stored before it is sent: see sendTrigger.
      return update(record, r -> r.retry(ids.get(), reason, retryAt));
    }
    return fail(record, reason);
  }

  private SavepointRecord fail(SavepointRecord record, String reason) {
    SavepointRecord failed =
        update(record, r -> r.ended(SavepointState.FAILED, reason, clock.instant()));
    onEnded.accept(failed);
    events.record(
        EventTypes.SAVEPOINT_FAILED,
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
   * Disposes of one completed savepoint through Flink, on request: checked now, done on the job's
   * lane; its record shows {@code disposed} once it is.
   */
  public SavepointRecord dispose(String jobId, String id) {
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
    lanes.submit(jobId, () -> book.get(id).ifPresent(r -> disposeNow(r, "on request")));
    return record;
  }

  private void disposeNow(SavepointRecord record, String why) {
    if (record.disposed() || record.state() != SavepointState.COMPLETED) {
      return;
    }
    try {
      flink.dispose(record.path()).join();
      events.record(
          EventTypes.SAVEPOINT_DISPOSED,
          Severity.INFO,
          record.jobId(),
          "Savepoint " + record.id() + " at " + record.path() + " disposed of (" + why + ")");
      update(record, SavepointRecord::disposedOf);
    } catch (CompletionException e) {
      String reason = Failures.rootCause(e);
      events.record(
          EventTypes.SAVEPOINT_DISPOSAL_FAILED,
          Severity.WARNING,
          record.jobId(),
          "Disposing of savepoint " + record.id() + " failed; will retry: " + reason);
      update(record, r -> r.disposalFailed(reason));
    }
  }

  /** Starts the scheduled savepoints that are due, one per job at most. */
  private void startScheduled(Map<String, List<SavepointRecord>> byJob, Instant now) {
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
      List<SavepointRecord> records = byJob.getOrDefault(jobId, List.of());
      if (records.stream().anyMatch(r -> r.state().inFlight()) || lanes.busy(jobId)) {
        continue;
      }
      Instant previous =
          records.stream()
              .filter(r -> r.origin() == SavepointOrigin.SCHEDULED)
              .map(SavepointRecord::requestedAt)
              .max(Comparator.naturalOrder())
              .orElse(seen.plus(policy.jitterOf(jobId)));
      Instant activeSince =
          Optional.ofNullable(cluster.snapshot().leadership().roleSince()).orElse(seen);
      if (policy.scheduledDue(jobId, previous, activeSince, now)) {
        SavepointRecord record =
            newRecord(ids.get(), jobId, null, null, SavepointOrigin.SCHEDULED, false);
        if (book.putUnlessInFlight(record).isEmpty()) {
          events.record(
              EventTypes.SAVEPOINT_REQUESTED,
              Severity.INFO,
              jobId,
              "SCHEDULED savepoint "
                  + record.id()
                  + " requested (trigger "
                  + record.triggerId()
                  + ")");
          lanes.offer(jobId, () -> advance(record.id()));
        }
      }
    }
  }

  /**
   * Before the pod stops: takes a savepoint of every running job whose policy asks for one, and
   * waits until they end or {@code grace} is over, calling {@code pause} between looks. Returns the
   * records it took.
   */
  public List<SavepointRecord> takeShutdownSavepoints(Duration grace, Runnable pause) {
    Instant deadline = clock.instant().plus(grace);
    List<String> taken = new ArrayList<>();
    for (JobView job : cluster.snapshot().jobs().values()) {
      if (job.summary().status() == JobStatus.RUNNING && policyOf(job.id()).onShutdown()) {
        try {
          taken.add(request(job.id(), null, null, SavepointOrigin.SHUTDOWN).id());
        } catch (Refused e) {
          LOG.warn("No shutdown savepoint of job {}: {}", job.id(), e.getMessage());
        }
      }
    }
    while (clock.instant().isBefore(deadline) && anyInFlight(taken)) {
      pause.run();
      for (String id : taken) {
        book.get(id)
            .filter(r -> r.state().inFlight())
            .ifPresent(r -> lanes.offer(r.jobId(), () -> advance(r.id())));
      }
    }
    List<SavepointRecord> outcome = taken.stream().map(id -> book.get(id).orElseThrow()).toList();
    for (SavepointRecord r : outcome) {
      if (r.state().inFlight()) {
        events.record(
            EventTypes.SAVEPOINT_RETRYING,
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
    return outcome;
  }

  private boolean anyInFlight(List<String> ids) {
    return ids.stream().anyMatch(id -> book.get(id).map(r -> r.state().inFlight()).orElse(false));
  }

  public List<SavepointRecord> ofJob(String jobId) {
    return book.ofJob(jobId);
  }

  public Optional<SavepointRecord> get(String jobId, String id) {
    return book.get(id).filter(r -> r.jobId().equals(jobId));
  }

  /**
   * Applies {@code change} to the record only if it is still the attempt the decision was based on
   * (same trigger id and state): a merge with another sidecar's record in the meantime wins.
   */
  private SavepointRecord update(SavepointRecord expected, UnaryOperator<SavepointRecord> change) {
    return book.update(
            expected.id(),
            current -> sameAttempt(current, expected) ? change.apply(current) : current)
        .orElse(expected);
  }

  private static boolean sameAttempt(SavepointRecord a, SavepointRecord b) {
    return java.util.Objects.equals(a.triggerId(), b.triggerId()) && a.state() == b.state();
  }
}
