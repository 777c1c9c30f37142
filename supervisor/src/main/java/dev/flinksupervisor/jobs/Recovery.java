package dev.flinksupervisor.jobs;

import dev.flinksupervisor.flink.CheckpointFiles;
import dev.flinksupervisor.flink.CheckpointInfo;
import dev.flinksupervisor.jobs.OwnedJob.Submission;
import dev.flinksupervisor.jobs.RecoveryPolicy.Mode;
import dev.flinksupervisor.jobs.RecoveryPolicy.RestoreStrategy;
import dev.flinksupervisor.savepoints.SavepointBook;
import dev.flinksupervisor.savepoints.SavepointRecord;
import dev.flinksupervisor.savepoints.SavepointState;
import dev.flinksupervisor.store.RecordUnavailable;
import dev.flinksupervisor.store.Recorder;
import dev.flinksupervisor.supervision.ClusterSnapshot;
import dev.flinksupervisor.supervision.ClusterState;
import dev.flinksupervisor.supervision.EventLog;
import dev.flinksupervisor.supervision.EventTypes;
import dev.flinksupervisor.supervision.JobHistory.StateRegression;
import dev.flinksupervisor.supervision.JobView;
import dev.flinksupervisor.supervision.Severity;
import dev.flinksupervisor.util.JobLanes;
import dev.flinksupervisor.util.Refused;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.flink.api.common.JobStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the jobs the sidecar submitted again: by hand, or when a run FAILED and its policy says
 * RESTART_FROM_LATEST, from the newest of the completed savepoints the sidecar took and the job's
 * newest checkpoint. The new run's id is recorded before it is submitted (on the job's lane);
 * restarts back off, give up after the policy's attempts, and start counting afresh once a run has
 * lasted long enough. A run that Flink started from state older than the job had reached (its HA
 * data lost the job's checkpoints) is cancelled and run again from the newest checkpoint written
 * before it. It also notes when a run ended for good, for the record's expiry.
 */
public final class Recovery {
  private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);

  private final JobService jobs;
  private final OwnedJobs owned;
  private final SavepointBook savepoints;
  private final ClusterState cluster;
  private final EventLog events;
  private final Clock clock;
  private final Supplier<String> jobIds;
  private final Recorder recorder;
  private final Reprofiles reprofiles;
  private final JobLanes lanes;
  private final Duration resetAfter;
  private final Duration checkpointSettle;
  private final CheckpointFiles checkpointFiles;

  /** A submitted run missing from a fresh job list this long has vanished (lost by the cluster). */
  static final Duration VANISHED_AFTER = Duration.ofMinutes(1);

  /**
   * @param resetAfter a run that has lasted this long without a status change starts the attempts
   *     over
   */
  /** Flink's checkpoint statistics cache (3 s by default), and a second to spare. */
  public static final Duration DEFAULT_CHECKPOINT_SETTLE = Duration.ofSeconds(4);

  /**
   * @param checkpointSettle how long after a job ended its checkpoint statistics must have been
   *     read again before it is restarted: Flink serves them from a cache for {@code
   *     rest.cache.checkpoint-statistics.timeout}, and restoring from anything older than the
   *     newest completed checkpoint repeats output an exactly-once sink has committed
   */
  public Recovery(
      JobService jobs,
      OwnedJobs owned,
      SavepointBook savepoints,
      ClusterState cluster,
      EventLog events,
      Clock clock,
      Supplier<String> jobIds,
      Recorder recorder,
      Reprofiles reprofiles,
      JobLanes lanes,
      Duration resetAfter,
      Duration checkpointSettle,
      CheckpointFiles checkpointFiles) {
    this.checkpointSettle = checkpointSettle;
    this.checkpointFiles = checkpointFiles;
    this.jobs = jobs;
    this.owned = owned;
    this.savepoints = savepoints;
    this.cluster = cluster;
    this.events = events;
    this.clock = clock;
    this.jobIds = jobIds;
    this.recorder = recorder;
    this.reprofiles = reprofiles;
    this.lanes = lanes;
    this.resetAfter = resetAfter;
  }

  /**
   * Restarts a job the sidecar submitted, from its newest restorable state, by hand: the new run is
   * recorded and handed to its lane.
   */
  public OwnedJob restart(String jobId) {
    OwnedJob job = jobs.requireOwned(jobId);
    jobs.requireNotReprofiling(jobId);
    if (job.submission() == Submission.PENDING || lanes.busy(jobId)) {
      throw new Refused(
          Refused.Kind.CONFLICT, "Job " + jobId + " is being submitted; try again once it ran.");
    }
    JobStatus status = statusOf(jobId);
    if (status != null && !status.isGloballyTerminalState()) {
      throw new Refused(
          Refused.Kind.CONFLICT,
          "Job " + jobId + " is " + status + "; stop it (with a savepoint) before restarting it.");
    }
    return restartFromLatest(job, "on request", true)
        .orElseThrow(
            () ->
                new Refused(
                    Refused.Kind.NOT_POSSIBLE,
                    owned.get(jobId).map(OwnedJob::gaveUp).orElse("Restart failed")));
  }

  /**
   * One pass over the jobs the sidecar submitted: submissions still pending, recovery of failed
   * runs, attempts that start over after a long enough run, and when a run ended for good. It hands
   * every call to Flink to the job's lane and calls nothing remote itself.
   *
   * @param fresh whether the cluster's view is fresh enough to say a job is gone
   */
  public void tick(boolean fresh) {
    Instant now = clock.instant();
    ClusterSnapshot snapshot = cluster.snapshot();
    for (OwnedJob job : owned.all()) {
      try {
        tickJob(job, snapshot, fresh, now);
      } catch (RuntimeException e) {
        LOG.error("Looking after job {} failed unexpectedly", job.jobId(), e);
      }
    }
  }

  private void tickJob(OwnedJob job, ClusterSnapshot snapshot, boolean fresh, Instant now) {
    String jobId = job.jobId();
    if (job.submission() == Submission.PENDING) {
      lanes.offer(jobId, () -> jobs.submitPending(jobId));
      return;
    }
    JobView view = snapshot.jobs().get(jobId);
    JobStatus status = view == null ? null : view.summary().status();
    RecoveryPolicy policy = job.spec().recovery();
    boolean recovers = policy.mode() == Mode.RESTART_FROM_LATEST && job.gaveUp() == null;
    boolean vanished =
        status == null
            && fresh
            && job.submission() == Submission.SUBMITTED
            && job.submittedAt().plus(VANISHED_AFTER).isBefore(now);
    boolean failed =
        status == JobStatus.FAILED
            || (job.submission() == Submission.REFUSED && job.attempts() > 0)
            || (vanished && recovers);
    Optional<StateRegression> regressed =
        view == null || status.isGloballyTerminalState()
            ? Optional.empty()
            : view.history().stateRegression();
    if (regressed.isPresent()) {
      // Only a policy that restores the latest state runs it again from the state before; with
      // savepoints only or none, the STATE_REGRESSED event and reason say it, and people decide.
      if (recovers
          && policy.restoreFrom() == RestoreStrategy.LATEST_STATE
          && job.submission() == Submission.SUBMITTED
          && reprofiles.inFlightOn(jobId).isEmpty()
          && !lanes.busy(jobId)
          && (job.nextAttemptAt() == null || !job.nextAttemptAt().isAfter(now))) {
        onLaneIfUnchanged(job, current -> restartBehind(current, regressed.get()));
      }
      return;
    }
    if (status == JobStatus.RUNNING
        && job.attempts() > 0
        && view.summary().lastModification() > 0
        && !Instant.ofEpochMilli(view.summary().lastModification()).plus(resetAfter).isAfter(now)) {
      owned.put(jobId, job.attemptsReset());
      return;
    }
    boolean endedForGood =
        (status != null && status.isGloballyTerminalState() && !(failed && recovers))
            || (job.submission() == Submission.REFUSED && !(failed && recovers))
            || (status == null && fresh && job.submission() == Submission.SUBMITTED && !recovers);
    if (endedForGood != (job.endedAt() != null)) {
      owned.put(jobId, job.endedAt(endedForGood ? now : null));
      return;
    }
    if (!recovers || !failed || reprofiles.inFlightOn(jobId).isPresent() || lanes.busy(jobId)) {
      return;
    }
    if (job.nextAttemptAt() != null && job.nextAttemptAt().isAfter(now)) {
      return;
    }
    if (status == JobStatus.FAILED && !checkpointsSettled(view)) {
      return; // restarted once its newest checkpoint is surely known
    }
    if (job.attempts() >= policy.maxAttempts()) {
      giveUp(
          job,
          "it failed again after " + job.attempts() + " restart(s), the most its policy allows");
      return;
    }
    String why =
        (vanished ? "the JobManager no longer lists it" : "it FAILED")
            + " (attempt "
            + (job.attempts() + 1)
            + " of "
            + policy.maxAttempts()
            + ")";
    onLaneIfUnchanged(job, current -> restartFromLatest(current, why, false));
  }

  /**
   * Runs {@code action} on the job's lane if the job's record is still {@code job} by then and this
   * sidecar may act: recorded and submitted there, a slow record never holds the other jobs' work.
   */
  private void onLaneIfUnchanged(OwnedJob job, java.util.function.Consumer<OwnedJob> action) {
    lanes.offer(
        job.jobId(),
        () ->
            owned
                .get(job.jobId())
                .filter(current -> current.equals(job) && recorder.mayAct())
                .ifPresent(action));
  }

  /**
   * Runs a job whose current run went back behind a checkpoint it had completed again, from the
   * newest state written before that run started: the newest complete checkpoint in the job's
   * checkpoint directory, or the sidecar's savepoints. The run itself is cancelled before its
   * successor is submitted (see {@link JobService}).
   */
  private void restartBehind(OwnedJob job, StateRegression regression) {
    // What the run restored tells when it started; without it, nothing completed after the
    // newest checkpoint from before counts, but a checkpoint written beside it with a higher id
    // (the regressed run's ids began again below it).
    Instant cutoff =
        regression
            .restored()
            .map(r -> Instant.ofEpochMilli(r.restoredAt()))
            .orElse(Instant.ofEpochMilli(regression.newer().completedAt() + 1));
    Instant writtenBefore =
        regression.restored().map(r -> Instant.ofEpochMilli(r.restoredAt())).orElse(Instant.MAX);
    restartFrom(
        job,
        "it started from state older than checkpoint "
            + regression.newer().id()
            + " that it had completed",
        false,
        newestState(job, cutoff, writtenBefore, Optional.of(regression.newer())));
  }

  /**
   * Records the job's next run, from its newest state, and hands its submission to the lane.
   *
   * @param requested by hand: a record that cannot be stored is refused (503) instead of retried
   */
  private Optional<OwnedJob> restartFromLatest(OwnedJob job, String why, boolean requested) {
    return restartFrom(
        job, why, requested, newestState(job, Instant.MAX, Instant.MAX, Optional.empty()));
  }

  private Optional<OwnedJob> restartFrom(
      OwnedJob job, String why, boolean requested, Optional<State> state) {
    RecoveryPolicy policy = job.spec().recovery();
    Instant now = clock.instant();
    if (state.isPresent()
        && Duration.between(state.get().completedAt(), now).compareTo(policy.maxStateAge()) > 0) {
      giveUp(
          job, "its newest state " + state.get().path() + " is older than " + policy.maxStateAge());
      return Optional.empty();
    }
    String restorePath =
        state
            .map(State::path)
            .orElse(
                job.spec().recovery().restoreFrom() == RestoreStrategy.NONE
                    ? null
                    : job.spec().restorePath());
    String newJobId = jobIds.get();
    Instant nextAttempt =
        now.plus(policy.backoff().multipliedBy(1L << Math.min(job.attempts(), 20)));
    OwnedJob next = job.restartedAs(newJobId, now, nextAttempt, restorePath);
    owned.put(job.jobId(), next);
    try {
      recorder.recordNow();
    } catch (RecordUnavailable e) {
      owned.put(newJobId, job);
      if (requested) {
        throw Refused.unavailable(e);
      }
      owned.put(job.jobId(), job.withNextAttempt(now.plus(JobService.UNRECORDED_RETRY)));
      events.record(
          EventTypes.RECOVERY_FAILED,
          Severity.WARNING,
          job.jobId(),
          "Not restarting yet: the new run's record is not stored (" + e.getMessage() + ")");
      return Optional.empty();
    }
    events.record(
        EventTypes.RECOVERY_STARTED,
        Severity.WARNING,
        job.jobId(),
        "Restarting because "
            + why
            + ": new job "
            + newJobId
            + " from "
            + (restorePath == null ? "no state" : restorePath));
    lanes.submit(newJobId, () -> jobs.submitPending(newJobId));
    return Optional.of(next);
  }

  private void giveUp(OwnedJob job, String reason) {
    owned.put(job.jobId(), job.givenUp(reason));
    events.record(
        EventTypes.RECOVERY_GAVE_UP,
        Severity.ERROR,
        job.jobId(),
        "Not restarting the job: " + reason);
  }

  /**
   * Whether the job's checkpoint statistics were read long enough after it ended that they are not
   * a cached copy from before its last checkpoint: the newest state is then surely the newest.
   */
  private boolean checkpointsSettled(JobView view) {
    long endedAt = view.summary().endTime();
    if (endedAt <= 0) {
      return true; // no end time told: nothing to wait for
    }
    Instant settled = Instant.ofEpochMilli(endedAt).plus(checkpointSettle);
    return view.progressAt() != null && view.progressAt().isAfter(settled);
  }

  /** A state to restore from, and when it was completed. */
  private record State(String path, Instant completedAt) {
    static State of(CheckpointInfo checkpoint) {
      return new State(checkpoint.externalPath(), Instant.ofEpochMilli(checkpoint.completedAt()));
    }
  }

  /**
   * The newest state of the job's runs: the sidecar's savepoints and the newest checkpoint it knows
   * of each run, completed before {@code before}; the current run's known checkpoint (or {@code
   * known}); and the newest complete checkpoint written beside it in its checkpoint directory
   * before {@code writtenBefore}, with an id not below it. The directory is read because what the
   * sidecar knows may be a few checkpoints old, and Flink deletes subsumed checkpoints.
   */
  private Optional<State> newestState(
      OwnedJob job, Instant before, Instant writtenBefore, Optional<CheckpointInfo> known) {
    RestoreStrategy strategy = job.spec().recovery().restoreFrom();
    if (strategy == RestoreStrategy.NONE) {
      return Optional.empty();
    }
    boolean checkpoints = strategy == RestoreStrategy.LATEST_STATE;
    List<String> runs = new ArrayList<>(job.previousJobIds());
    runs.add(job.jobId());
    List<State> candidates = new ArrayList<>();
    Optional<CheckpointInfo> current = known.filter(c -> checkpoints);
    for (String run : runs) {
      for (SavepointRecord r : savepoints.ofJob(run)) {
        if (r.state() == SavepointState.COMPLETED && !r.disposed()) {
          candidates.add(new State(r.path(), r.completedAt()));
        }
      }
      JobView view = cluster.snapshot().jobs().get(run);
      Optional<CheckpointInfo> restorable =
          view == null
              ? Optional.empty()
              : view.restorable()
                  .map(JobView.Restorable::checkpoint)
                  .filter(c -> checkpoints || c.savepoint());
      restorable.ifPresent(c -> candidates.add(State.of(c)));
      if (checkpoints && run.equals(job.jobId()) && current.isEmpty()) {
        current = restorable.filter(c -> !c.savepoint());
      }
    }
    List<State> states =
        new ArrayList<>(candidates.stream().filter(c -> c.completedAt().isBefore(before)).toList());
    current.ifPresent(c -> states.add(State.of(c)));
    current.flatMap(c -> writtenBeside(job, c, writtenBefore)).ifPresent(states::add);
    return states.stream().max(Comparator.comparing(State::completedAt));
  }

  private Optional<State> writtenBeside(OwnedJob job, CheckpointInfo known, Instant before) {
    long writtenBefore = before.equals(Instant.MAX) ? Long.MAX_VALUE : before.toEpochMilli();
    try {
      return checkpointFiles.newestBeside(known, writtenBefore).map(State::of);
    } catch (Exception e) {
      LOG.warn(
          "Listing the checkpoints beside {} of job {} failed; they are not considered: {}",
          known.externalPath(),
          job.jobId(),
          e.toString());
      return Optional.empty();
    }
  }

  private JobStatus statusOf(String jobId) {
    JobView view = cluster.snapshot().jobs().get(jobId);
    return view == null ? null : view.summary().status();
  }
}
