package dev.flinksupervisor.slots;

import java.util.Map;

/**
 * What one slot of a slot-sharing group asks for. CPU and task heap are required; the rest may be
 * zero. Memory sizes are written as Flink writes them ({@code 512m}, {@code 1g}).
 *
 * @param extended extended resources such as {@code gpu}, by name
 */
public record SlotProfile(
    double cpuCores,
    String taskHeap,
    String taskOffHeap,
    String managedMemory,
    Map<String, Double> extended) {

  public SlotProfile {
    if (cpuCores <= 0) {
      throw new IllegalArgumentException("cpu-cores is required and must be greater than zero");
    }
    if (taskHeap == null || taskHeap.isBlank()) {
      throw new IllegalArgumentException("task-heap is required, for example 512m");
    }
    extended = extended == null ? Map.of() : Map.copyOf(extended);
  }
}
