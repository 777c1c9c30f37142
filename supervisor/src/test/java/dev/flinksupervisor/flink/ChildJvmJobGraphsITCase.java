package dev.flinksupervisor.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flinksupervisor.slots.SlotProfile;
import dev.flinksupervisor.testing.RogueMains;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The user's main() runs in a JVM of its own: the example job's graph comes back whole, and a
 * main() that exits, loops, hoards memory or throws is a clear failure while this JVM goes on.
 */
class ChildJvmJobGraphsITCase {
  private static final Path DEMO_JAR = Path.of("target", "demo-job.jar");

  @TempDir Path dir;

  private final ChildJvmJobGraphs graphs =
      new ChildJvmJobGraphs(new Configuration(), 64, Duration.ofSeconds(20));

  private static FlinkJobs.Submission submission(
      Path jar, String entryClass, Map<String, SlotProfile> profiles) {
    return new FlinkJobs.Submission(
        new JobID().toHexString(),
        jar,
        entryClass,
        List.of("--name", "graph-in-a-child"),
        3,
        "file:/savepoints/savepoint-1",
        true,
        profiles);
  }

  @Test
  void the_example_jobs_graph_is_built_in_a_child_jvm_with_its_settings() throws Exception {
    FlinkJobs.Submission s =
        submission(
            DEMO_JAR,
            "dev.flinksupervisor.demo.job.DemoJob",
            Map.of("default", new SlotProfile(0.5, "64m", null, "16m", Map.of())));

    JobGraph graph = graphs.build(s);

    assertThat(graph.getJobID().toHexString()).isEqualTo(s.jobId());
    assertThat(graph.getName()).isEqualTo("graph-in-a-child");
    assertThat(graph.getSavepointRestoreSettings().getRestorePath())
        .isEqualTo("file:/savepoints/savepoint-1");
    assertThat(graph.getSavepointRestoreSettings().allowNonRestoredState()).isTrue();
    assertThat(graph.getVertices()).isNotEmpty();
    for (JobVertex vertex : graph.getVertices()) {
      assertThat(vertex.getParallelism()).isEqualTo(3);
    }
    assertThat(graph.getSlotSharingGroups())
        .allSatisfy(
            g ->
                assertThat(g.getResourceProfile().getCpuCores().getValue().doubleValue())
                    .isEqualTo(0.5));
  }

  @Test
  void a_profile_for_a_group_the_job_lacks_is_named() {
    FlinkJobs.Submission s =
        submission(
            DEMO_JAR,
            "dev.flinksupervisor.demo.job.DemoJob",
            Map.of("no-such-group", new SlotProfile(0.5, "64m", null, null, Map.of())));

    assertThatThrownBy(() -> graphs.build(s))
        .isInstanceOf(FlinkJobs.UnknownSlotSharingGroup.class)
        .hasMessageContaining("no slot-sharing group 'no-such-group'");
  }

  @Test
  void a_main_that_calls_system_exit_ends_only_its_own_jvm() throws Exception {
    Path jar = RogueMains.jar(dir.resolve("rogue.jar"));
    assertThatThrownBy(() -> graphs.build(submission(jar, RogueMains.Exits.class.getName(), null)))
        .hasMessageContaining("exit code 42")
        .hasMessageContaining("System.exit");
  }

  @Test
  void a_main_that_never_returns_is_killed_after_the_time_limit() throws Exception {
    Path jar = RogueMains.jar(dir.resolve("rogue.jar"));
    ChildJvmJobGraphs impatient =
        new ChildJvmJobGraphs(new Configuration(), 64, Duration.ofSeconds(5));
    assertThatThrownBy(
            () -> impatient.build(submission(jar, RogueMains.Loops.class.getName(), null)))
        .isInstanceOf(TimeoutException.class)
        .hasMessageContaining("jobs.graph-builder-timeout");
  }

  @Test
  void a_main_that_needs_more_memory_than_allowed_fails_as_out_of_memory() throws Exception {
    Path jar = RogueMains.jar(dir.resolve("rogue.jar"));
    assertThatThrownBy(() -> graphs.build(submission(jar, RogueMains.Hoards.class.getName(), null)))
        .hasMessageContaining("ran out of memory")
        .hasMessageContaining("64 MiB");
  }

  @Test
  void a_main_that_throws_is_refused_with_its_message() throws Exception {
    Path jar = RogueMains.jar(dir.resolve("rogue.jar"));
    assertThatThrownBy(() -> graphs.build(submission(jar, RogueMains.Throws.class.getName(), null)))
        .hasMessageContaining("no --topic given");
  }
}
