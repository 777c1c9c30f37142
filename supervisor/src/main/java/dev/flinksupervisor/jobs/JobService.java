package dev.flinksupervisor.jobs;

import dev.flinksupervisor.flink.FlinkJobs;
import dev.flinksupervisor.flink.FlinkJobs.Submission;
import dev.flinksupervisor.jobs.RecoveryPolicy.Mode;
import dev.flinksupervisor.savepoints.SavepointBook;
import dev.flinksupervisor.savepoints.SavepointRecord;
import dev.flinksupervisor.savepoints.SavepointState;
import dev.flinksupervisor.slots.AllocatedSlot;
import dev.flinksupervisor.slots.Capacity;
import dev.flinksupervisor.slots.SlotFit;
import dev.flinksupervisor.slots.SlotProfile;
import dev.flinksupervisor.slots.SlotProfiles;
import dev.flinksupervisor.supervision.ClusterState;
import dev.flinksupervisor.supervision.EventLog;
import dev.flinksupervisor.supervision.JobView;
import dev.flinksupervisor.supervision.Severity;
import dev.flinksupervisor.util.Failures;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.flink.api.common.JobStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Submits jobs from jars on the pod, keeps what it needs to run them again, and recovers the ones
 * whose policy says so from their newest restorable state: the newest of the completed savepoints
 * the sidecar took and the job's newest checkpoint. Every attempt is an event.
 */
public final class JobService {
  private static final Logger LOG = LoggerFactory.getLogger(JobService.class);

  public static final String SUBMITTED = "JOB_SUBMITTED";
  public static final String SUBMISSION_FAILED = "JOB_SUBMISSION_FAILED";
  public static final String RECOVERY_STARTED = "RECOVERY_STARTED";
  public static final String RECOVERY_FAILED = "RECOVERY_FAILED";
  public static final String RECOVERY_GAVE_UP = "RECOVERY_GAVE_UP";

  private static final Duration ALLOCATED_SLOTS_TIMEOUT = Duration.ofSeconds(10);

  private final FlinkJobs flink;
  private final OwnedJobs owned;
  private final SavepointBook savepoints;
  private final ClusterState cluster;
  private final EventLog events;
  private final Clock clock;
  private final JarFiles jars;
  private final Supplier<String> jobIds;
  private final Runnable persist;
  private final SlotProfiles slotProfiles;
  private final Reprofiles reprofiles;

  public JobService(
      FlinkJobs flink,
      OwnedJobs owned,
      SavepointBook savepoints,
      ClusterState cluster,
      EventLog events,
      Clock clock,
      JarFiles jars,
      Supplier<String> jobIds,
      Runnable persist,
      SlotProfiles slotProfiles,
      Reprofiles reprofiles) {
    this.flink = flink;
    this.owned = owned;
    this.savepoints = savepoints;
    this.cluster = cluster;
    this.events = events;
    this.clock = clock;
    this.jars = jars;
    this.jobIds = jobIds;
    this.persist = persist;
    this.slotProfiles = slotProfiles;
    this.reprofiles = reprofiles;
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

  /** Why a request cannot be carried out; the API turns it into 400, 404, 409 or 422. */
  public static final class Refused extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What kind of refusal. */
    public enum Kind {
      BAD_INPUT,
      UNKNOWN_JOB,
      CONFLICT,
      NOT_POSSIBLE
    }

    private final Kind kind;
    private final String field;

    Refused(Kind kind, String field, String message) {
      super(message);
      this.kind = kind;
      this.field = field;
    }

    public Kind kind() {
      return kind;
    }

    public String field() {
      return field;
    }
  }

  /** Records the job, then submits it; a refused submission leaves no record. */
  public synchronized OwnedJob submit(JobSpec spec) {
    Path jar = jars.resolve(spec);
    if (spec.entryClass() == null || spec.entryClass().isBlank()) {
      throw new Refused(Refused.Kind.BAD_INPUT, "entryClass", "entryClass is required.");
    }
    if (spec.parallelism() != null && spec.parallelism() < 1) {
      throw new Refused(Refused.Kind.BAD_INPUT, "parallelism", "parallelism must be at least 1.");
    }
    Map<String, SlotProfile> profiles = profilesOf(spec);
    requireFits(profiles);
    OwnedJob job = new OwnedJob(jobIds.get(), List.of(), spec, clock.instant(), 0, null, null);
    owned.put(null, job);
    persist.run();
    try {
      flink.submit(submission(job.jobId(), jar, spec, spec.restorePath(), profiles)).join();
    } catch (CompletionException e) {
      owned.remove(job.jobId());
      persist.run();
      String reason = Failures.messageChain(e);
      events.record(
          SUBMISSION_FAILED,
          Severity.ERROR,
          job.jobId(),
          "Submitting " + spec.jarPath() + " failed: " + reason);
      throw new Refused(Refused.Kind.NOT_POSSIBLE, null, "Flink did not accept the job: " + reason);
    }
    events.record(
        SUBMITTED,
        Severity.INFO,
        job.jobId(),
        "Submitted "
            + spec.entryClass()
            + " from "
            + spec.jarPath()
            + (spec.restorePath() == null ? "" : " restoring " + spec.restorePath()));
    return job;
  }

