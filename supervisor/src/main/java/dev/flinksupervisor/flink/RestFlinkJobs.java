package dev.flinksupervisor.flink;

import dev.flinksupervisor.slots.Capacity;
import dev.flinksupervisor.slots.SlotProfile;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.resources.ExternalResource;
import org.apache.flink.client.deployment.StandaloneClusterId;
import org.apache.flink.client.program.PackagedProgram;
import org.apache.flink.client.program.PackagedProgramUtils;
import org.apache.flink.client.program.rest.RestClusterClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.runtime.clusterframework.types.ResourceProfile;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.runtime.jobmanager.scheduler.SlotSharingGroup;

/**
 * {@link FlinkJobs} with Flink's client: {@link PackagedProgram} runs the jar's main method to
 * build the job graph, and {@link RestClusterClient} uploads the jar and submits it.
 */
public final class RestFlinkJobs implements FlinkJobs {
  private final RestClusterClient<StandaloneClusterId> client;
  private final Configuration flinkConfiguration;
  private final Duration timeout;
  private final Executor executor;

  public RestFlinkJobs(
      RestClusterClient<StandaloneClusterId> client,
      Configuration flinkConfiguration,
      Duration timeout,
      Executor executor) {
    this.client = client;
    this.flinkConfiguration = flinkConfiguration;
    this.timeout = timeout;
    this.executor = executor;
  }

  @Override
  public CompletableFuture<Void> submit(Submission s) {
    java.util.concurrent.atomic.AtomicBoolean sent =
        new java.util.concurrent.atomic.AtomicBoolean();
    return CompletableFuture.supplyAsync(() -> jobGraph(s), executor)
        .thenCompose(
            graph -> {
              sent.set(true);
              return client.submitJob(graph);
            })
        .thenApply(id -> (Void) null)
        .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .handle(
            (done, failure) -> {
              if (failure == null) {
                return done;
              }
              // Before the submit call nothing reached the JobManager; after it, it may have.
              Throwable cause =
                  failure instanceof java.util.concurrent.CompletionException
                          && failure.getCause() != null
                      ? failure.getCause()
                      : failure;
              throw new java.util.concurrent.CompletionException(
                  sent.get() ? cause : new NotSent(cause));
            });
  }

  @Override
  public CompletableFuture<Void> check(Submission s) {
    return CompletableFuture.supplyAsync(() -> jobGraph(s), executor)
        .thenApply(graph -> (Void) null)
        .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public CompletableFuture<Void> cancel(String jobId) {
    return client
        .cancel(org.apache.flink.api.common.JobID.fromHexString(jobId))
        .thenApply(ack -> (Void) null)
        .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public CompletableFuture<Capacity> capacity() {
    return TaskManagerReads.capacity(client).orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
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
        throw new UnknownSlotSharingGroup(
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

  private JobGraph jobGraph(Submission s) {
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
    } catch (UnknownSlotSharingGroup e) {
      throw e;
    } catch (Exception e) {
      throw new java.util.concurrent.CompletionException(e);
    }
  }
}
