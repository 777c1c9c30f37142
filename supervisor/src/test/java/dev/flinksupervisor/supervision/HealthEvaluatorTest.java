package dev.flinksupervisor.supervision;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinksupervisor.flink.CheckpointInfo;
import dev.flinksupervisor.flink.FailureCause;
import dev.flinksupervisor.flink.JobProgress;
import dev.flinksupervisor.flink.JobSummary;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.api.common.JobStatus;
import org.junit.jupiter.api.Test;

class HealthEvaluatorTest {
  private static final Instant T0 = Instant.parse("2026-01-01T12:00:00Z");
  private static final HealthThresholds T =
      new HealthThresholds(
          3, Duration.ofMinutes(10), Duration.ofMinutes(10), 3, Duration.ofMinutes(5));

  private static JobSummary job(JobStatus status, Instant since) {
    return new JobSummary("j", "orders", status, 0, -1, 0, since.toEpochMilli());
  }

  private static JobProgress progress(
      long restarts, Instant lastCheckpoint, long triggered, long failed) {
    return new JobProgress(
        restarts,
        Optional.ofNullable(lastCheckpoint)
            .map(at -> new CheckpointInfo(triggered, at.toEpochMilli(), false, "file:/cp")),
        Optional.empty(),
        triggered,
        failed);
  }

  private static Health evaluate(
      JobSummary summary, Optional<JobProgress> progress, JobHistory history, Instant now) {
    return HealthEvaluator.evaluate(summary, progress, history, Optional.empty(), T, now);
  }

  @Test
  void a_running_job_with_recent_checkpoints_is_healthy() {
    JobProgress p = progress(0, T0.minusSeconds(30), 10, 0);
    Health h =
        evaluate(
            job(JobStatus.RUNNING, T0.minusSeconds(3600)),
            Optional.of(p),
            JobHistory.EMPTY.observe(p, T0, Duration.ofMinutes(10)),
            T0);

    assertThat(h.verdict()).isEqualTo(Verdict.HEALTHY);
    assertThat(h.reasons()).isEmpty();
  }

  @Test
  void more_restarts_than_the_limit_within_the_window_is_a_restart_loop() {
    JobHistory history = JobHistory.EMPTY;
    for (int i = 0; i <= 4; i++) {
      history =
          history.observe(progress(i, null, 0, 0), T0.plusSeconds(60L * i), Duration.ofMinutes(10));
    }

    Health h =
        evaluate(
            job(JobStatus.RUNNING, T0),
            Optional.of(progress(4, null, 0, 0)),
            history,
            T0.plusSeconds(240));

    assertThat(h.verdict()).isEqualTo(Verdict.UNHEALTHY);
    assertThat(h.reasons()).extracting(Health.Reason::code).containsExactly("RESTART_LOOP");
    assertThat(h.reasons().get(0).message())
        .startsWith("The job restarted 4 times in the last 10 min");
  }

  @Test
  void restarts_older_than_the_window_do_not_count() {
    JobHistory history = JobHistory.EMPTY;
    for (int i = 0; i <= 4; i++) {
      history =
          history.observe(progress(i, null, 0, 0), T0.plusSeconds(60L * i), Duration.ofMinutes(10));
    }
    Instant later = T0.plus(Duration.ofMinutes(30));
    history = history.observe(progress(4, null, 0, 0), later, Duration.ofMinutes(10));

    Health h =
        evaluate(job(JobStatus.RUNNING, T0), Optional.of(progress(4, null, 0, 0)), history, later);

    assertThat(h.verdict()).isEqualTo(Verdict.HEALTHY);
  }

  @Test
  void no_checkpoint_within_the_window_is_degraded() {
    JobProgress p = progress(0, T0.minus(Duration.ofMinutes(11)), 10, 0);

    Health h =
        evaluate(
            job(JobStatus.RUNNING, T0.minus(Duration.ofHours(1))),
            Optional.of(p),
            JobHistory.EMPTY,
            T0);

    assertThat(h.verdict()).isEqualTo(Verdict.DEGRADED);
    assertThat(h.reasons())
        .extracting(Health.Reason::code)
        .containsExactly("NO_CHECKPOINT_PROGRESS");
  }

