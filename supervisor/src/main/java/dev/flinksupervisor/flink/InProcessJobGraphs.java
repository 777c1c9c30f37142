package dev.flinksupervisor.flink;

import dev.flinksupervisor.slots.SlotProfile;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.resources.ExternalResource;
import org.apache.flink.client.program.PackagedProgram;
import org.apache.flink.client.program.PackagedProgramUtils;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.runtime.clusterframework.types.ResourceProfile;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.runtime.jobmanager.scheduler.SlotSharingGroup;

/**
 * Builds a job graph in the calling JVM with Flink's own client code ({@link PackagedProgram}): the
 * user's {@code main()} runs here. The sidecar runs it only in a JVM of its own ({@link
 * ChildJvmJobGraphs}).
 */
public final class InProcessJobGraphs implements JobGraphBuilder {
  private final Configuration flinkConfiguration;

  public InProcessJobGraphs(Configuration flinkConfiguration) {
    this.flinkConfiguration = flinkConfiguration;
  }

  @Override
  public JobGraph build(FlinkJobs.Submission s) throws Exception {
    SavepointRestoreSettings restore =
        s.restorePath() == null
            ? SavepointRestoreSettings.none()
            : SavepointRestoreSettings.forPath(s.restorePath(), s.allowNonRestoredState());
    try (PackagedProgram program =
        PackagedProgram.newBuilder()
            .setJarFile(s.jar().toFile())
            .setEntryPointClassName(s.entryClass())
            .setArguments(s.args().toArray(String[]::new))
            .setConfiguration(flinkConfiguration)
            .setSavepointRestoreSettings(restore)
            .build()) {
      int parallelism =
          s.parallelism() != null
              ? s.parallelism()
              : flinkConfiguration.get(CoreOptions.DEFAULT_PARALLELISM);
      JobGraph graph =
          PackagedProgramUtils.createJobGraph(
              program, flinkConfiguration, parallelism, JobID.fromHexString(s.jobId()), false);
      applyProfiles(graph, s.slotProfiles());
      return graph;
    }
  }

  /**
   * Sets the resource profile of each named slot-sharing group, which the default scheduler
   * honours; refuses a name the job does not have.
   */
  static void applyProfiles(JobGraph graph, Map<String, SlotProfile> profiles) {
    if (profiles == null || profiles.isEmpty()) {
      return;
    }
    Map<String, SlotSharingGroup> groups = new TreeMap<>();
    for (SlotSharingGroup group : graph.getSlotSharingGroups()) {
      groups.put(group.getSlotSharingGroupName(), group);
    }
    for (Map.Entry<String, SlotProfile> e : profiles.entrySet()) {
      SlotSharingGroup group = groups.get(e.getKey());
      if (group == null) {
        throw new FlinkJobs.UnknownSlotSharingGroup(
            "The job has no slot-sharing group '" + e.getKey() + "'; it has " + groups.keySet());
      }
      group.setResourceProfile(resourceProfile(e.getValue()));
    }
  }

  public static ResourceProfile resourceProfile(SlotProfile p) {
    ResourceProfile.Builder b =
        ResourceProfile.newBuilder()
            .setCpuCores(p.cpuCores())
            .setTaskHeapMemory(MemorySize.parse(p.taskHeap()))
            .setTaskOffHeapMemory(memory(p.taskOffHeap()))
            .setManagedMemory(memory(p.managedMemory()))
            .setNetworkMemory(MemorySize.ZERO);
    p.extended().forEach((name, value) -> b.setExtendedResource(new ExternalResource(name, value)));
    return b.build();
  }

  private static MemorySize memory(String size) {
    return size == null || size.isBlank() ? MemorySize.ZERO : MemorySize.parse(size);
  }
}
