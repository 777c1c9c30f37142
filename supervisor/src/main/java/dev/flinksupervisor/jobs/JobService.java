package dev.flinksupervisor.jobs;

import dev.flinksupervisor.flink.FlinkJobs;
import dev.flinksupervisor.flink.TaskManagers;
import dev.flinksupervisor.jobs.OwnedJob.Submission;
import dev.flinksupervisor.savepoints.SavepointBook;
import dev.flinksupervisor.slots.AllocatedSlot;
import dev.flinksupervisor.slots.Capacity;
import dev.flinksupervisor.slots.SlotFit;
import dev.flinksupervisor.slots.SlotProfile;
import dev.flinksupervisor.slots.SlotProfiles;
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
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Submits jobs from jars on the pod, keeps what it needs to run them again, and recovers the ones
 * whose policy says so from their newest restorable state: the newest of the completed savepoints
 * the sidecar took and the job's newest checkpoint. Every attempt is an event.
 *
 * <p>A run's job id is stored before the run is submitted; a request only checks, records and hands
 * the submission to the job's lane, where Flink's client builds and submits it. A job whose runs
 * ended for good is forgotten a retention period later.
 */
public final class JobService {
  private static final Logger LOG = LoggerFactory.getLogger(JobService.class);

  /** How long a submission waits when its record could not be stored. */
  static final Duration UNRECORDED_RETRY = Duration.ofSeconds(5);

  private final FlinkJobs flink;
  private final OwnedJobs owned;
  private final SavepointBook savepoints;
  private final ClusterState cluster;
  private final EventLog events;
  private final Clock clock;

  /** Submissions that got no answer: sent again under the same id, not before this time. */
  private record Unanswered(int times, java.time.Instant notBefore) {}

  private final java.util.Map<String, Unanswered> unanswered =
      new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * Previous runs whose cancellation was sent (Instant.MAX: it is sent once), or failed and is
   * tried again not before then.
   */
  private final Map<String, Instant> cancelSent = new java.util.concurrent.ConcurrentHashMap<>();

  /** How long after a failed cancellation of a previous run it is tried again. */
  static final Duration CANCEL_RETRY = Duration.ofSeconds(5);

  private final JarFiles jars;
  private final Supplier<String> jobIds;
  private final Recorder recorder;
  private final SlotProfiles slotProfiles;
  private final Reprofiles reprofiles;
  private final JobLanes lanes;
  private final Duration finishedRetention;

  public JobService(
      FlinkJobs flink,
      OwnedJobs owned,
      SavepointBook savepoints,
      ClusterState cluster,
      EventLog events,
      Clock clock,
      JarFiles jars,
      Supplier<String> jobIds,
      Recorder recorder,
      SlotProfiles slotProfiles,
      Reprofiles reprofiles,
      JobLanes lanes,
      Duration finishedRetention) {
    this.flink = flink;
    this.owned = owned;
    this.savepoints = savepoints;
    this.cluster = cluster;
    this.events = events;
    this.clock = clock;
    this.jars = jars;
    this.jobIds = jobIds;
    this.recorder = recorder;
    this.slotProfiles = slotProfiles;
    this.reprofiles = reprofiles;
    this.lanes = lanes;
    this.finishedRetention = finishedRetention;
  }

