package dev.flinksupervisor.supervision;

import static dev.flinksupervisor.testing.FakeFlinkGateway.jobsOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.flinksupervisor.flink.CheckpointInfo;
import dev.flinksupervisor.flink.FailureCause;
import dev.flinksupervisor.flink.JobProgress;
import dev.flinksupervisor.flink.JobSummary;
import dev.flinksupervisor.flink.RetainedCheckpoints;
import dev.flinksupervisor.testing.FakeFlinkGateway;
import dev.flinksupervisor.testing.MutableClock;
import java.net.ConnectException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.JobStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SupervisionLoopTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final HealthThresholds THRESHOLDS =
      new HealthThresholds(
          1, Duration.ofMinutes(10), Duration.ofMinutes(10), 3, Duration.ofMinutes(5));

  private final FakeFlinkGateway gateway = new FakeFlinkGateway();
  private final ClusterState state = new ClusterState();
  private final MutableClock clock = new MutableClock(T0);
  private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
  private final EventLog events = new EventLog(clock, 100);
  private final RestorableRecord restorableRecord = new RestorableRecord();
  private final Map<String, CheckpointInfo> retainedInHa = new ConcurrentHashMap<>();
  private final AtomicInteger retainedReads = new AtomicInteger();
  private final RetainedCheckpoints retained =
      jobId -> {
        retainedReads.incrementAndGet();
        return Optional.ofNullable(retainedInHa.get(jobId));
      };
  private final SupervisionLoop loop = loop(Duration.ofMillis(500));

  private SupervisionLoop loop(Duration pollInterval) {
    return loop(pollInterval, executor);
  }

  private SupervisionLoop loop(Duration pollInterval, ScheduledExecutorService executor) {
    return new SupervisionLoop(
        gateway,
        state,
        events,
        clock,
        new Backoff(pollInterval, Duration.ofSeconds(5)),
        Duration.ofSeconds(5),
        retained,
        Duration.ofSeconds(30),
        jobId -> THRESHOLDS,
        restorableRecord,
        executor);
  }

  @AfterEach
  void stop() {
    loop.close();
    executor.shutdownNow();
  }

  private static JobSummary job(String id, JobStatus status, long lastModification) {
    return new JobSummary(id, "job-" + id, status, 1000, -1, 10, lastModification);
  }

  @Test
  void a_wake_runs_the_next_cycle_now_instead_of_after_the_delay() throws Exception {
    AtomicInteger polls = new AtomicInteger();
    gateway.jobs =
        () -> {
          polls.incrementAndGet();
          return jobsOf();
        };
    try (SupervisionLoop hourly = loop(Duration.ofHours(1))) {
      hourly.start();
      dev.flinksupervisor.demo.Await.until(
          "the first poll", Duration.ofSeconds(10), () -> polls.get() == 1 ? true : null);

      hourly.wake();

      dev.flinksupervisor.demo.Await.until(
          "a poll right after the wake, not an hour later",
          Duration.ofSeconds(10),
          () -> polls.get() >= 2 ? true : null);

      // A leader just announced may not answer yet: it is polled again soon, not after the backoff.
      gateway.jobs =
          () -> {
            polls.incrementAndGet();
            return CompletableFuture.failedFuture(new ConnectException("not up yet"));
          };
      int before = polls.get();
      hourly.wake();
      dev.flinksupervisor.demo.Await.until(
          "three quick polls of a new leader that does not answer yet",
          Duration.ofSeconds(10),
          () -> polls.get() >= before + 3 ? true : null);
    }
  }

  @Test
  void a_cycle_records_jobs_with_their_progress() {
    CheckpointInfo checkpoint = new CheckpointInfo(7, 2000, false, "file:/cp/chk-7");
    gateway.jobs = () -> jobsOf(job("a", JobStatus.RUNNING, 1));
    gateway.progress =
        id ->
            CompletableFuture.completedFuture(
                new JobProgress(3, Optional.of(checkpoint), Optional.empty(), 7, 0));

    loop.cycle();

    ClusterSnapshot s = state.snapshot();
    assertThat(s.lastSuccess()).isEqualTo(T0);
    assertThat(s.jobs().get("a").restarts()).isEqualTo(3);
    assertThat(s.jobs().get("a").lastCheckpoint()).contains(checkpoint);
    assertThat(s.overview()).isPresent();
  }

  @Test
  void one_failing_job_does_not_stop_the_others() {
    gateway.jobs =
        () -> jobsOf(job("bad", JobStatus.RUNNING, 1), job("good", JobStatus.RUNNING, 1));
    gateway.progress =
        id ->
            id.equals("bad")
                ? CompletableFuture.failedFuture(new ConnectException("refused"))
                : CompletableFuture.completedFuture(
                    new JobProgress(1, Optional.empty(), Optional.empty(), 0, 0));

    loop.cycle();

    ClusterSnapshot s = state.snapshot();
    assertThat(s.jobs()).containsOnlyKeys("bad", "good");
    assertThat(s.jobs().get("good").restarts()).isEqualTo(1);
    assertThat(s.jobs().get("bad").progress()).isEmpty();
    assertThat(s.lastFailure()).isEmpty();
  }

  @Test
  void a_failed_poll_keeps_the_last_known_jobs_and_records_why() {
    gateway.jobs = () -> jobsOf(job("a", JobStatus.RUNNING, 1));
    loop.cycle();
    gateway.jobs = () -> CompletableFuture.failedFuture(new ConnectException("refused"));
    clock.advance(Duration.ofSeconds(1));

    loop.cycle();

    ClusterSnapshot s = state.snapshot();
    assertThat(s.jobs()).containsOnlyKeys("a");
    assertThat(s.lastSuccess()).isEqualTo(T0);
    assertThat(s.lastFailure()).hasValueSatisfying(f -> assertThat(f).contains("refused"));
  }

  @Test
  void only_changed_or_due_jobs_are_read_in_detail() {
    gateway.jobs = () -> jobsOf(job("a", JobStatus.RUNNING, 1), job("b", JobStatus.RUNNING, 1));
    loop.cycle();
    assertThat(gateway.progressCalls).hasValue(2);

    clock.advance(Duration.ofMillis(500));
    gateway.jobs = () -> jobsOf(job("a", JobStatus.RESTARTING, 2), job("b", JobStatus.RUNNING, 1));
    loop.cycle();
    assertThat(gateway.progressCalls).hasValue(3);

    clock.advance(Duration.ofSeconds(5));
    loop.cycle();
    assertThat(gateway.progressCalls).hasValue(5);
  }

  @Test
  void status_changes_and_unreachability_become_events() {
    gateway.jobs = () -> jobsOf(job("a", JobStatus.RUNNING, 1));
    loop.cycle();
    gateway.jobs = () -> jobsOf(job("a", JobStatus.RESTARTING, 2));
    loop.cycle();
    gateway.jobs = () -> CompletableFuture.failedFuture(new ConnectException("refused"));
    loop.cycle();
    loop.cycle();
    gateway.jobs = () -> jobsOf(job("a", JobStatus.RUNNING, 3));
    loop.cycle();

    assertThat(events.query(null, null))
        .filteredOn(e -> !e.type().equals(EventTypes.HEALTH_CHANGED))
        .extracting(Event::type, Event::severity, Event::message)
        .containsExactly(
            tuple(
                EventTypes.JOB_STATUS_CHANGED,
                Severity.INFO,
                "Job 'job-a' is RUNNING (was RESTARTING)"),
            tuple(
                EventTypes.JOBMANAGER_REACHABLE,
                Severity.INFO,
                "The JobManager answers again after 2 failed polls"),
            tuple(
                EventTypes.JOBMANAGER_UNREACHABLE,
                Severity.WARNING,
                "The JobManager does not answer: ConnectException: refused"),
            tuple(
                EventTypes.JOB_STATUS_CHANGED,
                Severity.WARNING,
                "Job 'job-a' is RESTARTING (was RUNNING)"),
            tuple(EventTypes.JOB_APPEARED, Severity.INFO, "Job 'job-a' is RUNNING"));
  }

  @Test
  void while_the_jobmanager_is_down_restorable_state_comes_from_ha_data() {
    CheckpointInfo viaRest = new CheckpointInfo(7, 2000, false, "file:/cp/chk-7");
    CheckpointInfo inHa = new CheckpointInfo(8, 3000, false, "file:/cp/chk-8");
    gateway.jobs = () -> jobsOf(job("a", JobStatus.RUNNING, 1), job("done", JobStatus.FINISHED, 1));
    gateway.progress =
        id ->
            CompletableFuture.completedFuture(
                new JobProgress(0, Optional.of(viaRest), Optional.empty(), 7, 0));
    loop.cycle();
    assertThat(state.snapshot().jobs().get("a").restorable().orElseThrow().source())
        .isEqualTo(JobView.Source.JOBMANAGER);

    retainedInHa.put("a", inHa);
    gateway.jobs = () -> CompletableFuture.failedFuture(new ConnectException("refused"));
    loop.cycle();

    JobView a = state.snapshot().jobs().get("a");
    assertThat(a.restorable()).contains(new JobView.Restorable(inHa, JobView.Source.HA_CONFIGMAP));
    assertThat(retainedReads).as("terminal jobs are not read").hasValue(1);
    assertThat(restorableRecord.get("a").orElseThrow().checkpoint()).isEqualTo(inHa);
    assertThat(restorableRecord.get("a").orElseThrow().source())
        .isEqualTo(JobView.Source.HA_CONFIGMAP);
    assertThat(state.snapshot().lastSuccess())
        .as("HA reads do not make the state fresh")
        .isEqualTo(T0);

    clock.advance(Duration.ofSeconds(10));
    loop.cycle();
    assertThat(retainedReads).as("not again before the interval").hasValue(1);
    clock.advance(Duration.ofSeconds(20));
    loop.cycle();
    assertThat(retainedReads).hasValue(2);
  }

  @Test
  void a_restart_loop_makes_the_job_unhealthy_with_its_failure_cause() {
    long[] restarts = {0};
    gateway.jobs = () -> jobsOf(job("a", JobStatus.RUNNING, 1));
    gateway.progress =
        id ->
            CompletableFuture.completedFuture(
                new JobProgress(restarts[0], Optional.empty(), Optional.empty(), 0, 0));
    gateway.latestFailure =
        id ->
            CompletableFuture.completedFuture(
                Optional.of(
                    FailureCause.fromStackTrace(
                        1000,
                        "java.lang.IllegalStateException",
                        "java.lang.IllegalStateException: boom\n\tat x.y(Z.java:1)\nCaused by: java.io.IOException: disk",
                        "counter (1/1)",
                        Map.of("type", "USER"))));
    loop.cycle();
    assertThat(state.snapshot().jobs().get("a").health().verdict()).isEqualTo(Verdict.HEALTHY);

    for (int i = 1; i <= 2; i++) {
      restarts[0] = i;
      clock.advance(Duration.ofSeconds(5));
      gateway.jobs = () -> jobsOf(job("a", JobStatus.RUNNING, 1 + restarts[0]));
      loop.cycle();
    }

    JobView a = state.snapshot().jobs().get("a");
    assertThat(a.health().verdict()).isEqualTo(Verdict.UNHEALTHY);
    assertThat(a.health().reasons())
        .extracting(Health.Reason::code)
        .containsExactly("RESTART_LOOP");
    assertThat(a.health().reasons().get(0).message())
        .contains("restarted 2 times")
        .contains("java.lang.IllegalStateException: boom")
        .contains("root cause: java.io.IOException: disk");
    assertThat(a.failure()).isPresent();
    assertThat(events.query("a", null)).extracting(Event::type).contains(EventTypes.HEALTH_CHANGED);
  }

  @Test
  void an_announced_failure_is_read_until_the_exception_history_shows_it() {
    gateway.jobs = () -> jobsOf(job("a", JobStatus.RUNNING, 1));
    AtomicInteger reads = new AtomicInteger();
    FailureCause[] history = {null};
    gateway.latestFailure =
        id -> {
          reads.incrementAndGet();
          return CompletableFuture.completedFuture(Optional.ofNullable(history[0]));
        };
    loop.cycle();
    assertThat(reads).hasValue(0); // nothing to read: the job runs and did not restart

    // The JobManager says the job failed at 2000; its exception history lags behind (a cache).
    loop.failureAnnounced("a", 2000);
    loop.cycle();
    loop.cycle();
    assertThat(reads).hasValue(2);
    assertThat(state.snapshot().jobs().get("a").failure()).isEmpty();

    history[0] =
        FailureCause.fromStackTrace(
            2000,
            "org.apache.kafka.common.errors.TimeoutException",
            "org.apache.kafka.common.errors.TimeoutException: expired",
            "source (1/1)",
            Map.of("type", "SYSTEM", "category", "KAFKA"));
    loop.cycle();
    loop.cycle();

    assertThat(reads).hasValue(3); // read once more, until it showed; then no more
    assertThat(state.snapshot().jobs().get("a").failure()).contains(history[0]);
    assertThat(events.query("a", null))
        .filteredOn(e -> e.type().equals(EventTypes.JOB_FAILURE))
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.message())
                    .contains("TimeoutException: expired")
                    .contains("category=KAFKA, type=SYSTEM"));
  }

  @Test
  void an_announced_failure_that_never_shows_is_given_up_after_a_while() {
    gateway.jobs = () -> jobsOf(job("a", JobStatus.RUNNING, 1));
    AtomicInteger reads = new AtomicInteger();
    gateway.latestFailure =
        id -> {
          reads.incrementAndGet();
          return CompletableFuture.completedFuture(Optional.empty());
        };
    loop.failureAnnounced("a", 2000);
    loop.cycle();
    assertThat(reads).hasValue(1);

    clock.advance(Duration.ofMinutes(1));
    loop.cycle();
    loop.cycle();

    assertThat(reads).hasValue(1);
  }

  @Test
  void a_poll_asked_for_during_a_cycle_runs_right_after_it() throws Exception {
    java.util.concurrent.CountDownLatch inFirstCycle = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    AtomicInteger polls = new AtomicInteger();
    gateway.jobs =
        () -> {
          if (polls.incrementAndGet() == 1) {
            inFirstCycle.countDown();
            try {
              release.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          return jobsOf();
        };
    try (SupervisionLoop hourly = loop(Duration.ofHours(1))) {
      hourly.start();
      inFirstCycle.await();

      hourly.pollSoon(); // while the first cycle waits: it must not be lost
      hourly.pollSoon();
      release.countDown();

      dev.flinksupervisor.demo.Await.until(
          "a second poll right after the first, not an hour later",
          Duration.ofSeconds(10),
          () -> polls.get() >= 2 ? true : null);
      // Two asks during one cycle make one more poll, not two.
      dev.flinksupervisor.testing.Holds.forAtLeast(
          Duration.ofMillis(300), () -> assertThat(polls).hasValue(2));
    }
  }

  @Test
  void a_run_cancelled_as_it_started_ends_at_once_so_there_is_one_chain_of_cycles() {
    dev.flinksupervisor.testing.ManualScheduler scheduler =
        new dev.flinksupervisor.testing.ManualScheduler();
    AtomicInteger polls = new AtomicInteger();
    gateway.jobs =
        () -> {
          polls.incrementAndGet();
          return jobsOf();
        };
    try (SupervisionLoop manual = loop(Duration.ofHours(1), scheduler)) {
      manual.start();
      var first = scheduler.tasks().get(0);

      // A push asks for a poll just as the scheduler's thread starts the first run.
      manual.pollSoon();
      first.runAsIfStartedBeforeCancel();
      scheduler.tasks().get(1).run();

      assertThat(polls).hasValue(1);
      assertThat(scheduler.pending()).isEqualTo(1);
    } finally {
      scheduler.shutdownNow();
    }
  }

  @Test
  void jobs_that_disappear_are_dropped() {
    gateway.jobs = () -> jobsOf(job("a", JobStatus.RUNNING, 1), job("b", JobStatus.RUNNING, 1));
    loop.cycle();
    gateway.jobs = () -> jobsOf(job("b", JobStatus.RUNNING, 1));

    loop.cycle();

    assertThat(state.snapshot().jobs()).containsOnlyKeys("b");
  }

  @Test
  void an_unexpected_exception_does_not_kill_the_scheduled_loop() throws Exception {
    CompletableFuture<Void> recovered = new CompletableFuture<>();
    int[] calls = {0};
    gateway.jobs =
        () -> {
          if (calls[0]++ == 0) {
            throw new IllegalStateException("boom");
          }
          recovered.complete(null);
          return jobsOf(job("a", JobStatus.RUNNING, 1));
        };
    SupervisionLoop fast = loop(Duration.ofMillis(10));

    fast.start();
    recovered.get(10, java.util.concurrent.TimeUnit.SECONDS);
    fast.close();

    assertThat(calls[0]).isGreaterThanOrEqualTo(2);
  }
}
