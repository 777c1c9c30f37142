package dev.flinksupervisor.flink;

import dev.flinksupervisor.slots.AllocatedSlot;
import dev.flinksupervisor.slots.Capacity;
import java.util.List;
import java.util.Map;

/**
 * The cluster's TaskManagers as last read: what each can give a slot (with the scheduler), and the
 * slots each job holds, by job id.
 */
public record TaskManagers(Capacity capacity, Map<String, List<AllocatedSlot>> allocatedByJob) {
  public TaskManagers {
    allocatedByJob = Map.copyOf(allocatedByJob);
  }

  public List<AllocatedSlot> allocatedTo(String jobId) {
    return allocatedByJob.getOrDefault(jobId, List.of());
  }
}
