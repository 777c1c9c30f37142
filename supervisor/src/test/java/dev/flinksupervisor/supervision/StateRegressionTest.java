package dev.flinksupervisor.supervision;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinksupervisor.flink.CheckpointInfo;
import dev.flinksupervisor.flink.JobProgress;
import dev.flinksupervisor.flink.JobSummary;
import dev.flinksupervisor.flink.RestoredFrom;
import java.time.Instant;
import java.util.Optional;
import org.apache.flink.api.common.JobStatus;
import org.junit.jupiter.api.Test;

/** When a job's run went back behind a checkpoint it had completed, and when it did not. */
class StateRegressionTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final String JOB = "a0000000000000000000000000000001";

  private static JobSummary summary(JobStatus status) {
    return new JobSummary(JOB, "job", status, 1, -1, 1, 1);
  }

  private static CheckpointInfo checkpoint(long id, long at) {
    return new CheckpointInfo(id, at, false, "file:/cp/" + JOB + "/chk-" + id);
  }

  private static CheckpointInfo savepoint(long id, long at) {
    return new CheckpointInfo(id, at, true, "file:/sp/savepoint-" + id);
  }

  private static JobProgress progress(CheckpointInfo last, RestoredFrom restored) {
    return new JobProgress(
        0, Optional.ofNullable(last), Optional.empty(), 5, 0, Optional.ofNullable(restored));
  }

  private static JobView read(JobView view, CheckpointInfo last, RestoredFrom restored) {
    return view.withProgress(progress(last, restored), T0);
  }

  private static JobView running() {
    return JobView.firstSeen(summary(JobStatus.RUNNING));
  }

  @Test
  void a_run_restored_from_a_savepoint_older_than_a_completed_checkpoint_went_back() {
    RestoredFrom initial = new RestoredFrom(139, 1_000, true, "file:/cp/old/chk-139");
    JobView view = read(running(), checkpoint(140, 2_000), initial);
    view = read(view, checkpoint(178, 40_000), initial);
    assertThat(view.history().stateRegression()).isEmpty();

    // Flink's failover found no checkpoint in the job's HA data and used the initial path again.
    RestoredFrom again = new RestoredFrom(139, 41_000, true, "file:/cp/old/chk-139");
    view = read(view, null, again);

    assertThat(view.history().stateRegression())
        .hasValueSatisfying(
            r -> {
              assertThat(r.newer().id()).as("the newest one surely stored").isEqualTo(140);
              assertThat(r.restored()).contains(again);
              assertThat(r.describe()).contains("savepoint 139", "checkpoint 140");
            });
    // It stays noticed once the regressed run completes checkpoints of its own.
    view = read(view, checkpoint(140, 42_000), again);
    assertThat(view.history().stateRegression()).isPresent();
    assertThat(
            HealthEvaluator.evaluate(
                    view.summary(),
                    view.progress(),
                    view.history(),
                    Optional.empty(),
                    new HealthThresholds(
                        3,
                        java.time.Duration.ofMinutes(10),
                        java.time.Duration.ofMinutes(10),
                        3,
                        java.time.Duration.ofMinutes(5)),
                    T0)
                .reasons())
        .anySatisfy(reason -> assertThat(reason.code()).isEqualTo("STATE_REGRESSED"));
  }

  @Test
  void a_failover_that_restores_the_newest_checkpoint_did_not_go_back() {
    JobView view = read(running(), checkpoint(10, 1_000), null);
    view = read(view, checkpoint(12, 3_000), null);
    view = read(view, checkpoint(12, 3_000), new RestoredFrom(12, 4_000, false, "file:/x/chk-12"));
    view = read(view, checkpoint(14, 6_000), new RestoredFrom(12, 4_000, false, "file:/x/chk-12"));
    assertThat(view.history().stateRegression()).isEmpty();
  }

  @Test
  void a_failover_after_a_checkpoint_flink_failed_to_store_did_not_go_back() {
    // Flink reported checkpoint 7 completed, then failed to add it to its HA store, dropped it and
    // restarted the job from 6; its checkpoint counter goes on at 8.
    JobView view = read(running(), checkpoint(5, 1_000), null);
    view = read(view, checkpoint(6, 2_000), null);
    view = read(view, checkpoint(7, 3_000), null);
    view = read(view, checkpoint(7, 3_000), new RestoredFrom(6, 4_000, false, "file:/x/chk-6"));
    view = read(view, checkpoint(8, 5_000), new RestoredFrom(6, 4_000, false, "file:/x/chk-6"));
    assertThat(view.history().stateRegression()).isEmpty();
  }

  @Test
  void a_failover_that_restores_a_checkpoint_older_than_a_savepoint_did_not_go_back() {
    // Savepoints are not restored by Flink's own failover: its newest checkpoint is.
    JobView view = read(running(), checkpoint(10, 1_000), null);
    view = read(view, savepoint(11, 2_000), null);
    view = read(view, savepoint(11, 2_000), new RestoredFrom(10, 3_000, false, "file:/x/chk-10"));
    assertThat(view.history().stateRegression()).isEmpty();
  }

  @Test
  void checkpoint_ids_that_begin_again_mean_a_run_without_the_jobs_state() {
    JobView view = read(running(), checkpoint(50, 1_000), null);
    view = read(view, checkpoint(1, 5_000), null);
    assertThat(view.history().stateRegression())
        .hasValueSatisfying(
            r -> {
              assertThat(r.newer().id()).isEqualTo(50);
              assertThat(r.restored()).isEmpty();
              assertThat(r.describe()).contains("without its state");
            });
  }

  @Test
  void a_job_id_run_again_after_it_was_cancelled_starts_afresh() {
    JobView view = read(running(), checkpoint(50, 1_000), null);
    view = view.withSummary(summary(JobStatus.CANCELED));
    view = view.withSummary(summary(JobStatus.RUNNING));
    view = read(view, checkpoint(3, 9_000), new RestoredFrom(2, 8_000, true, "file:/sp/s-2"));
    assertThat(view.history().stateRegression()).isEmpty();
  }

  @Test
  void the_sidecars_record_tells_a_job_seen_for_the_first_time_what_it_had_reached() {
    JobView view = JobView.firstSeen(summary(JobStatus.RUNNING), checkpoint(178, 40_000));
    view = read(view, null, new RestoredFrom(139, 41_000, true, "file:/cp/old/chk-139"));
    assertThat(view.history().stateRegression()).isPresent();

    JobView restoredLongAgo =
        read(
            JobView.firstSeen(summary(JobStatus.RUNNING), checkpoint(178, 40_000)),
            checkpoint(178, 40_000),
            new RestoredFrom(139, 1_000, true, "file:/cp/old/chk-139"));
    assertThat(restoredLongAgo.history().stateRegression()).isEmpty();
  }
}