  @Test
  void a_job_that_does_not_checkpoint_is_not_judged_on_checkpoints() {
    JobProgress p = progress(0, null, 0, 0);

    Health h =
        evaluate(
            job(JobStatus.RUNNING, T0.minus(Duration.ofHours(1))),
            Optional.of(p),
            JobHistory.EMPTY,
            T0);

    assertThat(h.verdict()).isEqualTo(Verdict.HEALTHY);
  }

  @Test
  void repeated_checkpoint_failures_since_the_last_completed_one_are_degraded() {
    JobProgress before = progress(0, T0.minusSeconds(60), 10, 2);
    JobHistory history =
        JobHistory.EMPTY.observe(before, T0.minusSeconds(60), Duration.ofMinutes(10));
    JobProgress now = progress(0, T0.minusSeconds(60), 10, 5);

    Health h =
        evaluate(
            job(JobStatus.RUNNING, T0.minus(Duration.ofHours(1))), Optional.of(now), history, T0);

    assertThat(h.reasons()).extracting(Health.Reason::code).containsExactly("CHECKPOINT_FAILURES");
    assertThat(h.reasons().get(0).message()).startsWith("3 checkpoints failed");
  }

  @Test
  void restarting_is_degraded_at_first_and_unhealthy_when_stuck() {
    assertThat(
            evaluate(
                    job(JobStatus.RESTARTING, T0.minusSeconds(30)),
                    Optional.empty(),
                    JobHistory.EMPTY,
                    T0)
                .verdict())
        .isEqualTo(Verdict.DEGRADED);

    Health stuck =
        evaluate(
            job(JobStatus.INITIALIZING, T0.minus(Duration.ofMinutes(6))),
            Optional.empty(),
            JobHistory.EMPTY,
            T0);

    assertThat(stuck.verdict()).isEqualTo(Verdict.UNHEALTHY);
    assertThat(stuck.reasons())
        .extracting(Health.Reason::code)
        .containsExactly("STUCK_INITIALIZING");
    assertThat(stuck.reasons().get(0).message()).contains("INITIALIZING for 6 min");
  }

  @Test
  void a_failed_job_is_unhealthy_and_says_why() {
    FailureCause cause =
        FailureCause.fromStackTrace(
            1,
            "java.lang.RuntimeException",
            "java.lang.RuntimeException: bad record\n\tat a.b(C.java:1)",
            "map (1/2)",
            Map.of());

    Health h =
        HealthEvaluator.evaluate(
            job(JobStatus.FAILED, T0),
            Optional.empty(),
            JobHistory.EMPTY,
            Optional.of(cause),
            T,
            T0);

    assertThat(h.verdict()).isEqualTo(Verdict.UNHEALTHY);
    assertThat(h.reasons().get(0).code()).isEqualTo("JOB_FAILED");
    assertThat(h.reasons().get(0).message())
        .contains("java.lang.RuntimeException: bad record in map (1/2)");
  }

  @Test
  void a_stale_verdict_becomes_unknown() {
    Health h = Health.of(java.util.List.of()).stale(12_000);

    assertThat(h.verdict()).isEqualTo(Verdict.UNKNOWN);
    assertThat(h.reasons().get(0).message()).contains("12000 ms").contains("HEALTHY");
  }

  private static final HealthThresholds FOLLOWING_THE_JOB =
      new HealthThresholds(3, Duration.ofMinutes(10), null, 3, Duration.ofMinutes(5));

  private static Optional<String> noProgressReason(
      HealthThresholds t, JobProgress p, Duration sinceLastCheckpoint) {
    return HealthEvaluator.evaluate(
            job(JobStatus.RUNNING, T0.minusSeconds(3600)),
            Optional.of(p),
            JobHistory.EMPTY,
            Optional.empty(),
            t,
            T0.plus(sinceLastCheckpoint))
        .reasons()
        .stream()
        .filter(r -> r.code().equals("NO_CHECKPOINT_PROGRESS"))
        .map(Health.Reason::message)
        .findFirst();
  }

