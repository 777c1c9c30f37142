package dev.flinksupervisor.jobs;

import dev.flinksupervisor.jobs.JobService.Refused;
import dev.flinksupervisor.jobs.Reprofile.State;
import dev.flinksupervisor.savepoints.SavepointBook;
import dev.flinksupervisor.savepoints.SavepointRecord;
import dev.flinksupervisor.savepoints.SavepointService;
import dev.flinksupervisor.supervision.ClusterState;
import dev.flinksupervisor.supervision.EventLog;
import dev.flinksupervisor.supervision.JobView;
import dev.flinksupervisor.supervision.Severity;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.flink.api.common.JobStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Changes the slot profiles of a running job the sidecar submitted: checks the new profiles as a
 * submission would, stops the job with a savepoint (tracked like any other), then runs it again
 * from that savepoint with the new profiles. When Flink refuses them, the job is run from the same
 * savepoint with its old profiles, tried again with backoff until it runs: it never stays down.
 * Every step is recorded before it is taken and is an event.
 */
public final class Reprofiler {
  private static final Logger LOG = LoggerFactory.getLogger(Reprofiler.class);

  /** Event types of re-profiling; documented in the README. */
  public static final String REQUESTED = "REPROFILE_REQUESTED";

  public static final String COMPLETED = "REPROFILE_COMPLETED";
  public static final String ROLLING_BACK = "REPROFILE_ROLLING_BACK";
  public static final String ROLLED_BACK = "REPROFILE_ROLLED_BACK";
  public static final String FAILED = "REPROFILE_FAILED";