  /** The profiles a spec names, by slot-sharing group; refused when a name is not configured. */
  Map<String, SlotProfile> profilesOf(JobSpec spec) {
    Map<String, SlotProfile> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : spec.slotProfiles().entrySet()) {
      SlotProfile profile =
          slotProfiles
              .get(e.getValue())
              .orElseThrow(
                  () ->
                      new Refused(
                          Refused.Kind.BAD_INPUT,
                          "slotProfiles",
                          "No slot profile '"
                              + e.getValue()
                              + "' is configured; known: "
                              + slotProfiles.all().keySet()));
      out.put(e.getKey(), profile);
    }
    return out;
  }

  /**
   * Checks the spec, records the job with its new id, and hands its submission to the job's lane.
   *
   * @return the job as recorded (submission PENDING): poll it for the outcome
   * @throws Refused for a bad spec, profiles the cluster cannot run, or a record that could not be
   *     stored (then nothing was submitted)
   */
  public OwnedJob submit(JobSpec spec) {
    jars.resolve(spec);
    if (spec.entryClass() == null || spec.entryClass().isBlank()) {
      throw new Refused(Refused.Kind.BAD_INPUT, "entryClass", "entryClass is required.");
    }
    if (spec.parallelism() != null && spec.parallelism() < 1) {
      throw new Refused(Refused.Kind.BAD_INPUT, "parallelism", "parallelism must be at least 1.");
    }
    Map<String, SlotProfile> profiles = profilesOf(spec);
    knownCapacity().ifPresent(capacity -> requireFits(profiles, capacity));
    OwnedJob job = OwnedJob.pending(jobIds.get(), spec, clock.instant());
    owned.put(null, job);
    try {
      recorder.recordNow();
    } catch (RecordUnavailable e) {
      owned.put(
          job.jobId(),
          job.refused("Its record could not be stored: " + e.getMessage(), clock.instant()));
      throw Refused.unavailable(e);
    }
    lanes.submit(job.jobId(), () -> submitPending(job.jobId()));
    return job;
  }

  /**
   * Whether the job's previous run is still going (as when it restarted from state older than it
   * had reached): it is cancelled, and the new run waits until the cluster lists it as ended.
   */
  private boolean previousRunStillGoes(OwnedJob job) {
    if (job.previousJobIds().isEmpty()) {
      return false;
    }
    String previous = job.previousJobIds().get(job.previousJobIds().size() - 1);
    JobView view = cluster.snapshot().jobs().get(previous);
    if (view == null || view.summary().status().isGloballyTerminalState()) {
      cancelSent.remove(previous);
      return false;
    }
    Instant now = clock.instant();
    Instant retryAt = cancelSent.get(previous);
    if (view.summary().status() == org.apache.flink.api.common.JobStatus.CANCELLING
        || (retryAt != null && retryAt.isAfter(now))) {
      return true;
    }
    cancelSent.put(previous, Instant.MAX); // sent once; a failure sets when to try again
    try {
      flink.cancel(previous).join();
      events.record(
          EventTypes.JOB_CANCELLED,
          Severity.WARNING,
          previous,
          "Cancelled run "
              + previous
              + " (it was "
              + view.summary().status()
              + "): its successor "
              + job.jobId()
              + " starts once it has ended");
    } catch (CompletionException e) {
      cancelSent.put(previous, now.plus(CANCEL_RETRY));
      events.record(
          EventTypes.JOB_CANCELLED,
          Severity.ERROR,
          previous,
          "Cancelling run "
              + previous
              + " before its successor "
              + job.jobId()
              + " starts failed; tried again in "
              + CANCEL_RETRY.toSeconds()
              + " s: "
              + Failures.messageChain(e));
    }
    return true;
  }

  private Optional<Capacity> knownCapacity() {
    return cluster.snapshot().taskManagers().map(TaskManagers::capacity);
  }

  /** Refuses profiles the cluster cannot honour: adaptive scheduler, larger than every TM. */
  static void requireFits(Map<String, SlotProfile> profiles, Capacity capacity) {
    SlotFit.refusal(profiles, capacity)
        .ifPresent(
            why -> {
              throw new Refused(Refused.Kind.NOT_POSSIBLE, "slotProfiles", why);
            });
  }

  /** Checks the profiles against the cluster as it is now; runs on a lane. */
  void requireFitsNow(Map<String, SlotProfile> profiles) {
    if (profiles.isEmpty()) {
      return;
    }
    Capacity capacity;
    try {
      capacity = flink.capacity().join();
    } catch (CompletionException e) {
      throw new Refused(
          Refused.Kind.NOT_POSSIBLE,
          null,
          "The cluster's scheduler and TaskManagers could not be read to check the slot profiles: "
              + Failures.messageChain(e));
    }
    requireFits(profiles, capacity);
  }

  /**
   * Submits the job's current run if it is still PENDING: stores the record first, then builds the
   * program and submits it. Runs on the job's lane.
   */
  void submitPending(String jobId) {
    OwnedJob job = owned.get(jobId).orElse(null);
    if (job == null || job.submission() != Submission.PENDING || !recorder.mayAct()) {
      return;
    }
    Unanswered waiting = unanswered.get(jobId);
    if (waiting != null && waiting.notBefore().isAfter(clock.instant())) {
      return;
    }
    if (cluster.snapshot().jobs().containsKey(jobId)) {
      owned.put(jobId, job.submitted()); // accepted before the sidecar learnt of it
      return;
    }
    if (previousRunStillGoes(job)) {
      return; // submitted once the previous run has ended: two runs never write at once
    }
    try {
      recorder.recordNow();
    } catch (RecordUnavailable e) {
      events.record(
          EventTypes.JOB_SUBMISSION_FAILED,
          Severity.WARNING,
          jobId,
          "Not submitting yet: the job's record is not stored (" + e.getMessage() + ")");
      return;
    }
    job = owned.get(jobId).orElse(null); // as stored, merged with another sidecar's if need be
    if (job == null || job.submission() != Submission.PENDING || !recorder.mayAct()) {
      return;
    }
    boolean restart = job.attempts() > 0;
    try {
      Map<String, SlotProfile> profiles = profilesOf(job.spec());
      requireFitsNow(profiles);
      flink
          .submit(
              submission(jobId, jars.resolve(job.spec()), job.spec(), restorePathOf(job), profiles))
          .join();
    } catch (CompletionException | Refused e) {
      String reason = e instanceof Refused ? e.getMessage() : Failures.messageChain(e);
      if (isDuplicate(reason)) {
        settle(jobId, OwnedJob::submitted);
        return;
      }
      if (e instanceof CompletionException && gotNoAnswer(e)) {
        // No answer: Flink may run it already. It stays PENDING and is submitted again under
        // the same id (a duplicate then counts as started), never as another run, after a
        // backoff from 1 s doubling to 1 min.
        int times = waiting == null ? 1 : waiting.times() + 1;
        unanswered.put(
            jobId,
            new Unanswered(
                times, clock.instant().plusSeconds(Math.min(60, 1L << Math.min(times - 1, 6)))));
        events.record(
            restart ? EventTypes.RECOVERY_FAILED : EventTypes.JOB_SUBMISSION_FAILED,
            Severity.WARNING,
            jobId,
            "No answer from the JobManager to the submission of "
                + jobId
                + "; it is submitted again under the same id: "
                + reason);
        return;
      }
      unanswered.remove(jobId);
      settle(jobId, j -> j.refused(reason, clock.instant()));
      events.record(
          restart ? EventTypes.RECOVERY_FAILED : EventTypes.JOB_SUBMISSION_FAILED,
          Severity.ERROR,
          jobId,
          (restart ? "Restart failed: " : "Submitting " + job.spec().jarPath() + " failed: ")
              + reason);
      return;
    }
    unanswered.remove(jobId);
    settle(jobId, OwnedJob::submitted);
    if (!restart) {
      events.record(
          EventTypes.JOB_SUBMITTED,
          Severity.INFO,
          jobId,
          "Submitted "
              + job.spec().entryClass()
              + " from "
              + job.spec().jarPath()
              + (job.spec().restorePath() == null ? "" : " restoring " + job.spec().restorePath()));
    }
  }

  /** Flink already has a job under that id: it accepted this run before. */
  static boolean isDuplicate(String reason) {
    return reason.contains("DuplicateJobSubmissionException")
        || reason.contains("already been submitted");
  }

  /** Settles the run's submission if it is still PENDING (another sidecar may have settled it). */
  private void settle(String jobId, java.util.function.UnaryOperator<OwnedJob> outcome) {
    owned
        .get(jobId)
        .filter(j -> j.submission() == Submission.PENDING)
        .ifPresent(j -> owned.put(jobId, outcome.apply(j)));
  }

  /** Where a run starts from: the state chosen when it was recorded. */
  /**
   * The state a run starts from: a restart's own, or the path the job was submitted with; none for
   * a later run of a job whose policy restores nothing.
   */
  private static String restorePathOf(OwnedJob job) {
    if (job.restorePath() != null) {
      return job.restorePath();
    }
    boolean later = !job.previousJobIds().isEmpty();
    return later && job.spec().recovery().restoreFrom() == RecoveryPolicy.RestoreStrategy.NONE
        ? null
        : job.spec().restorePath();
  }

  /**
   * Builds the job graph of {@code spec} with its profiles, without running it: refused when the
   * program cannot be built or a profile names a group the job does not have. Runs on a lane.
   */
  void check(OwnedJob job, JobSpec spec) {
    try {
      flink.check(submission(job.jobId(), jars.resolve(spec), spec, null, profilesOf(spec))).join();
    } catch (CompletionException e) {
      throw new Refused(
          Refused.Kind.NOT_POSSIBLE,
          "slotProfiles",
          "The job cannot run with these profiles: " + Failures.messageChain(e));
    }
  }

  /**
   * Runs a job the sidecar submitted again as {@code newJobId}, with {@code spec}, from {@code
   * restorePath}; records the new run once Flink accepted it. Runs on a lane.
   *
   * @throws Refused when the jar is gone or Flink refused the job, with Flink's reason: {@code
   *     NOT_POSSIBLE} when the JobManager answered no, {@code UNAVAILABLE} when no answer came (the
   *     connection closed, a timeout, a leader election), after which Flink may still run the job
   *     under {@code newJobId}, so that only a submission under the same id may follow
   */
  OwnedJob runAgain(OwnedJob job, JobSpec spec, String restorePath, String newJobId) {
    try {
      flink
          .submit(submission(newJobId, jars.resolve(spec), spec, restorePath, profilesOf(spec)))
          .join();
    } catch (CompletionException e) {
      String reason = Failures.messageChain(e);
      if (!isDuplicate(reason)) { // a run Flink has already under this id counts as started
        throw new Refused(
            gotNoAnswer(e) ? Refused.Kind.UNAVAILABLE : Refused.Kind.NOT_POSSIBLE, reason);
      }
    }
    return rerecord(job, spec, newJobId);
  }

  /**
   * Whether a submission failed without a refusal from the JobManager, so that it may have been
   * accepted. Only two failures say it was not: nothing was sent ({@link FlinkJobs.NotSent}: the
   * job graph could not be built), or the JobManager's REST API answered 4xx. A 503 (a leader
   * election), a 500 (its own call may have timed out after the job was stored), a closed or reset
   * connection, or a timeout all leave it open.
   */
  static boolean gotNoAnswer(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof dev.flinksupervisor.flink.FlinkJobs.NotSent) {
        return false;
      }
      if (t instanceof org.apache.flink.runtime.rest.util.RestClientException rest) {
        int status = rest.getHttpResponseStatus().code();
        return status < 400 || status >= 500;
      }
    }
    return true;
  }

  /** Records that the job runs as {@code newJobId} with {@code spec}, which Flink already runs. */
  OwnedJob rerecord(OwnedJob job, JobSpec spec, String newJobId) {
    OwnedJob next = job.rerunAs(newJobId, spec, clock.instant());
    owned.put(job.jobId(), next);
    return next;
  }

  /**
   * The job the sidecar submitted as {@code jobId}: refused as unknown, or as not the sidecar's
   * (naming its newest restorable state, which is all that can be offered for it).
   */
  OwnedJob requireOwned(String jobId) {
    return owned
        .get(jobId)
        .orElseThrow(
            () -> {
              JobView view = cluster.snapshot().jobs().get(jobId);
              if (view == null) {
                return new Refused(
                    Refused.Kind.UNKNOWN_JOB, "No job with id '" + jobId + "' is known.");
              }
              return new Refused(
                  Refused.Kind.CONFLICT,
                  "Job "
                      + jobId
                      + " was not submitted by this sidecar, so it cannot be run"
                      + " again from here."
                      + view.restorable()
                          .map(
                              r ->
                                  " Its newest restorable state is "
                                      + r.checkpoint().externalPath()
                                      + ".")
                          .orElse(""));
            });
  }

  /** Stores a jar uploaded with a submission; the name to put in the spec with {@code uploaded}. */
  public String storeUpload(java.io.InputStream content) {
    return jars.store(content);
  }

  /** A slot-sharing group's profile: its name in the configuration and what it asks for. */
  @com.fasterxml.jackson.annotation.JsonInclude(
      com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
  public record RequestedProfile(String profile, SlotProfile resources) {}

  /**
   * What a job asked for and what it got.
   *
   * @param requested by slot-sharing group; empty for jobs the sidecar did not submit or that name
   *     no profiles (their slots take whatever the TaskManagers offer)
   * @param allocated the slots the TaskManagers held for the job when last read; null when they
   *     were never read, {@code allocatedError} says why
   */
  @com.fasterxml.jackson.annotation.JsonInclude(
      com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
  public record Slots(
      Map<String, RequestedProfile> requested,
      List<AllocatedSlot> allocated,
      String allocatedError) {}

  /** The requested profiles of a job and the slots Flink allocated to it, from memory. */
  public Slots slotsOf(String jobId) {
    Map<String, RequestedProfile> requested = new LinkedHashMap<>();
    owned
        .get(jobId)
        .ifPresent(
            job ->
                job.spec()
                    .slotProfiles()
                    .forEach(
                        (group, name) ->
                            requested.put(
                                group,
                                new RequestedProfile(name, slotProfiles.get(name).orElse(null)))));
    return cluster
        .snapshot()
        .taskManagers()
        .map(tms -> new Slots(requested, tms.allocatedTo(jobId), null))
        .orElse(
            new Slots(
                requested,
                null,
                "The TaskManagers have not been read yet; the allocated slots are unknown."));
  }

  /** Whether the job is one the cluster runs or ran, or one the sidecar submitted. */
  public boolean knows(String jobId) {
    return owned.get(jobId).isPresent() || cluster.snapshot().jobs().containsKey(jobId);
  }

  public Optional<OwnedJob> get(String jobId) {
    return owned.get(jobId);
  }

  /** Refuses an action on a job while its slot profiles are being changed. */
  void requireNotReprofiling(String jobId) {
    reprofiles
        .inFlightOn(jobId)
        .ifPresent(
            op -> {
              throw new Refused(
                  Refused.Kind.CONFLICT,
                  "Job " + jobId + " is being re-profiled (" + op.id() + ", " + op.state() + ").");
            });
  }

  /**
   * Forgets the jobs whose runs ended for good longer than the retention ago, with their savepoint
   * records and re-profiling operations (the savepoint files stay).
   *
   * @return the ids of every run of the jobs forgotten
   */
  public Set<String> expireEnded() {
    Instant now = clock.instant();
    Set<String> forgotten = new HashSet<>();
    for (OwnedJob job : owned.all()) {
      if (job.endedAt() == null
          || job.endedAt().plus(finishedRetention).isAfter(now)
          || lanes.busy(job.jobId())) {
        continue;
      }
      List<String> runs = new ArrayList<>(job.previousJobIds());
      runs.add(job.jobId());
      owned.remove(job.jobId());
      runs.forEach(savepoints::forgetJob);
      reprofiles.forgetJobs(runs);
      forgotten.addAll(runs);
      events.record(
          EventTypes.JOB_EXPIRED,
          Severity.INFO,
          job.jobId(),
          "Forgot the job and its savepoint records: it ended at "
              + job.endedAt()
              + ", more than "
              + finishedRetention
              + " ago (savepoint files are kept)");
    }
    return forgotten;
  }

  /** Every run id of every job the sidecar submitted, the current ones and the earlier ones. */
  public Set<String> allRuns() {
    Set<String> runs = new HashSet<>();
    for (OwnedJob job : owned.all()) {
      runs.add(job.jobId());
      runs.addAll(job.previousJobIds());
    }
    return runs;
  }

  /** The uploaded jars some job still needs. */
  public Set<String> uploadedJarsInUse() {
    Set<String> jarsInUse = new HashSet<>();
    for (OwnedJob job : owned.all()) {
      if (job.spec().uploaded()) {
        jarsInUse.add(job.spec().jarPath());
      }
    }
    return jarsInUse;
  }

  private static FlinkJobs.Submission submission(
      String jobId, Path jar, JobSpec spec, String restorePath, Map<String, SlotProfile> profiles) {
    return new FlinkJobs.Submission(
        jobId,
        jar,
        spec.entryClass(),
        spec.args() == null ? List.of() : spec.args(),
        spec.parallelism(),
        restorePath,
        spec.allowNonRestoredState(),
        profiles);
  }
}
