package dev.flinksupervisor.jobs;

import dev.flinksupervisor.jobs.Reprofile.State;
import dev.flinksupervisor.savepoints.SavepointBook;
import dev.flinksupervisor.savepoints.SavepointRecord;
import dev.flinksupervisor.savepoints.SavepointService;
import dev.flinksupervisor.store.RecordUnavailable;
import dev.flinksupervisor.store.Recorder;
import dev.flinksupervisor.supervision.ClusterState;
import dev.flinksupervisor.supervision.EventLog;
import dev.flinksupervisor.supervision.EventTypes;
import dev.flinksupervisor.supervision.JobView;
import dev.flinksupervisor.supervision.Severity;
import dev.flinksupervisor.util.JobLanes;
import dev.flinksupervisor.util.Refused;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.flink.api.common.JobStatus;

/**
 * Changes the slot profiles of a running job the sidecar submitted: checks the new profiles as a
 * submission would, stops the job with a savepoint (tracked like any other), then runs it again
 * from that savepoint with the new profiles. When Flink refuses them, the job is run from the same
 * savepoint with its old profiles, tried again with backoff until it runs: it never stays down.
 * Every step is stored before it is taken and is an event; every step that calls Flink runs on the
 * job's lane.
 */
public final class Reprofiler {
  private final JobService jobs;
  private final SavepointService savepoints;
  private final SavepointBook book;
  private final Reprofiles operations;
  private final ClusterState cluster;
  private final EventLog events;
  private final Clock clock;
  private final Supplier<String> ids;
  private final Supplier<String> jobIds;
  private final Recorder recorder;
  private final Duration retryBackoff;
  private final JobLanes lanes;

  public Reprofiler(
      JobService jobs,
      SavepointService savepoints,
      SavepointBook book,
      Reprofiles operations,
      ClusterState cluster,
      EventLog events,
      Clock clock,
      Supplier<String> ids,
      Supplier<String> jobIds,
      Recorder recorder,
      Duration retryBackoff,
      JobLanes lanes) {
    this.jobs = jobs;
    this.savepoints = savepoints;
    this.book = book;
    this.operations = operations;
    this.cluster = cluster;
    this.events = events;
    this.clock = clock;
    this.ids = ids;
    this.jobIds = jobIds;
    this.recorder = recorder;
    this.retryBackoff = retryBackoff;
    this.lanes = lanes;
  }

  /**
   * Starts re-profiling {@code jobId} to {@code profiles} (slot-sharing group to profile name).
   * What can be checked from memory is checked now; a refusal changes nothing. The operation is
   * stored and handed to the job's lane, which checks the job graph before the job is stopped.
   *
   * @param targetDirectory where the savepoint goes (null: the cluster's default); read once the
   *     job is known, so an unknown job is reported first
   */
  public Reprofile request(
      String jobId, Map<String, String> profiles, Supplier<String> targetDirectory) {
    OwnedJob job = jobs.requireOwned(jobId);
    if (profiles == null) {
      throw new Refused(
          Refused.Kind.BAD_INPUT,
          "slotProfiles",
          "Send {\"slotProfiles\": {\"<slot-sharing group>\": \"<profile>\"}}; an empty object"
              + " removes every profile.");
    }
    String target = targetDirectory.get();
    jobs.requireNotReprofiling(jobId);
    JobStatus status = statusOf(jobId);
    if (status != JobStatus.RUNNING) {
      throw new Refused(
          Refused.Kind.CONFLICT,
          "Job " + jobId + " is " + status + "; only a RUNNING job can be re-profiled.");
    }
    JobSpec next = job.spec().withSlotProfiles(profiles);
    var requested = jobs.profilesOf(next);
    cluster
        .snapshot()
        .taskManagers()
        .ifPresent(tms -> JobService.requireFits(requested, tms.capacity()));
    Reprofile op =
        Reprofile.checking(
            ids.get(), jobId, job.spec().slotProfiles(), profiles, target, clock.instant());
    operations.put(op);
    try {
      recorder.recordNow();
    } catch (RecordUnavailable e) {
      operations.put(op.ended(State.FAILED, "Its record could not be stored", clock.instant()));
      throw Refused.unavailable(e);
    }
    events.record(
        EventTypes.REPROFILE_REQUESTED,
        Severity.INFO,
        jobId,
        "Re-profiling " + op.id() + " from " + op.from() + " to " + op.to() + ": checking");
    lanes.submit(jobId, () -> advance(op.id()));
    return op;
  }

  public List<Reprofile> ofJob(String jobId) {
    return operations.ofJob(jobId);
  }