  /**
   * Refuses profiles the cluster cannot honour: on the adaptive scheduler, or larger than every
   * TaskManager.
   */
  void requireFits(Map<String, SlotProfile> profiles) {
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
    SlotFit.refusal(profiles, capacity)
        .ifPresent(
            why -> {
              throw new Refused(Refused.Kind.NOT_POSSIBLE, "slotProfiles", why);
            });
  }

  /**
   * Builds the job graph of {@code spec} with its profiles, without running it: refused when the
   * program cannot be built or a profile names a group the job does not have.
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
   * restorePath}; records the new run once Flink accepted it.
   *
   * @throws Refused when the jar is gone or Flink refused the job, with Flink's reason
   */
  synchronized OwnedJob runAgain(OwnedJob job, JobSpec spec, String restorePath, String newJobId) {
    try {
      flink
          .submit(submission(newJobId, jars.resolve(spec), spec, restorePath, profilesOf(spec)))
          .join();
    } catch (CompletionException e) {
      throw new Refused(Refused.Kind.NOT_POSSIBLE, null, Failures.messageChain(e));
    }
    return rerecord(job, spec, newJobId);
  }

  /** Records that the job runs as {@code newJobId} with {@code spec}, which Flink already runs. */
  synchronized OwnedJob rerecord(OwnedJob job, JobSpec spec, String newJobId) {
    OwnedJob next = job.rerunAs(newJobId, spec, clock.instant());
    owned.put(job.jobId(), next);
    persist.run();
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
                    Refused.Kind.UNKNOWN_JOB, null, "No job with id '" + jobId + "' is known.");
              }
              return new Refused(
                  Refused.Kind.CONFLICT,
                  null,
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
  public record RequestedProfile(String profile, SlotProfile resources) {}

  /**
   * What a job asked for and what it got.
   *
   * @param requested by slot-sharing group; empty for jobs the sidecar did not submit or that name
   *     no profiles (their slots take whatever the TaskManagers offer)
   * @param allocated the slots the TaskManagers hold for the job now; null when they could not be
   *     read, {@code allocatedError} says why
   */
  @com.fasterxml.jackson.annotation.JsonInclude(
      com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
  public record Slots(
      Map<String, RequestedProfile> requested,
      List<AllocatedSlot> allocated,
      String allocatedError) {}

  /**
   * The requested profiles of a job and the slots Flink allocated to it.
   *
   * @param jobManagerAnswers false when the JobManager is known not to answer: the allocated slots
   *     are then not asked for, so that the answer does not wait for a timeout
   */
  public Slots slotsOf(String jobId, boolean jobManagerAnswers) {
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
    if (!jobManagerAnswers) {
      return new Slots(
          requested, null, "The JobManager is not answering; the allocated slots are unknown.");
    }
    try {
      List<AllocatedSlot> allocated =
          flink
              .allocatedSlots(jobId)
              .orTimeout(ALLOCATED_SLOTS_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
              .join();
      return new Slots(requested, allocated, null);
    } catch (CompletionException e) {
      return new Slots(requested, null, Failures.messageChain(e));
    }
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
                  null,
                  "Job " + jobId + " is being re-profiled (" + op.id() + ", " + op.state() + ").");
            });
  }

  /** Restarts a job the sidecar submitted, from its newest restorable state, by hand. */
  public synchronized OwnedJob restart(String jobId) {
    OwnedJob job = requireOwned(jobId);
    requireNotReprofiling(jobId);
    JobStatus status = statusOf(jobId);
    if (status != null && !status.isGloballyTerminalState()) {
      throw new Refused(
          Refused.Kind.CONFLICT,
          null,
          "Job " + jobId + " is " + status + "; stop it (with a savepoint) before restarting it.");
    }
    return restartFromLatest(job, "on request")
        .orElseThrow(
            () ->
                new Refused(
                    Refused.Kind.NOT_POSSIBLE,
                    null,
                    owned.get(jobId).map(OwnedJob::gaveUp).orElse("Restart failed")));
  }

  /** One pass of recovery over the jobs whose policy restarts them. */
  public synchronized void tick() {
    Instant now = clock.instant();
    for (OwnedJob job : owned.all()) {
      RecoveryPolicy policy = job.spec().recovery();
      if (policy.mode() != Mode.RESTART_FROM_LATEST || job.gaveUp() != null) {
        continue;
      }
      if (statusOf(job.jobId()) != JobStatus.FAILED) {
        continue;
      }
      if (job.nextAttemptAt() != null && job.nextAttemptAt().isAfter(now)) {
        continue;
      }
      if (reprofiles.inFlightOn(job.jobId()).isPresent()) {
        continue;
      }
      if (job.attempts() >= policy.maxAttempts()) {
        giveUp(
            job,
            "it failed again after " + job.attempts() + " restart(s), the most its policy allows");
        continue;
      }
      try {
        restartFromLatest(
            job,
            "it FAILED (attempt " + (job.attempts() + 1) + " of " + policy.maxAttempts() + ")");
      } catch (RuntimeException e) {
        LOG.error("Recovering job {} failed unexpectedly", job.jobId(), e);
      }
    }
  }

  private Optional<OwnedJob> restartFromLatest(OwnedJob job, String why) {
    RecoveryPolicy policy = job.spec().recovery();
    Instant now = clock.instant();
    Optional<State> state = newestState(job);
    if (state.isPresent()
        && Duration.between(state.get().completedAt(), now).compareTo(policy.maxStateAge()) > 0) {
      giveUp(
          job, "its newest state " + state.get().path() + " is older than " + policy.maxStateAge());
      return Optional.empty();
    }
    String restorePath = state.map(State::path).orElse(job.spec().restorePath());
    String newJobId = jobIds.get();
    Instant nextAttempt =
        now.plus(policy.backoff().multipliedBy(1L << Math.min(job.attempts(), 20)));
    OwnedJob next = job.restartedAs(newJobId, now, nextAttempt);
    owned.put(job.jobId(), next);
    persist.run();
    events.record(
        RECOVERY_STARTED,
        Severity.WARNING,
        job.jobId(),
        "Restarting because "
            + why
            + ": new job "
            + newJobId
            + " from "
            + (restorePath == null ? "no state" : restorePath));
    try {
      flink
          .submit(
              submission(
                  newJobId,
                  jars.resolve(job.spec()),
                  job.spec(),
                  restorePath,
                  profilesOf(job.spec())))
          .join();
      return Optional.of(next);
    } catch (CompletionException | Refused e) {
      String reason = e instanceof Refused ? e.getMessage() : Failures.messageChain(e);
      OwnedJob failed = job.withAttemptFailed(nextAttempt);
      owned.put(newJobId, failed);
      persist.run();
      events.record(RECOVERY_FAILED, Severity.ERROR, job.jobId(), "Restart failed: " + reason);
      return Optional.empty();
    }
  }

  private void giveUp(OwnedJob job, String reason) {
    owned.put(job.jobId(), job.givenUp(reason));
    persist.run();
    events.record(
        RECOVERY_GAVE_UP, Severity.ERROR, job.jobId(), "Not restarting the job: " + reason);
  }

  /** A state to restore from, and when it was completed. */
  private record State(String path, Instant completedAt) {}

  private Optional<State> newestState(OwnedJob job) {
    List<String> runs = new ArrayList<>(job.previousJobIds());
    runs.add(job.jobId());
    List<State> candidates = new ArrayList<>();
    for (String run : runs) {
      for (SavepointRecord r : savepoints.ofJob(run)) {
        if (r.state() == SavepointState.COMPLETED && !r.disposed()) {
          candidates.add(new State(r.path(), r.completedAt()));
        }
      }
      JobView view = cluster.snapshot().jobs().get(run);
      if (view != null) {
        view.restorable()
            .ifPresent(
                r ->
                    candidates.add(
                        new State(
                            r.checkpoint().externalPath(),
                            Instant.ofEpochMilli(r.checkpoint().completedAt()))));
      }
    }
    return candidates.stream().max(java.util.Comparator.comparing(State::completedAt));
  }

  private JobStatus statusOf(String jobId) {
    JobView view = cluster.snapshot().jobs().get(jobId);
    return view == null ? null : view.summary().status();
  }

  private static Submission submission(
      String jobId, Path jar, JobSpec spec, String restorePath, Map<String, SlotProfile> profiles) {
    return new Submission(
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
