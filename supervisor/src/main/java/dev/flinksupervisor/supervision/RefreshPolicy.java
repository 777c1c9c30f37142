package dev.flinksupervisor.supervision;

import dev.flinksupervisor.flink.JobSummary;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Decides which jobs are looked at in detail in one supervision cycle: only those that are new,
 * whose status or last modification changed, or whose details are older than the details interval.
 * Everything else costs nothing beyond its line in {@code /jobs/overview}.
 */
public final class RefreshPolicy {
  private final Duration detailsInterval;

  public RefreshPolicy(Duration detailsInterval) {
    this.detailsInterval = detailsInterval;
  }

  public List<String> jobsToRefresh(
      Map<String, JobView> known, List<JobSummary> current, Instant now) {
    List<String> due = new ArrayList<>();
    for (JobSummary summary : current) {
      JobView previous = known.get(summary.id());
      if (previous == null
          || previous.progressAt() == null
          || previous.summary().status() != summary.status()
          || previous.summary().lastModification() != summary.lastModification()
          || !previous.progressAt().plus(detailsInterval).isAfter(now)) {
        due.add(summary.id());
      }
    }
    return due;
  }
}