  /** One pass over the operations in flight: each is handed to its job's lane. */
  public void tick() {
    for (Reprofile op : operations.inFlight()) {
      lanes.offer(op.jobId(), () -> advance(op.id()));
    }
  }

  /** Moves one operation forward as far as it can go now; runs on the job's lane. */
  void advance(String id) {
    Reprofile op = operations.get(id).orElse(null);
    if (op == null || !recorder.mayAct()) {
      return;
    }
    switch (op.state()) {
      case CHECKING -> check(op);
      case STOPPING -> afterStop(op);
      case STARTING -> {
        if (op.nextAttemptAt() == null || !op.nextAttemptAt().isAfter(clock.instant())) {
          start(op, op.to(), State.STARTING);
        }
      }
      case ROLLING_BACK -> {
        if (op.nextAttemptAt() == null || !op.nextAttemptAt().isAfter(clock.instant())) {
          start(op, op.from(), State.ROLLING_BACK);
        }
      }
      case COMPLETED, ROLLED_BACK, FAILED -> {}
    }
  }

  private boolean savepointInFlight(String jobId) {
    return book.inFlight().stream().anyMatch(r -> r.jobId().equals(jobId));
  }

  /**
   * Builds the job graph with the new profiles and checks them against the cluster; only then is
   * the job stopped, with a savepoint whose id is stored first.
   */
  private void check(Reprofile op) {
    OwnedJob job = jobs.get(op.jobId()).orElse(null);
    if (job == null) {
      end(op, State.FAILED, "The job's record is gone.");
      return;
    }
    JobSpec next = job.spec().withSlotProfiles(op.to());
    try {
      jobs.requireFitsNow(jobs.profilesOf(next));
      jobs.check(job, next);
    } catch (Refused e) {
      end(op, State.FAILED, e.getMessage() + " The job was not stopped.");
      return;
    }
    if (savepointInFlight(op.jobId())) {
      return; // one savepoint at a time: stopped once the job's savepoint in flight has ended
    }
    Reprofile stopping = op.stopping(ids.get());
    operations.put(stopping);
    try {
      recorder.recordNow();
    } catch (RecordUnavailable e) {
      operations.put(op); // checked again at the next pass
      notRecorded(op, e);
      return;
    }
    try {
      savepoints.stopWithSavepoint(
          op.jobId(), op.targetDirectory(), false, null, stopping.savepointId());
    } catch (Refused e) {
      if (e.kind() == Refused.Kind.UNAVAILABLE || savepointInFlight(op.jobId())) {
        // The stop was not sent (no record, or a scheduled savepoint came first): checked and
        // stopped again at the next pass.
        operations.put(op);
        return;
      }
      end(stopping, State.FAILED, "The job was not stopped: " + e.getMessage());
      return;
    }
    afterStop(stopping); // goes on at once if the savepoint completed already
    events.record(
        EventTypes.REPROFILE_REQUESTED,
        Severity.INFO,
        op.jobId(),
        "Re-profiling "
            + op.id()
            + " from "
            + op.from()
            + " to "
            + op.to()
            + ": stopping the job with savepoint "
            + stopping.savepointId());
  }

  private void afterStop(Reprofile op) {
    SavepointRecord stop = book.get(op.savepointId()).orElse(null);
    if (stop == null) {
      end(op, State.FAILED, "Its stop-with-savepoint was never taken; the job keeps its profiles.");
      return;
    }
    switch (stop.state()) {
      case COMPLETED -> {
        Reprofile stopped = op.stopped(stop.path());
        operations.put(stopped);
        start(stopped, op.to(), State.STARTING);
      }
      case FAILED, ABANDONED ->
          end(
              op,
              State.FAILED,
              "Stopping with a savepoint did not complete ("
                  + stop.error()
                  + "); the job was not stopped by it and keeps its old profiles.");
      default -> {}
    }
  }

  /**
   * Runs the job from the savepoint with {@code profiles}. The new run's id is stored before it is
   * submitted; a run Flink already knows under that id counts as started.
   */
  private void start(Reprofile op, Map<String, String> profiles, State state) {
    OwnedJob job = jobs.get(op.jobId()).orElse(null);
    if (job == null && op.newJobId() != null && jobs.get(op.newJobId()).isPresent()) {
      finished(op, state); // recorded before the sidecar stopped
      return;
    }
    if (job == null) {
      end(op, State.FAILED, "The job's record is gone.");
      return;
    }
    String newJobId = op.newJobId() != null ? op.newJobId() : jobIds.get();
    Reprofile starting = op.starting(state, newJobId);
    if (op.newJobId() == null) {
      operations.put(starting);
      try {
        recorder.recordNow();
      } catch (RecordUnavailable e) {
        operations.put(op); // not submitted; tried again at the next pass
        notRecorded(op, e);
        return;
      }
    }
    JobSpec spec = job.spec().withSlotProfiles(profiles);
    try {
      if (cluster.snapshot().jobs().get(newJobId) == null) {
        jobs.runAgain(
            job,
            spec,
            spec.recovery().restoreFrom() == RecoveryPolicy.RestoreStrategy.NONE
                ? null
                : op.savepointPath(),
            newJobId);
      } else {
        jobs.rerecord(job, spec, newJobId);
      }
    } catch (Refused e) {
      if (e.kind() == Refused.Kind.UNAVAILABLE) {
        unanswered(starting, e.getMessage());
      } else {
        refused(starting, state, e.getMessage());
      }
      return;
    }
    finished(starting, state);
  }

