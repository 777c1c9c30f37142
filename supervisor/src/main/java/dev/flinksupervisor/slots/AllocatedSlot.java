package dev.flinksupervisor.slots;

import java.util.Map;

/**
 * A slot Flink allocated to a job, with the resources it holds (memory in MiB), as a TaskManager
 * reports it.
 */
public record AllocatedSlot(
    String taskManagerId,
    double cpuCores,
    long taskHeapMb,
    long taskOffHeapMb,
    long managedMb,
    Map<String, Double> extended) {}
