package dev.flinksupervisor.flink;

import dev.flinksupervisor.slots.AllocatedSlot;
import dev.flinksupervisor.slots.Capacity;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.client.deployment.StandaloneClusterId;
import org.apache.flink.client.program.rest.RestClusterClient;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.runtime.clusterframework.types.ResourceID;
import org.apache.flink.runtime.rest.messages.ClusterConfigurationInfoHeaders;
import org.apache.flink.runtime.rest.messages.ConfigurationInfoEntry;
import org.apache.flink.runtime.rest.messages.EmptyMessageParameters;
import org.apache.flink.runtime.rest.messages.EmptyRequestBody;
import org.apache.flink.runtime.rest.messages.ResourceProfileInfo;
import org.apache.flink.runtime.rest.messages.taskmanager.TaskManagerDetailsHeaders;
import org.apache.flink.runtime.rest.messages.taskmanager.TaskManagerInfo;
import org.apache.flink.runtime.rest.messages.taskmanager.TaskManagerMessageParameters;
import org.apache.flink.runtime.rest.messages.taskmanager.TaskManagersHeaders;

/** Reads the scheduler and the TaskManagers' resources and allocated slots through Flink's REST. */
final class TaskManagerReads {
  private TaskManagerReads() {}

  /** The scheduler, each TaskManager's total resources and every allocated slot. */
  static CompletableFuture<TaskManagers> read(RestClusterClient<StandaloneClusterId> client) {
    return scheduler(client)
        .thenCombine(infos(client), (scheduler, infos) -> new Object[] {scheduler, infos})
        .thenCompose(
            pair -> {
              String scheduler = (String) pair[0];
              @SuppressWarnings("unchecked")
              List<TaskManagerInfo> infos = (List<TaskManagerInfo>) pair[1];
              List<CompletableFuture<List<Map.Entry<String, AllocatedSlot>>>> perManager =
                  infos.stream().map(tm -> slotsOn(client, tm.getResourceId())).toList();
              return CompletableFuture.allOf(perManager.toArray(CompletableFuture[]::new))
                  .thenApply(
                      done -> {
                        Map<String, List<AllocatedSlot>> byJob = new HashMap<>();
                        perManager.forEach(
                            f ->
                                f.join()
                                    .forEach(
                                        e ->
                                            byJob
                                                .computeIfAbsent(e.getKey(), k -> new ArrayList<>())
                                                .add(e.getValue())));
                        return new TaskManagers(capacityOf(scheduler, infos), byJob);
                      });
            });
  }

  /** The scheduler and each TaskManager's total resources. */
  static CompletableFuture<Capacity> capacity(RestClusterClient<StandaloneClusterId> client) {
    return scheduler(client).thenCombine(infos(client), TaskManagerReads::capacityOf);
  }

  private static Capacity capacityOf(String scheduler, List<TaskManagerInfo> infos) {
    return new Capacity(
        scheduler,
        infos.stream()
            .map(
                tm -> {
                  ResourceProfileInfo total = tm.getTotalResource();
                  return new Capacity.TaskManager(
                      tm.getResourceId().getResourceIdString(),
                      total.getCpu(),
                      total.getTaskHeapMB(),
                      total.getTaskOffHeapMB(),
                      total.getManagedMB(),
                      total.getExtendedResources());
                })
            .toList());
  }

  private static CompletableFuture<String> scheduler(
      RestClusterClient<StandaloneClusterId> client) {
    return client
        .sendRequest(
            ClusterConfigurationInfoHeaders.getInstance(),
            EmptyMessageParameters.getInstance(),
            EmptyRequestBody.getInstance())
        .thenApply(
            config ->
                config.stream()
                    .filter(e -> JobManagerOptions.SCHEDULER.key().equals(e.getKey()))
                    .map(ConfigurationInfoEntry::getValue)
                    .findFirst()
                    .orElse("default"));
  }

  private static CompletableFuture<List<TaskManagerInfo>> infos(
      RestClusterClient<StandaloneClusterId> client) {
    return client
        .sendRequest(
            TaskManagersHeaders.getInstance(),
            EmptyMessageParameters.getInstance(),
            EmptyRequestBody.getInstance())
        .thenApply(info -> List.copyOf(info.getTaskManagerInfos()));
  }

  private static CompletableFuture<List<Map.Entry<String, AllocatedSlot>>> slotsOn(
      RestClusterClient<StandaloneClusterId> client, ResourceID taskManager) {
    TaskManagerMessageParameters params = new TaskManagerMessageParameters();
    params.taskManagerIdParameter.resolve(taskManager);
    return client
        .sendRequest(
            TaskManagerDetailsHeaders.getInstance(), params, EmptyRequestBody.getInstance())
        .thenApply(
            details ->
                details.getAllocatedSlots().stream()
                    .filter(slot -> slot.getJobId() != null)
                    .map(
                        slot -> {
                          ResourceProfileInfo r = slot.getResource();
                          return Map.entry(
                              slot.getJobId().toHexString(),
                              new AllocatedSlot(
                                  taskManager.getResourceIdString(),
                                  r.getCpu(),
                                  r.getTaskHeapMB(),
                                  r.getTaskOffHeapMB(),
                                  r.getManagedMB(),
                                  r.getExtendedResources()));
                        })
                    .toList());
  }
}