  @Test
  void the_checkpoint_window_follows_the_jobs_own_settings_unless_one_is_set() {
    // Interval 1 s, timeout 2 s, one tolerated failure: (1 + 1) x (1 s + 2 s) + 1 s = 7 s.
    JobProgress p =
        progress(0, T0, 10, 0)
            .withCheckpointSettings(
                Optional.of(
                    new dev.flinksupervisor.flink.CheckpointSettings(
                        Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ZERO, 1)));

    assertThat(noProgressReason(FOLLOWING_THE_JOB, p, Duration.ofSeconds(6))).isEmpty();
    assertThat(noProgressReason(FOLLOWING_THE_JOB, p, Duration.ofSeconds(8)))
        .hasValueSatisfying(
            m ->
                assertThat(m)
                    .contains("window 7 s")
                    .contains("interval 1000 ms, timeout 2000 ms and 1 tolerated failure"));
    // An explicit window is the operator's choice.
    assertThat(noProgressReason(T, p, Duration.ofSeconds(8))).isEmpty();
    // Until the job's settings are read, the fallback applies.
    assertThat(noProgressReason(FOLLOWING_THE_JOB, progress(0, T0, 10, 0), Duration.ofMinutes(9)))
        .isEmpty();
    assertThat(noProgressReason(FOLLOWING_THE_JOB, progress(0, T0, 10, 0), Duration.ofMinutes(11)))
        .hasValueSatisfying(m -> assertThat(m).contains("not read yet"));
  }

  @Test
  void a_longer_minimum_pause_than_the_interval_widens_the_window() {
    assertThat(
            new dev.flinksupervisor.flink.CheckpointSettings(
                    Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofSeconds(5), 0)
                .progressWindow())
        .isEqualTo(Duration.ofSeconds(16));
    assertThat(
            new dev.flinksupervisor.flink.CheckpointSettings(
                    Duration.ofSeconds(1), Duration.ofMinutes(10), Duration.ZERO, Integer.MAX_VALUE)
                .progressWindow())
        .as("unlimited tolerated failures")
        .isEqualTo(dev.flinksupervisor.flink.CheckpointSettings.LONGEST_WINDOW);
    assertThat(
            new dev.flinksupervisor.flink.CheckpointSettings(
                    Duration.ofMillis(Long.MAX_VALUE), Duration.ofMinutes(10), Duration.ZERO, 3)
                .progressWindow())
        .as("no periodic checkpoints")
        .isEqualTo(dev.flinksupervisor.flink.CheckpointSettings.LONGEST_WINDOW);
  }

  @Test
  void a_savepoint_older_than_the_freshness_threshold_is_stale() {
    HealthThresholds fresh15 =
        new HealthThresholds(
            3, Duration.ofMinutes(10), null, 3, Duration.ofMinutes(5), Duration.ofMinutes(15));
    JobSummary running =
        new JobSummary(
            "j", "orders", JobStatus.RUNNING, T0.minusSeconds(7200).toEpochMilli(), -1, 0, 0);
    JobProgress withSavepoint =
        new JobProgress(
            0,
            Optional.empty(),
            Optional.of(
                new CheckpointInfo(
                    9, T0.minusSeconds(20 * 60).toEpochMilli(), true, "file:/sp/savepoint-9")),
            0,
            0);

    Health stale =
        HealthEvaluator.evaluate(
            running, Optional.of(withSavepoint), JobHistory.EMPTY, Optional.empty(), fresh15, T0);
    assertThat(stale.verdict()).isEqualTo(Verdict.DEGRADED);
    assertThat(stale.reasons())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.code()).isEqualTo("SAVEPOINT_STALE");
              assertThat(r.message())
                  .contains("file:/sp/savepoint-9")
                  .contains("20 min ago")
                  .contains("15 min");
            });

    Health fresh =
        HealthEvaluator.evaluate(
            running,
            Optional.of(withSavepoint),
            JobHistory.EMPTY,
            Optional.empty(),
            fresh15,
            T0.minusSeconds(10 * 60));
    assertThat(fresh.reasons()).isEmpty();

    Health none =
        HealthEvaluator.evaluate(
            running, Optional.empty(), JobHistory.EMPTY, Optional.empty(), fresh15, T0);
    assertThat(none.reasons())
        .singleElement()
        .satisfies(r -> assertThat(r.message()).startsWith("No savepoint completed since"));

    Health notJudged =
        HealthEvaluator.evaluate(
            running, Optional.of(withSavepoint), JobHistory.EMPTY, Optional.empty(), T, T0);
    assertThat(notJudged.reasons()).isEmpty();
  }
}
