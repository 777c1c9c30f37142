package dev.flinksupervisor.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinksupervisor.e2e.PipelineUnderFaults.Outcome;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The product on what users run ({@link PipelineUnderFaults}), each fault once: a job failure the
 * sidecar recovers from the newest state, a TaskManager killed with SIGKILL, the leading JobManager
 * killed with SIGKILL, the ACTIVE sidecar process killed with SIGKILL during a savepoint, the
 * Kubernetes API stopped and started, and a re-profile through the admin API. At the end every
 * input record is in the committed output exactly once, each key's counts run without a gap or a
 * repeat, and the record of the sidecars is consistent.
 */
class ExactlyOnceFaultsITCase {
  @TempDir Path workDir;

  @Test
  void every_record_is_committed_exactly_once_through_failures_and_failovers() throws Exception {
    try (PipelineUnderFaults run =
        PipelineUnderFaults.start(workDir, PipelineUnderFaults.Setup.TEST)) {
      try {
        run.failJob();
        run.killTaskManager();
        run.killLeadingJobManager();
        run.killActiveSidecarDuringSavepoint();
        run.stopKubernetesApi(Duration.ofSeconds(3));
        run.reprofile();

        Outcome outcome = run.finish();
        System.out.printf(
            "Exactly once through %s: %d produced, %d committed, lost %d, duplicated %d, wrong"
                + " counts %d, unexpected %d; %d savepoint records (%d completed), %d on disk%n",
            run.faults(),
            outcome.produced(),
            outcome.check().records(),
            outcome.check().lost(),
            outcome.check().duplicated(),
            outcome.check().wrongCounts(),
            outcome.check().unexpected(),
            outcome.savepointRecords(),
            outcome.completedSavepoints(),
            outcome.savepointsOnDisk());
        assertThat(outcome.check().exactlyOnce())
            .as(outcome.check().examples().toString())
            .isTrue();
        assertThat(outcome.recordProblems()).as("the sidecars' record").isEmpty();
        assertThat(outcome.eventTypes())
            .contains(
                "RECOVERY_STARTED", "LEADER_CHANGED", "SAVEPOINT_COMPLETED", "REPROFILE_COMPLETED");
      } catch (AssertionError | Exception e) {
        throw new AssertionError(e.getMessage() + "\n" + run.diagnostics(), e);
      }
    }
  }
}