  /**
   * No answer to the submission of the new run (the JobManager lost its leadership, the connection
   * closed): Flink may run it already, so it is neither rolled back nor submitted under another id,
   * but submitted again under the same one after the backoff.
   */
  /** When a failed step is tried again: the backoff, doubled with each attempt (up to 64×). */
  private Instant nextAttempt(Reprofile op) {
    return clock.instant().plus(retryBackoff.multipliedBy(1L << Math.min(op.attempts(), 6)));
  }

  private void unanswered(Reprofile op, String reason) {
    Instant retry = nextAttempt(op);
    operations.put(
        op.retrySameRunAt(retry, op.state() == State.ROLLING_BACK ? op.error() : reason));
    events.record(
        EventTypes.REPROFILE_WAITING,
        Severity.WARNING,
        op.jobId(),
        "Re-profiling "
            + op.id()
            + ": the JobManager did not answer the submission of run "
            + op.newJobId()
            + " ("
            + reason
            + "); it may run already, so it is submitted again under the same id at "
            + retry);
  }

  private void notRecorded(Reprofile op, RecordUnavailable e) {
    events.record(
        EventTypes.REPROFILE_WAITING,
        Severity.WARNING,
        op.jobId(),
        "Re-profiling "
            + op.id()
            + " waits: its next step is not taken until it is recorded ("
            + e.getMessage()
            + ")");
  }

  private void finished(Reprofile op, State state) {
    if (state == State.STARTING) {
      end(op, State.COMPLETED, null);
    } else {
      end(op, State.ROLLED_BACK, op.error());
    }
  }

  private void refused(Reprofile op, State state, String reason) {
    if (state == State.STARTING) {
      events.record(
          EventTypes.REPROFILE_ROLLING_BACK,
          Severity.WARNING,
          op.jobId(),
          "Re-profiling "
              + op.id()
              + ": Flink did not run the job with "
              + op.to()
              + " ("
              + reason
              + "); running it from "
              + op.savepointPath()
              + " with its old profiles "
              + op.from());
      Reprofile back = op.rollingBack("The new profiles were not accepted: " + reason);
      operations.put(back);
      start(back, back.from(), State.ROLLING_BACK);
      return;
    }
    Instant retry = nextAttempt(op);
    Reprofile waiting = op.retryAt(retry, op.error());
    operations.put(waiting);
    events.record(
        EventTypes.REPROFILE_FAILED,
        Severity.ERROR,
        op.jobId(),
        "Re-profiling "
            + op.id()
            + ": running the job again with its old profiles failed ("
            + reason
            + "); the job is not running; trying again at "
            + retry);
  }

  private void end(Reprofile op, State state, String reason) {
    operations.put(op.ended(state, reason, clock.instant()));
    switch (state) {
      case COMPLETED ->
          events.record(
              EventTypes.REPROFILE_COMPLETED,
              Severity.INFO,
              op.jobId(),
              "Re-profiling "
                  + op.id()
                  + " completed: job runs as "
                  + op.newJobId()
                  + " with "
                  + op.to()
                  + " from "
                  + op.savepointPath());
      case ROLLED_BACK ->
          events.record(
              EventTypes.REPROFILE_ROLLED_BACK,
              Severity.WARNING,
              op.jobId(),
              "Re-profiling "
                  + op.id()
                  + " rolled back: job runs as "
                  + op.newJobId()
                  + " with its old profiles "
                  + op.from()
                  + ". "
                  + reason);
      default ->
          events.record(
              EventTypes.REPROFILE_FAILED,
              Severity.ERROR,
              op.jobId(),
              "Re-profiling " + op.id() + " failed: " + reason);
    }
  }

  private JobStatus statusOf(String jobId) {
    JobView view = cluster.snapshot().jobs().get(jobId);
    return view == null ? null : view.summary().status();
  }
}
