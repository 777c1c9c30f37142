package dev.flinksupervisor.supervision;

import dev.flinksupervisor.flink.CheckpointInfo;
import dev.flinksupervisor.flink.ClusterOverview;
import dev.flinksupervisor.flink.FailureCause;
import dev.flinksupervisor.flink.FlinkGateway;
import dev.flinksupervisor.flink.JobProgress;
import dev.flinksupervisor.flink.JobSummary;
import dev.flinksupervisor.flink.RetainedCheckpoints;
import dev.flinksupervisor.flink.TaskManagers;
import dev.flinksupervisor.util.Failures;
import dev.flinksupervisor.util.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import org.apache.flink.api.common.JobStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Polls the leading JobManager and keeps {@link ClusterState} current. One cycle reads {@code
 * /jobs/overview}, then the details of the jobs {@link RefreshPolicy} names, in parallel. A failing
 * call fails only its own job's refresh; nothing escapes the cycle, so the loop cannot die. While
 * the JobManager does not answer, polls back off exponentially up to a cap.
 */
public final class SupervisionLoop implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SupervisionLoop.class);
  private static final Set<JobStatus> FAILURE_STATES =
      EnumSet.of(JobStatus.FAILING, JobStatus.FAILED, JobStatus.RESTARTING);

  private final FlinkGateway gateway;
  private final ClusterState state;
  private final EventLog events;
  private final Clock clock;
  private final RefreshPolicy refreshPolicy;
  private final Backoff backoff;
  private final Duration detailsInterval;
  private final Ticker ticker;
  private final RetainedCheckpoints retainedCheckpoints;
  private final Duration retainedReadInterval;
  private final Function<String, HealthThresholds> thresholds;
  private final RestorableRecord restorableRecord;
  private volatile SupervisionObserver observer = SupervisionObserver.NONE;
  private final Instant startedAt;
  private Instant retainedReadAt;
  private boolean started;
  private Instant overviewAt;
  private int consecutiveFailures;

  /** Failed polls since the last {@link #wake()}: what the backoff grows from. */
  private int failuresSinceWake;

  /**
   * Quick retries left after a wake: a JobManager just elected answers a moment after it is
   * announced, so it is polled again every {@link #WAKE_RETRY} until it does, for a short while.
   */
  private int quickRetries;

  private static final Duration WAKE_RETRY = Duration.ofMillis(100);
  private static final int WAKE_RETRIES = 30;

  /**
   * How long a failure the JobManager announced is looked for in its exception history, which Flink
   * may serve from a cache for a few seconds ({@code rest.cache.execution-graph.timeout}).
   */
  private static final Duration ANNOUNCED_FAILURE_PATIENCE = Duration.ofSeconds(30);

  /** While a failure the JobManager announced is not in its history yet, it is read this often. */
  private static final Duration ANNOUNCED_FAILURE_RETRY = Duration.ofMillis(500);

  /** Failures the JobManager announced (job id to failure time) not yet in its history. */
  private final Map<String, AnnouncedFailure> announcedFailures =
      new java.util.concurrent.ConcurrentHashMap<>();

  private record AnnouncedFailure(long failedAt, Instant announcedAt) {}

  public SupervisionLoop(
      FlinkGateway gateway,
      ClusterState state,
      EventLog events,
      Clock clock,
      Backoff backoff,
      Duration detailsInterval,
      RetainedCheckpoints retainedCheckpoints,
      Duration retainedReadInterval,
      Function<String, HealthThresholds> thresholds,
      RestorableRecord restorableRecord,
      ScheduledExecutorService executor) {
    this.gateway = gateway;
    this.state = state;
    this.events = events;
    this.clock = clock;
    this.backoff = backoff;
    this.detailsInterval = detailsInterval;
    this.refreshPolicy = new RefreshPolicy(detailsInterval);
    this.retainedCheckpoints = retainedCheckpoints;
    this.retainedReadInterval = retainedReadInterval;
    this.thresholds = thresholds;
    this.restorableRecord = restorableRecord;
    this.ticker = new Ticker(executor, this::cycleAtTheBoundary, this::nextDelay);
    this.startedAt = clock.instant();
  }

  /** Who is told of each cycle (metrics). */
  public void observe(SupervisionObserver next) {
    this.observer = next;
  }

  public synchronized void start() {
    if (!started) {
      started = true;
      ticker.start(Duration.ZERO);
    }
  }

  /**
   * Runs a cycle now instead of after the current delay, and starts the backoff over: the leader
   * changed, so the failures that grew it were another JobManager's.
   */
  public void wake() {
    synchronized (this) {
      failuresSinceWake = 0;
      quickRetries = WAKE_RETRIES;
    }
    pollSoon();
  }

  /**
   * Runs a cycle now; while one is running, runs another right after it. Any number of calls before
   * that cycle starts make one cycle: the JobManager said something changed, and the next cycle
   * reads what.
   */
  public void pollSoon() {
    ticker.wake();
  }

  /**
   * The JobManager announced that {@code jobId} failed at {@code failedAt} (epoch millis): its
   * exception history is read until it shows that failure, and a cycle runs now.
   */
  public void failureAnnounced(String jobId, long failedAt) {
    announcedFailures.merge(
        jobId,
        new AnnouncedFailure(failedAt, clock.instant()),
        (old, now) -> old.failedAt() >= now.failedAt() ? old : now);
    pollSoon();
  }

  private void cycleAtTheBoundary() {
    try {
      cycle();
    } catch (Throwable t) {
      // The loop boundary: whatever happened, the next cycle runs.
      LOG.error("Supervision cycle failed unexpectedly", t);
      state.update(s -> s.withFailure("Unexpected error: " + t));
    }
  }

  /** How long until the next cycle: the backoff, shortened by quick retries and announcements. */
  private synchronized Duration nextDelay() {
    Duration delay = backoff.delayAfter(Math.min(consecutiveFailures, failuresSinceWake));
    if (!announcedFailures.isEmpty() && delay.compareTo(ANNOUNCED_FAILURE_RETRY) > 0) {
      delay = ANNOUNCED_FAILURE_RETRY;
    }
    if (consecutiveFailures == 0) {
      quickRetries = 0;
    } else if (quickRetries > 0) {
      quickRetries--;
      delay = delay.compareTo(WAKE_RETRY) < 0 ? delay : WAKE_RETRY;
    }
    return delay;
  }

  /** One supervision cycle; public so tests can drive cycles without a scheduler. */
  public void cycle() {
    long started = System.nanoTime();
    List<JobSummary> jobs;
    try {
      jobs = gateway.jobs().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    } catch (ExecutionException e) {
      pollFailed(Failures.rootCause(e.getCause()));
      return;
    }
    if (consecutiveFailures > 0) {
      events.record(
          EventTypes.JOBMANAGER_REACHABLE,
          Severity.INFO,
          null,
          "The JobManager answers again after " + consecutiveFailures + " failed polls");
      consecutiveFailures = 0;
      retainedReadAt = null;
    }
    Instant now = clock.instant();
    Map<String, JobView> known = state.snapshot().jobs();
    Map<String, JobView> next = new HashMap<>((int) (jobs.size() / 0.75f) + 1);
    for (JobSummary summary : jobs) {
      JobView previous = known.get(summary.id());
      next.put(summary.id(), previous == null ? firstSeen(summary) : previous.withSummary(summary));
      recordChange(previous, summary);
    }
    for (JobView gone : known.values()) {
      if (!next.containsKey(gone.id())) {
        events.record(
            EventTypes.JOB_DISAPPEARED,
            Severity.INFO,
            gone.id(),
            "Job '" + gone.summary().name() + "' is no longer listed by the JobManager");
      }
    }
    Map<String, CompletableFuture<JobProgress>> refreshes = new HashMap<>();
    for (String jobId : refreshPolicy.jobsToRefresh(known, jobs, now)) {
      refreshes.put(jobId, gateway.progress(jobId));
    }
    if (overviewAt == null || !overviewAt.plus(detailsInterval).isAfter(now)) {
      refreshOverview();
    }
    for (Map.Entry<String, CompletableFuture<JobProgress>> refresh : refreshes.entrySet()) {
      String jobId = refresh.getKey();
      try {
        JobProgress progress = refresh.getValue().join();
        Duration keep = thresholds.apply(jobId).restartWindow();
        next.computeIfPresent(
            jobId, (id, view) -> view.withProgress(progress, clock.instant(), keep));
      } catch (CompletionException e) {
        logForJob(jobId, "Refreshing job {} failed: {}", Failures.rootCause(e.getCause()));
      }
    }
    readFailures(known, next);
    for (Map.Entry<String, JobView> entry : next.entrySet()) {
      JobView view = entry.getValue();
      Health health =
          HealthEvaluator.evaluate(
              view.summary(),
              view.progress(),
              view.history(),
              view.failure(),
              thresholds.apply(view.id()),
              now);
      JobView previous = known.get(view.id());
      if (view.history().stateRegression().isPresent()
          && (previous == null || previous.history().stateRegression().isEmpty())) {
        events.record(
            EventTypes.STATE_REGRESSED,
            Severity.ERROR,
            view.id(),
            view.history().stateRegression().get().describe());
      }
      recordIfNew(
          HealthEvaluator.SAVEPOINT_STALE, EventTypes.SAVEPOINT_STALE, previous, view, health);
      Verdict before = previous == null ? Verdict.HEALTHY : previous.health().verdict();
      if (before != health.verdict()
          && !(previous == null && health.verdict() == Verdict.HEALTHY)) {
        recordHealth(view, health);
      }
      entry.setValue(view.withHealth(health));
    }
    ClusterSnapshot after = state.update(s -> s.withJobs(next, now));
    restorableRecord.update(next.values(), now);
    observer.afterCycle(after, Duration.ofNanos(System.nanoTime() - started));
  }

  /**
   * Reads the exception history of jobs that just started failing or restarted since the last read,
   * in parallel; the newest entry becomes the job's failure cause.
   */
  private void readFailures(Map<String, JobView> known, Map<String, JobView> next) {
    Map<String, CompletableFuture<Optional<FailureCause>>> reads = new HashMap<>();
    Instant now = clock.instant();
    announcedFailures
        .entrySet()
        .removeIf(
            a ->
                !a.getValue().announcedAt().plus(ANNOUNCED_FAILURE_PATIENCE).isAfter(now)
                    || (next.containsKey(a.getKey())
                        && next.get(a.getKey()).failure().map(FailureCause::timestamp).orElse(0L)
                            >= a.getValue().failedAt()));
    for (JobView view : next.values()) {
      JobView previous = known.get(view.id());
      boolean enteredFailure =
          FAILURE_STATES.contains(view.summary().status())
              && (previous == null || previous.summary().status() != view.summary().status());
      boolean restarted =
          previous != null && view.restarts() > previous.restarts() && previous.restarts() >= 0;
      if (enteredFailure || restarted || announcedFailures.containsKey(view.id())) {
        reads.put(view.id(), gateway.latestFailure(view.id()));
      }
    }
    for (Map.Entry<String, CompletableFuture<Optional<FailureCause>>> read : reads.entrySet()) {
      try {
        Optional<FailureCause> failure = read.getValue().join();
        if (failure.isPresent()) {
          JobView before = next.get(read.getKey());
          // A failure is news when the job was known before, or when it happened since this
          // sidecar started: a job first seen after a restart or a leader change brings its old
          // failure along, which is shown but not told again.
          if (before != null
              && isNewer(failure.get(), before.failure())
              && (known.containsKey(read.getKey())
                  || failure.get().timestamp() >= startedAt.toEpochMilli())) {
            failureSeen(before, failure.get());
          }
          next.computeIfPresent(read.getKey(), (id, view) -> view.withFailure(failure));
        }
      } catch (CompletionException e) {
        logForJob(
            read.getKey(),
            "Reading the exceptions of job {} failed: {}",
            Failures.rootCause(e.getCause()));
      }
    }
  }

  private static boolean isNewer(FailureCause read, Optional<FailureCause> known) {
    return known.isEmpty() || read.timestamp() > known.get().timestamp();
  }

  private void failureSeen(JobView view, FailureCause failure) {
    AnnouncedFailure announced = announcedFailures.get(view.id());
    if (announced != null && failure.timestamp() >= announced.failedAt()) {
      announcedFailures.remove(view.id(), announced);
    }
    observer.failureSeen(view.summary(), failure);
    events.record(
        EventTypes.JOB_FAILURE,
        Severity.WARNING,
        view.id(),
        "Job '" + view.summary().name() + "' failed: " + failure.summary());
  }

  /**
   * A job seen for the first time: the sidecar's record may know its newest checkpoint from before
   * (another sidecar's, or this one's before a restart), unless the job had ended on purpose.
   */
  private JobView firstSeen(JobSummary summary) {
    return restorableRecord
        .get(summary.id())
        .filter(e -> !e.checkpoint().savepoint())
        .filter(
            e ->
                java.util.Arrays.stream(JobStatus.values())
                    .noneMatch(s -> s.name().equals(e.status()) && JobView.endedOnPurpose(s)))
        .map(e -> JobView.firstSeen(summary, e.checkpoint()))
        .orElseGet(() -> JobView.firstSeen(summary));
  }

  /** Records an event of {@code type} when the job's health newly gives reason {@code code}. */
  private void recordIfNew(
      String code, String type, JobView previous, JobView view, Health health) {
    Optional<Health.Reason> now =
        health.reasons().stream().filter(r -> r.code().equals(code)).findFirst();
    boolean before =
        previous != null
            && previous.health().reasons().stream().anyMatch(r -> r.code().equals(code));
    if (now.isPresent() && !before) {
      events.record(type, Severity.WARNING, view.id(), now.get().message());
    }
  }

  private void recordHealth(JobView view, Health health) {
    String reasons =
        health.reasons().isEmpty()
            ? ""
            : ": "
                + String.join(" ", health.reasons().stream().map(Health.Reason::message).toList());
    events.record(
        EventTypes.HEALTH_CHANGED,
        switch (health.verdict()) {
          case UNHEALTHY -> Severity.ERROR;
          case DEGRADED -> Severity.WARNING;
          default -> Severity.INFO;
        },
        view.id(),
        "Job '" + view.summary().name() + "' is " + health.verdict() + reasons);
  }

  private static void logForJob(String jobId, String message, String detail) {
    MDC.put("jobId", jobId);
    try {
      LOG.debug(message, jobId, detail);
    } finally {
      MDC.remove("jobId");
    }
  }

  private void pollFailed(String reason) {
    consecutiveFailures++;
    failuresSinceWake++;
    LOG.debug("Polling /jobs/overview failed ({} in a row): {}", consecutiveFailures, reason);
    if (consecutiveFailures == 1) {
      events.record(
          EventTypes.JOBMANAGER_UNREACHABLE,
          Severity.WARNING,
          null,
          "The JobManager does not answer: " + reason);
    }
    state.update(s -> s.withFailure("GET /jobs/overview failed: " + reason));
    Instant now = clock.instant();
    if (retainedReadAt == null || !retainedReadAt.plus(retainedReadInterval).isAfter(now)) {
      retainedReadAt = now;
      readRetainedCheckpoints();
    }
  }

  /**
   * While the JobManager does not answer, the newest restorable state of each job that may still
   * run is read from Flink's HA data instead.
   */
  private void readRetainedCheckpoints() {
    for (JobView job : state.snapshot().jobs().values()) {
      if (job.summary().status().isGloballyTerminalState()) {
        continue;
      }
      try {
        Optional<CheckpointInfo> retained = retainedCheckpoints.latest(job.id());
        Instant at = clock.instant();
        state.update(
            s -> {
              Map<String, JobView> jobs = new HashMap<>(s.jobs());
              jobs.computeIfPresent(job.id(), (id, view) -> view.withRetained(retained, at));
              return s.withJobsKeepingFreshness(jobs);
            });
        restorableRecord.update(state.snapshot().jobs().values(), at);
      } catch (Exception e) {
        LOG.warn(
            "Reading the retained checkpoints of job {} from Flink's HA data failed: {}",
            job.id(),
            Failures.rootCause(e));
      }
    }
  }

  private void recordChange(JobView previous, JobSummary summary) {
    if (previous == null) {
      events.record(
          EventTypes.JOB_APPEARED,
          Severity.INFO,
          summary.id(),
          "Job '" + summary.name() + "' is " + summary.status());
      return;
    }
    JobStatus before = previous.summary().status();
    if (before != summary.status()) {
      if (summary.lastModification() > 0) {
        observer.statusChangeSeen(
            summary,
            Duration.between(Instant.ofEpochMilli(summary.lastModification()), clock.instant()));
      }
      events.record(
          EventTypes.JOB_STATUS_CHANGED,
          severityOf(summary.status()),
          summary.id(),
          "Job '" + summary.name() + "' is " + summary.status() + " (was " + before + ")");
    }
  }

  private static Severity severityOf(JobStatus status) {
    return switch (status) {
      case FAILED -> Severity.ERROR;
      case FAILING, RESTARTING, SUSPENDED -> Severity.WARNING;
      default -> Severity.INFO;
    };
  }

  /**
   * Refreshes the cluster overview and the TaskManagers (their resources, and the slots each job
   * holds), so that requests read both from memory.
   */
  private void refreshOverview() {
    CompletableFuture<ClusterOverview> overview = gateway.clusterOverview();
    CompletableFuture<TaskManagers> taskManagers = gateway.taskManagers();
    try {
      ClusterOverview read = overview.join();
      overviewAt = clock.instant();
      state.update(s -> s.withOverview(read));
    } catch (CompletionException e) {
      LOG.debug("Reading the cluster overview failed: {}", Failures.rootCause(e.getCause()));
    }
    try {
      TaskManagers read = taskManagers.join();
      state.update(s -> s.withTaskManagers(read));
    } catch (CompletionException e) {
      LOG.debug("Reading the TaskManagers failed: {}", Failures.rootCause(e.getCause()));
    }
  }

  @Override
  public void close() {
    ticker.close();
  }
}