  private final JobService jobs;
  private final SavepointService savepoints;
  private final SavepointBook book;
  private final Reprofiles operations;
  private final ClusterState cluster;
  private final EventLog events;
  private final Clock clock;
  private final Supplier<String> ids;
  private final Supplier<String> jobIds;
  private final Runnable persist;
  private final Duration retryBackoff;

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
      Runnable persist,
      Duration retryBackoff) {
    this.jobs = jobs;
    this.savepoints = savepoints;
    this.book = book;
    this.operations = operations;
    this.cluster = cluster;
    this.events = events;
    this.clock = clock;
    this.ids = ids;
    this.jobIds = jobIds;
    this.persist = persist;
    this.retryBackoff = retryBackoff;
  }

  /**
   * Starts re-profiling {@code jobId} to {@code profiles} (slot-sharing group to profile name).
   * Everything that can be checked without stopping the job is checked first; a refusal changes
   * nothing.
   *
   * @param targetDirectory where the savepoint goes (null: the cluster's default); read once the
   *     job is known, so an unknown job is reported first
   */
  public synchronized Reprofile request(
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
          null,
          "Job " + jobId + " is " + status + "; only a RUNNING job can be re-profiled.");
    }
    JobSpec next = job.spec().withSlotProfiles(profiles);
    jobs.requireFits(jobs.profilesOf(next));
    jobs.check(job, next);
    SavepointRecord stop;
    try {
      stop = savepoints.stopWithSavepoint(jobId, target, false, null);
    } catch (SavepointService.Refused e) {
      throw new Refused(Refused.Kind.CONFLICT, null, e.getMessage());
    }
    Reprofile op =
        Reprofile.stopping(
            ids.get(), jobId, job.spec().slotProfiles(), profiles, stop.id(), clock.instant());
    operations.put(op);
    persist.run();
    events.record(
        REQUESTED,
        Severity.INFO,
        jobId,
        "Re-profiling "
            + op.id()
            + " from "
            + op.from()
            + " to "
            + op.to()
            + ": stopping the job with savepoint "
            + stop.id());
    return advance(op);
  }

  public List<Reprofile> ofJob(String jobId) {
    return operations.ofJob(jobId);
  }

  /** One pass over the operations in flight. */
  public synchronized void tick() {
    for (Reprofile op : operations.inFlight()) {
      try {
        advance(op);
      } catch (RuntimeException e) {
        LOG.error("Advancing re-profiling {} failed unexpectedly", op.id(), e);
      }
    }
  }

  private Reprofile advance(Reprofile op) {
    return switch (op.state()) {
      case STOPPING -> afterStop(op);
      case STARTING -> start(op, op.to(), State.STARTING);
      case ROLLING_BACK ->
          op.nextAttemptAt() != null && op.nextAttemptAt().isAfter(clock.instant())
              ? op
              : start(op, op.from(), State.ROLLING_BACK);
      case COMPLETED, ROLLED_BACK, FAILED -> op;
    };
  }

  private Reprofile afterStop(Reprofile op) {
    SavepointRecord stop = book.get(op.savepointId()).orElse(null);
    if (stop == null) {
      return end(op, State.FAILED, "Its stop-with-savepoint record is gone.");
    }
    return switch (stop.state()) {
      case COMPLETED -> {
        Reprofile stopped = op.stopped(stop.path());
        operations.put(stopped);
        persist.run();
        yield start(stopped, op.to(), State.STARTING);
      }
      case FAILED, ABANDONED ->
          end(
              op,
              State.FAILED,
              "Stopping with a savepoint did not complete ("
                  + stop.error()
                  + "); the job was not stopped by it and keeps its old profiles.");
      default -> op;
    };
  }

  /**
   * Runs the job from the savepoint with {@code profiles}. The new run's id is recorded before it
   * is submitted; a run Flink already knows under that id counts as started.
   */
  private Reprofile start(Reprofile op, Map<String, String> profiles, State state) {
    OwnedJob job = jobs.get(op.jobId()).orElse(null);
    if (job == null && op.newJobId() != null && jobs.get(op.newJobId()).isPresent()) {
      return finished(op, state); // recorded before the sidecar stopped
    }
    if (job == null) {
      return end(op, State.FAILED, "The job's record is gone.");
    }
    String newJobId = op.newJobId() != null ? op.newJobId() : jobIds.get();
    Reprofile starting = op.starting(state, op.savepointPath(), newJobId, op.error());
    if (op.newJobId() == null) {
      operations.put(starting);
      persist.run();
    }
    JobSpec spec = job.spec().withSlotProfiles(profiles);
    try {
      if (cluster.snapshot().jobs().get(newJobId) == null) {
        jobs.runAgain(job, spec, op.savepointPath(), newJobId);
      } else {
        jobs.rerecord(job, spec, newJobId);
      }
    } catch (Refused e) {
      return refused(starting, state, e.getMessage());
    }
    return finished(starting, state);
  }

  private Reprofile finished(Reprofile op, State state) {
    return state == State.STARTING
        ? end(op, State.COMPLETED, null)
        : end(op, State.ROLLED_BACK, op.error());
  }

  private Reprofile refused(Reprofile op, State state, String reason) {
    if (state == State.STARTING) {
      events.record(
          ROLLING_BACK,
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
      persist.run();
      return start(back, back.from(), State.ROLLING_BACK);
    }
    Instant retry =
        clock.instant().plus(retryBackoff.multipliedBy(1L << Math.min(op.attempts(), 6)));
    Reprofile waiting = op.retryAt(retry, op.error());
    operations.put(waiting);
    persist.run();
    events.record(
        FAILED,
        Severity.ERROR,
        op.jobId(),
        "Re-profiling "
            + op.id()
            + ": running the job again with its old profiles failed ("
            + reason
            + "); the job is not running; trying again at "
            + retry);
    return waiting;
  }

  private Reprofile end(Reprofile op, State state, String reason) {
    Reprofile ended = op.ended(state, reason, clock.instant());
    operations.put(ended);
    persist.run();
    switch (state) {
      case COMPLETED ->
          events.record(
              COMPLETED,
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
              ROLLED_BACK,
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
              FAILED, Severity.ERROR, op.jobId(), "Re-profiling " + op.id() + " failed: " + reason);
    }
    return ended;
  }

  private JobStatus statusOf(String jobId) {
    JobView view = cluster.snapshot().jobs().get(jobId);
    return view == null ? null : view.summary().status();
  }
}
