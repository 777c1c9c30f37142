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
}
