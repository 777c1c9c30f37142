package dev.flinksupervisor.flink;

import org.apache.flink.runtime.jobgraph.JobGraph;

/** Builds a job's graph from its jar by running the program's {@code main()}. */
@FunctionalInterface
public interface JobGraphBuilder {

  /**
   * The job graph of {@code submission}, under its job id, with its restore settings and slot
   * profiles applied.
   *
   * @throws FlinkJobs.UnknownSlotSharingGroup when a profile names a group the job lacks
   * @throws Exception with a message that says why the graph could not be built
   */
  JobGraph build(FlinkJobs.Submission submission) throws Exception;
}
