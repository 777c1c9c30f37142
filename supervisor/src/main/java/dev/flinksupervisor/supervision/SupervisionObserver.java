package dev.flinksupervisor.supervision;

import dev.flinksupervisor.flink.FailureCause;
import dev.flinksupervisor.flink.JobSummary;
import java.time.Duration;

/** Told what each supervision cycle saw; metrics listen here. */
public interface SupervisionObserver {

  /** After a successful cycle, with the state it left and how long it took. */
  void afterCycle(ClusterSnapshot snapshot, Duration took);

  /** A job's status change was seen {@code latency} after the JobManager's own timestamp. */
  void statusChangeSeen(JobSummary job, Duration latency);

  /** A failure of a job newer than the last one known, with its labels. */
  default void failureSeen(JobSummary job, FailureCause failure) {}

  SupervisionObserver NONE =
      new SupervisionObserver() {
        @Override
        public void afterCycle(ClusterSnapshot snapshot, Duration took) {}

        @Override
        public void statusChangeSeen(JobSummary job, Duration latency) {}
      };
}
