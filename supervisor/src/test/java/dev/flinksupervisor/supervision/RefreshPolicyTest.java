package dev.flinksupervisor.supervision;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinksupervisor.flink.JobProgress;
import dev.flinksupervisor.flink.JobSummary;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.api.common.JobStatus;
import org.junit.jupiter.api.Test;

class RefreshPolicyTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private final RefreshPolicy policy = new RefreshPolicy(Duration.ofSeconds(5));

  private static JobSummary job(String id, JobStatus status, long lastModification) {
    return new JobSummary(id, id, status, 1, -1, 10, lastModification);
  }

  private static JobView refreshedAt(JobSummary summary, Instant at) {
    return JobView.firstSeen(summary)
        .withProgress(new JobProgress(0, Optional.empty(), Optional.empty(), 0, 0), at);
  }

  @Test
  void new_jobs_are_refreshed() {
    assertThat(policy.jobsToRefresh(Map.of(), List.of(job("a", JobStatus.RUNNING, 1)), T0))
        .containsExactly("a");
  }

  @Test
  void unchanged_recent_jobs_are_left_alone() {
    JobSummary a = job("a", JobStatus.RUNNING, 1);
    Map<String, JobView> known = Map.of("a", refreshedAt(a, T0));

    assertThat(policy.jobsToRefresh(known, List.of(a), T0.plusSeconds(4))).isEmpty();
  }

  @Test
  void a_status_change_or_modification_is_refreshed_at_once() {
    JobSummary a = job("a", JobStatus.RUNNING, 1);
    JobSummary b = job("b", JobStatus.RUNNING, 1);
    Map<String, JobView> known = Map.of("a", refreshedAt(a, T0), "b", refreshedAt(b, T0));

    List<String> due =
        policy.jobsToRefresh(
            known,
            List.of(job("a", JobStatus.RESTARTING, 2), job("b", JobStatus.RUNNING, 3)),
            T0.plusMillis(100));

    assertThat(due).containsExactlyInAnyOrder("a", "b");
  }

  @Test
  void details_older_than_the_interval_are_refreshed() {
    JobSummary a = job("a", JobStatus.RUNNING, 1);
    Map<String, JobView> known = Map.of("a", refreshedAt(a, T0));

    assertThat(policy.jobsToRefresh(known, List.of(a), T0.plusSeconds(5))).containsExactly("a");
  }

  @Test
  void a_job_whose_last_refresh_failed_is_retried() {
    JobSummary a = job("a", JobStatus.RUNNING, 1);
    Map<String, JobView> known = Map.of("a", JobView.firstSeen(a));

    assertThat(policy.jobsToRefresh(known, List.of(a), T0)).containsExactly("a");
  }
}
