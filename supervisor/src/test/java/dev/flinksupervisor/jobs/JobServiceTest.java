package dev.flinksupervisor.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flinksupervisor.flink.CheckpointInfo;
import dev.flinksupervisor.flink.JobProgress;
import dev.flinksupervisor.flink.JobSummary;
import dev.flinksupervisor.jobs.RecoveryPolicy.Mode;
import dev.flinksupervisor.savepoints.SavepointBook;
import dev.flinksupervisor.slots.SlotProfiles;
import dev.flinksupervisor.store.RecordUnavailable;
import dev.flinksupervisor.supervision.ClusterState;
import dev.flinksupervisor.supervision.Event;
import dev.flinksupervisor.supervision.EventLog;
import dev.flinksupervisor.supervision.EventTypes;
import dev.flinksupervisor.supervision.JobView;
import dev.flinksupervisor.testing.FakeFlinkJobs;
import dev.flinksupervisor.testing.MutableClock;
import dev.flinksupervisor.testing.SequentialIds;
import dev.flinksupervisor.util.JobLanes;
import dev.flinksupervisor.util.Refused;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.shaded.netty4.io.netty.handler.codec.http.HttpResponseStatus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobServiceTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @TempDir Path jars;
  private final MutableClock clock = new MutableClock(T0);
  private final FakeFlinkJobs flink = new FakeFlinkJobs();
  private final ClusterState cluster = new ClusterState();
  private final EventLog events = new EventLog(clock, 1000);
  private final OwnedJobs owned = new OwnedJobs();
  private final SavepointBook book = new SavepointBook();
  private volatile RecordUnavailable recordFails;
  private final Reprofiles reprofiles = new Reprofiles();
  private final JobLanes lanes = new JobLanes(Runnable::run);
  private final SequentialIds jobIds = new SequentialIds();
  private JobService service;
  private Recovery recovery;
  private volatile java.util.function.BiFunction<CheckpointInfo, Long, Optional<CheckpointInfo>>
      checkpointsOnDisk = (known, before) -> Optional.empty();

  @BeforeEach
  void setUp() throws Exception {
    Files.writeString(jars.resolve("app.jar"), "not really a jar; the fake does not read it");
    Files.writeString(jars.resolve("notes.txt"), "x");
    service =
        new JobService(
            flink,
            owned,
            book,
            cluster,
            events,
            clock,
            new JarFiles(jars, jars.resolve("uploads")),
            jobIds,
            () -> {
              if (recordFails != null) {
                throw recordFails;
              }
            },
            SlotProfiles.parse(
                Map.of(
                    "small.cpu-cores",
                    "0.5",
                    "small.task-heap",
                    "64m",
                    "small.managed-memory",
                    "16m")),
            reprofiles,
            lanes,
            Duration.ofDays(7));
    recovery =
        new Recovery(
            service,
            owned,
            book,
            cluster,
            events,
            clock,
            jobIds,
            () -> {
              if (recordFails != null) {
                throw recordFails;
              }
            },
            reprofiles,
            lanes,
            Duration.ofMinutes(10),
            dev.flinksupervisor.jobs.Recovery.DEFAULT_CHECKPOINT_SETTLE,
            (known, before) -> checkpointsOnDisk.apply(known, before));
  }

  private static dev.flinksupervisor.savepoints.SavepointRecord completedSavepoint(
      String id,
      String jobId,
      dev.flinksupervisor.savepoints.SavepointOrigin origin,
      Instant at,
      String path) {
    return new dev.flinksupervisor.savepoints.SavepointRecord(
        id,
        jobId,
        "t",
        dev.flinksupervisor.savepoints.SavepointState.COMPLETED,
        origin,
        null,
        null,
        false,
        at,
        at,
        at,
        path,
        null,
        1,
        null,
        false,
        null);
  }

  private static JobSpec spec(String jar, RecoveryPolicy recovery) {
    return new JobSpec(
        jar, "com.example.App", List.of("--x", "1"), 2, null, false, recovery, Map.of(), false);
  }

  private static RecoveryPolicy restartRestoring(RecoveryPolicy.RestoreStrategy strategy) {
    return new RecoveryPolicy(
        Mode.RESTART_FROM_LATEST, 2, Duration.ofSeconds(10), Duration.ofHours(1), strategy);
  }

  private static final RecoveryPolicy RESTART =
      new RecoveryPolicy(Mode.RESTART_FROM_LATEST, 2, Duration.ofSeconds(10), Duration.ofHours(1));

  private void jobIs(String jobId, JobStatus status, CheckpointInfo checkpoint) {
    jobIs(jobId, status, checkpoint, Instant.ofEpochMilli(1));
  }

  private void jobIs(String jobId, JobStatus status, CheckpointInfo checkpoint, Instant since) {
    Map<String, JobView> jobs = new HashMap<>(cluster.snapshot().jobs());
    JobView view =
        JobView.firstSeen(new JobSummary(jobId, "app", status, 1, -1, 1, since.toEpochMilli()))
            .withProgress(
                new JobProgress(0, Optional.ofNullable(checkpoint), Optional.empty(), 1, 0),
                clock.instant());
    jobs.put(jobId, view);
    cluster.update(s -> s.withJobs(jobs, clock.instant()));
  }

  @Test
  void a_submission_is_recorded_with_its_spec() {
    OwnedJob job = service.submit(spec("app.jar", RecoveryPolicy.NONE));

    assertThat(flink.submitted)
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.jobId()).isEqualTo(job.jobId());
              assertThat(s.jar()).isEqualTo(jars.resolve("app.jar").toAbsolutePath());
              assertThat(s.args()).containsExactly("--x", "1");
              assertThat(s.parallelism()).isEqualTo(2);
            });
    assertThat(job.submission()).isEqualTo(OwnedJob.Submission.PENDING);
    assertThat(service.get(job.jobId()).orElseThrow().submission())
        .isEqualTo(OwnedJob.Submission.SUBMITTED);
  }

  @Test
  void a_job_whose_record_cannot_be_stored_is_not_submitted_and_the_call_says_so() {
    recordFails = new RecordUnavailable("HTTP 503 from the API server", Duration.ofSeconds(5));

    assertThatThrownBy(() -> service.submit(spec("app.jar", RecoveryPolicy.NONE)))
        .isInstanceOf(Refused.class)
        .hasMessageContaining("HTTP 503")
        .extracting(e -> ((Refused) e).kind())
        .isEqualTo(Refused.Kind.UNAVAILABLE);
    assertThat(flink.submitted).isEmpty();
  }

  @Test
  void slot_profiles_are_resolved_by_name_and_unknown_names_refused() {
    JobSpec withProfiles =
        new JobSpec(
            "app.jar",
            "com.example.App",
            List.of(),
            1,
            null,
            false,
            RecoveryPolicy.NONE,
            Map.of("default", "small"),
            false);
    service.submit(withProfiles);
    assertThat(flink.submitted.get(0).slotProfiles().get("default").cpuCores()).isEqualTo(0.5);

    JobSpec unknown =
        new JobSpec(
            "app.jar",
            "com.example.App",
            List.of(),
            1,
            null,
            false,
            RecoveryPolicy.NONE,
            Map.of("default", "huge"),
            false);
    assertThatThrownBy(() -> service.submit(unknown))
        .isInstanceOf(Refused.class)
        .hasMessageContaining("No slot profile 'huge'")
        .extracting(e -> ((Refused) e).field())
        .isEqualTo("slotProfiles");
    assertThat(flink.submitted).hasSize(1);
  }

  @Test
  void jars_outside_the_directory_or_missing_are_refused_and_nothing_is_submitted() {
    for (String jar :
        List.of("../app.jar", "/etc/passwd", "missing.jar", "notes.txt", "sub/../../x.jar")) {
      assertThatThrownBy(() -> service.submit(spec(jar, RecoveryPolicy.NONE)))
          .as(jar)
          .isInstanceOf(Refused.class)
          .extracting(e -> ((Refused) e).field())
          .isEqualTo("jarPath");
    }
    assertThat(flink.submitted).isEmpty();
    assertThat(owned.all()).isEmpty();
  }

  @Test
  void a_link_in_the_jar_directory_counts_where_it_points(@TempDir Path elsewhere)
      throws Exception {
    Path outside = Files.writeString(elsewhere.resolve("outside.jar"), "a jar kept elsewhere");
    Files.createSymbolicLink(jars.resolve("linked-out.jar"), outside);
    Files.createSymbolicLink(jars.resolve("linked-in.jar"), jars.resolve("app.jar"));

    assertThatThrownBy(() -> service.submit(spec("linked-out.jar", RecoveryPolicy.NONE)))
        .isInstanceOf(Refused.class)
        .hasMessageContaining("links outside");
    assertThat(owned.all()).isEmpty();

    service.submit(spec("linked-in.jar", RecoveryPolicy.NONE));
    assertThat(flink.submitted).hasSize(1);
    assertThat(flink.submitted.get(0).jar()).isEqualTo(jars.resolve("app.jar").toRealPath());
  }

  @Test
  void a_submission_flink_refuses_is_recorded_as_refused_with_the_reason() {
    flink.submit =
        s ->
            CompletableFuture.failedFuture(
                new dev.flinksupervisor.flink.FlinkJobs.NotSent(
                    new IllegalStateException("No main class")));

    OwnedJob job = service.submit(spec("app.jar", RecoveryPolicy.NONE));

    OwnedJob recorded = service.get(job.jobId()).orElseThrow();
    assertThat(recorded.submission()).isEqualTo(OwnedJob.Submission.REFUSED);
    assertThat(recorded.submissionError()).contains("No main class");
    assertThat(events.query(job.jobId(), null))
        .extracting(Event::type)
        .contains(EventTypes.JOB_SUBMISSION_FAILED);
  }

  @Test
  void a_submission_without_an_answer_stays_pending_and_goes_again_under_the_same_id() {
    flink.submit =
        s ->
            CompletableFuture.failedFuture(
                new java.util.concurrent.CompletionException(
                    new org.apache.flink.runtime.client.JobSubmissionException(
                        null,
                        "Failed to submit JobGraph.",
                        new org.apache.flink.runtime.rest.ConnectionClosedException(
                            "Channel became inactive."))));

    OwnedJob job = service.submit(spec("app.jar", RecoveryPolicy.NONE));

    assertThat(service.get(job.jobId()).orElseThrow().submission())
        .as("Flink may run it already")
        .isEqualTo(OwnedJob.Submission.PENDING);
    flink.submit = s -> CompletableFuture.completedFuture(null);
    service.submitPending(job.jobId());
    assertThat(flink.submitted).as("not before the backoff").hasSize(1);
    clock.advance(Duration.ofSeconds(1));
    service.submitPending(job.jobId());

    assertThat(service.get(job.jobId()).orElseThrow().submission())
        .isEqualTo(OwnedJob.Submission.SUBMITTED);
    assertThat(flink.submitted)
        .extracting(s -> s.jobId())
        .containsExactly(job.jobId(), job.jobId());
    assertThat(
            JobService.gotNoAnswer(
                new dev.flinksupervisor.flink.FlinkJobs.NotSent(new IllegalStateException("x"))))
        .as("nothing was sent")
        .isFalse();
    assertThat(JobService.gotNoAnswer(answered(HttpResponseStatus.BAD_REQUEST)))
        .as("the JobManager answered no")
        .isFalse();
    assertThat(JobService.gotNoAnswer(answered(HttpResponseStatus.INTERNAL_SERVER_ERROR)))
        .as("a 500 may follow a stored job")
        .isTrue();
  }

  /** The JobManager's REST API answering {@code status}. */
  private static Exception answered(HttpResponseStatus status) {
    return new org.apache.flink.runtime.rest.util.RestClientException("answer", status);
  }

  @Test
  void recovery_attempts_start_over_once_the_job_has_run_long_enough() {
    OwnedJob first = service.submit(spec("app.jar", RESTART));
    jobIs(first.jobId(), JobStatus.FAILED, null);
    recovery.tick(true);
    OwnedJob second = owned.all().get(0);
    assertThat(second.attempts()).isEqualTo(1);

    jobIs(second.jobId(), JobStatus.RUNNING, null, clock.instant());
    clock.advance(Duration.ofMinutes(9));
    recovery.tick(true);
    assertThat(owned.all().get(0).attempts()).isEqualTo(1);
    clock.advance(Duration.ofMinutes(1));
    recovery.tick(true);

    assertThat(owned.all().get(0).attempts()).isZero();
  }

  @Test
  void a_job_that_ended_for_good_is_forgotten_after_the_retention_with_its_savepoints() {
    OwnedJob job = service.submit(spec("app.jar", RecoveryPolicy.NONE));
    book.put(
        completedSavepoint(
            "sp",
            job.jobId(),
            dev.flinksupervisor.savepoints.SavepointOrigin.MANUAL,
            clock.instant(),
            "file:/sp"));
    jobIs(job.jobId(), JobStatus.FINISHED, null);
    recovery.tick(true);
    assertThat(owned.all().get(0).endedAt()).isEqualTo(clock.instant());

    clock.advance(Duration.ofDays(6));
    assertThat(service.expireEnded()).isEmpty();
    clock.advance(Duration.ofDays(2));
    assertThat(service.expireEnded()).containsExactly(job.jobId());

    assertThat(owned.all()).isEmpty();
    assertThat(book.ofJob(job.jobId())).isEmpty();
    assertThat(events.query(job.jobId(), null))
        .extracting(Event::type)
        .contains(EventTypes.JOB_EXPIRED);
  }

  @Test
  void a_failed_job_waits_until_its_checkpoint_statistics_are_read_after_flinks_cache() {
    OwnedJob job = service.submit(spec("app.jar", RESTART));
    long endedAt = clock.instant().toEpochMilli();
    CheckpointInfo cached = new CheckpointInfo(5, endedAt - 3000, false, "file:/cp/chk-5");
    Map<String, JobView> jobs = new HashMap<>(cluster.snapshot().jobs());
    // Read right as the job ended: Flink may still serve statistics from before its last
    // checkpoint, and restoring from an older one would repeat committed output.
    jobs.put(
        job.jobId(),
        JobView.firstSeen(
                new JobSummary(job.jobId(), "app", JobStatus.FAILED, 1, endedAt, 1, endedAt))
            .withProgress(
                new JobProgress(0, Optional.of(cached), Optional.empty(), 1, 0), clock.instant()));
    cluster.update(s -> s.withJobs(jobs, clock.instant()));

    recovery.tick(true);
    assertThat(flink.submitted).as("not restarted from statistics that may be cached").hasSize(1);

    clock.advance(Recovery.DEFAULT_CHECKPOINT_SETTLE.plusSeconds(1));
    Map<String, JobView> later = new HashMap<>(cluster.snapshot().jobs());
    later.put(
        job.jobId(),
        later
            .get(job.jobId())
            .withProgress(
                new JobProgress(
                    0,
                    Optional.of(new CheckpointInfo(7, endedAt - 100, false, "file:/cp/chk-7")),
                    Optional.empty(),
                    1,
                    0),
                clock.instant(),
                Duration.ofMinutes(5)));
    cluster.update(s -> s.withJobs(later, clock.instant()));
    recovery.tick(true);

    assertThat(flink.submitted).hasSize(2);
    assertThat(flink.submitted.get(1).restorePath()).isEqualTo("file:/cp/chk-7");
  }

  @Test
  void a_failed_job_restarts_from_a_newer_checkpoint_on_disk_than_the_statistics_showed() {
    OwnedJob first = service.submit(spec("app.jar", RESTART));
    CheckpointInfo seen = new CheckpointInfo(5, T0.toEpochMilli(), false, "file:/cp/j/chk-5");
    checkpointsOnDisk =
        (known, before) ->
            Optional.of(new CheckpointInfo(7, T0.toEpochMilli() + 900, false, "file:/cp/j/chk-7"));
    jobIs(first.jobId(), JobStatus.FAILED, seen);

    recovery.tick(true);

    assertThat(owned.all().get(0).restorePath())
        .as("Flink deleted chk-5 once chk-7 completed")
        .isEqualTo("file:/cp/j/chk-7");
  }

  @Test
  void a_run_that_went_back_behind_its_state_is_cancelled_and_run_from_the_newest_checkpoint() {
    OwnedJob first = service.submit(spec("app.jar", RESTART));
    long t = T0.toEpochMilli();
    CheckpointInfo seen = new CheckpointInfo(40, t + 40_000, false, "file:/cp/j/chk-40");
    CheckpointInfo onDisk = new CheckpointInfo(43, t + 43_000, false, "file:/cp/j/chk-43");
    long restoredAt = t + 44_000;
    checkpointsOnDisk =
        (known, before) -> {
          assertThat(known).isEqualTo(seen);
          assertThat(before).isEqualTo(restoredAt);
          return Optional.of(onDisk);
        };
    // The run reached checkpoint 40; then Flink's failover restored the path it was submitted
    // with, checkpoint 3, and completed a checkpoint of its own.
    JobView view =
        JobView.firstSeen(new JobSummary(first.jobId(), "app", JobStatus.RUNNING, 1, -1, 1, 1))
            .withProgress(
                new JobProgress(0, Optional.of(seen), Optional.empty(), 40, 0), clock.instant())
            .withProgress(
                new JobProgress(
                    0,
                    Optional.of(new CheckpointInfo(41, t + 41_000, false, "file:/cp/j/chk-41")),
                    Optional.empty(),
                    41,
                    0),
                clock.instant())
            .withProgress(
                new JobProgress(
                    0,
                    Optional.of(new CheckpointInfo(4, t + 45_000, false, "file:/cp/j/chk-4")),
                    Optional.empty(),
                    1,
                    0,
                    Optional.of(
                        new dev.flinksupervisor.flink.RestoredFrom(
                            3, restoredAt, true, "file:/cp/old/chk-3"))),
                clock.instant());
    assertThat(view.history().stateRegression()).isPresent();
    Map<String, JobView> jobs = new HashMap<>(cluster.snapshot().jobs());
    jobs.put(first.jobId(), view);
    cluster.update(s -> s.withJobs(jobs, clock.instant()));

    recovery.tick(true);
    OwnedJob next = owned.all().get(0);
    assertThat(next.jobId()).isNotEqualTo(first.jobId());
    assertThat(next.restorePath())
        .as("the newest checkpoint written before")
        .isEqualTo("file:/cp/j/chk-43");
    assertThat(flink.cancelled).containsExactly(first.jobId());
    assertThat(flink.submitted).as("not while the regressed run goes on").hasSize(1);

    recovery.tick(true);
    assertThat(flink.cancelled).as("cancelled once").hasSize(1);
    assertThat(flink.submitted).hasSize(1);

    Map<String, JobView> ended = new HashMap<>(cluster.snapshot().jobs());
    ended.put(
        first.jobId(),
        view.withSummary(new JobSummary(first.jobId(), "app", JobStatus.CANCELED, 1, 2, 1, 2)));
    cluster.update(s -> s.withJobs(ended, clock.instant()));
    recovery.tick(true);

    assertThat(flink.submitted).hasSize(2);
    assertThat(flink.submitted.get(1).jobId()).isEqualTo(next.jobId());
    assertThat(flink.submitted.get(1).restorePath()).isEqualTo("file:/cp/j/chk-43");
    assertThat(events.query(null, null))
        .anySatisfy(
            e -> {
              assertThat(e.type()).isEqualTo(EventTypes.RECOVERY_STARTED);
              assertThat(e.message()).contains("older than checkpoint 40", "chk-43");
            });
  }

  @Test
  void a_run_that_began_again_without_state_is_run_from_before_it_not_from_its_own_state() {
    OwnedJob first = service.submit(spec("app.jar", RESTART));
    long t = T0.toEpochMilli();
    CheckpointInfo seen = new CheckpointInfo(40, t + 40_000, false, "file:/cp/j/chk-40");
    checkpointsOnDisk =
        (known, before) ->
            Optional.of(new CheckpointInfo(43, t + 43_000, false, "file:/cp/j/chk-43"));
    // Checkpoint ids began again (chk-2 after chk-40): the run started without the job's state.
    JobView view =
        JobView.firstSeen(new JobSummary(first.jobId(), "app", JobStatus.RUNNING, 1, -1, 1, 1))
            .withProgress(
                new JobProgress(0, Optional.of(seen), Optional.empty(), 40, 0), clock.instant())
            .withProgress(
                new JobProgress(
                    0,
                    Optional.of(new CheckpointInfo(2, t + 50_000, false, "file:/cp/j/chk-2")),
                    Optional.empty(),
                    2,
                    0),
                clock.instant());
    assertThat(view.history().stateRegression()).isPresent();
    assertThat(view.restorable().orElseThrow().checkpoint())
        .as("what the record keeps: the state from before")
        .isEqualTo(seen);
    // A savepoint the regressed run took is its state too: not a place to restart from.
    book.put(
        completedSavepoint(
            "sp-of-regressed-run",
            first.jobId(),
            dev.flinksupervisor.savepoints.SavepointOrigin.SCHEDULED,
            Instant.ofEpochMilli(t + 56_000),
            "file:/sp/savepoint-regressed"));
    Map<String, JobView> jobs = new HashMap<>(cluster.snapshot().jobs());
    jobs.put(first.jobId(), view);
    cluster.update(s -> s.withJobs(jobs, clock.instant()));

    recovery.tick(true);

    assertThat(owned.all().get(0).restorePath()).isEqualTo("file:/cp/j/chk-43");
    assertThat(flink.cancelled).containsExactly(first.jobId());
  }

  @Test
  void a_policy_restoring_savepoints_only_passes_over_newer_checkpoints() {
    RecoveryPolicy savepointsOnly =
        restartRestoring(RecoveryPolicy.RestoreStrategy.LATEST_SAVEPOINT);
    OwnedJob first = service.submit(spec("app.jar", savepointsOnly));
    checkpointsOnDisk =
        (known, before) -> {
          throw new AssertionError("checkpoints are not looked for");
        };
    book.put(
        completedSavepoint(
            "sp",
            first.jobId(),
            dev.flinksupervisor.savepoints.SavepointOrigin.SCHEDULED,
            T0.minusSeconds(60),
            "file:/sp/savepoint-1"));
    jobIs(
        first.jobId(),
        JobStatus.FAILED,
        new CheckpointInfo(7, T0.toEpochMilli(), false, "file:/cp/chk-7"));

    recovery.tick(true);

    assertThat(owned.all().get(0).restorePath()).isEqualTo("file:/sp/savepoint-1");
    assertThat(owned.all().get(0).spec().recovery().restoreFrom())
        .isEqualTo(RecoveryPolicy.RestoreStrategy.LATEST_SAVEPOINT);
  }

  @Test
  void a_policy_restoring_nothing_starts_the_next_run_empty() {
    RecoveryPolicy empty = restartRestoring(RecoveryPolicy.RestoreStrategy.NONE);
    OwnedJob first =
        service.submit(
            new JobSpec(
                "app.jar",
                "com.example.App",
                List.of(),
                2,
                "file:/sp/initial",
                false,
                empty,
                Map.of(),
                false));
    assertThat(flink.submitted.get(0).restorePath()).isEqualTo("file:/sp/initial");
    jobIs(
        first.jobId(),
        JobStatus.FAILED,
        new CheckpointInfo(7, T0.toEpochMilli(), false, "file:/cp/chk-7"));

    recovery.tick(true);

    assertThat(flink.submitted).hasSize(2);
    assertThat(flink.submitted.get(1).restorePath()).as("starts empty").isNull();
  }

  @Test
  void a_failed_job_is_restarted_from_its_newest_checkpoint_with_backoff_then_given_up() {
    OwnedJob first = service.submit(spec("app.jar", RESTART));
    jobIs(
        first.jobId(),
        JobStatus.FAILED,
        new CheckpointInfo(5, T0.toEpochMilli(), false, "file:/cp/chk-5"));

    recovery.tick(true);
    OwnedJob second = owned.all().get(0);
    assertThat(second.jobId()).isNotEqualTo(first.jobId());
    assertThat(second.previousJobIds()).containsExactly(first.jobId());
    assertThat(flink.submitted.get(1).restorePath()).isEqualTo("file:/cp/chk-5");
    assertThat(flink.submitted.get(1).jobId()).isEqualTo(second.jobId());

    jobIs(
        second.jobId(),
        JobStatus.FAILED,
        new CheckpointInfo(9, T0.plusSeconds(5).toEpochMilli(), false, "file:/cp/chk-9"));
    recovery.tick(true);
    assertThat(flink.submitted).as("not before the backoff").hasSize(2);
    clock.advance(Duration.ofSeconds(10));
    recovery.tick(true);
    OwnedJob third = owned.all().get(0);
    assertThat(flink.submitted.get(2).restorePath()).isEqualTo("file:/cp/chk-9");

    jobIs(third.jobId(), JobStatus.FAILED, null);
    clock.advance(Duration.ofMinutes(1));
    recovery.tick(true);
    assertThat(flink.submitted).as("no more than maxAttempts restarts").hasSize(3);
    assertThat(owned.all().get(0).gaveUp()).contains("after 2 restart(s)");
    assertThat(events.query(null, null))
        .extracting(Event::type)
        .contains(EventTypes.RECOVERY_STARTED, EventTypes.RECOVERY_GAVE_UP);
  }

  @Test
  void state_older_than_the_limit_is_not_restored() {
    OwnedJob job = service.submit(spec("app.jar", RESTART));
    jobIs(
        job.jobId(),
        JobStatus.FAILED,
        new CheckpointInfo(5, T0.toEpochMilli(), false, "file:/cp/chk-5"));
    clock.advance(Duration.ofHours(2));

    recovery.tick(true);

    assertThat(flink.submitted).hasSize(1);
    assertThat(owned.all().get(0).gaveUp()).contains("older than PT1H");
  }

  @Test
  void a_manual_restart_needs_an_owned_stopped_job() {
    OwnedJob job = service.submit(spec("app.jar", RecoveryPolicy.NONE));
    jobIs(job.jobId(), JobStatus.RUNNING, null);
    assertThatThrownBy(() -> recovery.restart(job.jobId())).hasMessageContaining("is RUNNING");

    jobIs(
        "ffffffffffffffffffffffffffffffff",
        JobStatus.FAILED,
        new CheckpointInfo(1, 1, false, "file:/x"));
    assertThatThrownBy(() -> recovery.restart("ffffffffffffffffffffffffffffffff"))
        .hasMessageContaining("not submitted by this sidecar")
        .hasMessageContaining("file:/x");

    jobIs(
        job.jobId(),
        JobStatus.CANCELED,
        new CheckpointInfo(3, T0.toEpochMilli(), false, "file:/cp/3"));
    OwnedJob restarted = recovery.restart(job.jobId());
    assertThat(restarted.previousJobIds()).containsExactly(job.jobId());
    assertThat(flink.submitted.get(1).restorePath()).isEqualTo("file:/cp/3");
  }
}
