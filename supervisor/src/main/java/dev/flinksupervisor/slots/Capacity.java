package dev.flinksupervisor.slots;

import java.util.List;
import java.util.Map;

/**
 * What a cluster can give a slot: its scheduler and the total resources of each registered
 * TaskManager (memory in MiB).
 */
public record Capacity(String scheduler, List<TaskManager> taskManagers) {

  /** One TaskManager's total resources. */
  public record TaskManager(
      String id,
      double cpuCores,
      long taskHeapMb,
      long taskOffHeapMb,
      long managedMb,
      Map<String, Double> extended) {}
}
