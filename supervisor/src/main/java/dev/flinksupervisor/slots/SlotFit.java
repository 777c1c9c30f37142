package dev.flinksupervisor.slots;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.configuration.MemorySize;

/**
 * Pure: whether profiles can run on a cluster at all. The adaptive scheduler ignores slot profiles,
 * and a profile larger than every TaskManager can never be placed; both are refused before anything
 * is deployed. With no TaskManager registered yet (native Kubernetes starts them on demand) the
 * size check has nothing to compare with and passes.
 */
public final class SlotFit {
  private SlotFit() {}

  /** Why the profiles cannot run, or empty when they can. */
  public static Optional<String> refusal(Map<String, SlotProfile> profiles, Capacity capacity) {
    if (profiles.isEmpty()) {
      return Optional.empty();
    }
    if ("adaptive".equalsIgnoreCase(capacity.scheduler())) {
      return Optional.of(
          "The cluster runs the adaptive scheduler (jobmanager.scheduler: adaptive), which ignores"
              + " slot profiles; use the default scheduler to run jobs with profiles.");
    }
    // A TaskManager that has just registered may report no resources yet (all zero): its size is
    // unknown, not zero. Without any TaskManager of known size (none yet, as with native
    // Kubernetes before the first job asks for one), the profiles cannot be judged and pass.
    List<Capacity.TaskManager> known =
        capacity.taskManagers().stream()
            .filter(tm -> tm.cpuCores() > 0 || tm.taskHeapMb() > 0 || tm.managedMb() > 0)
            .toList();
    if (known.isEmpty()) {
      return Optional.empty();
    }
    for (Map.Entry<String, SlotProfile> e : profiles.entrySet()) {
      SlotProfile p = e.getValue();
      boolean fits = known.stream().anyMatch(tm -> fits(p, tm));
      if (!fits) {
        Capacity.TaskManager largest =
            known.stream()
                .max(java.util.Comparator.comparingDouble(Capacity.TaskManager::cpuCores))
                .orElseThrow();
        return Optional.of(
            "The profile of slot-sharing group '"
                + e.getKey()
                + "' ("
                + p.cpuCores()
                + " CPU, task heap "
                + p.taskHeap()
                + ", managed "
                + (p.managedMemory() == null ? "0" : p.managedMemory())
                + ") is larger than any TaskManager (largest: "
                + largest.cpuCores()
                + " CPU, task heap "
                + largest.taskHeapMb()
                + " MiB, managed "
                + largest.managedMb()
                + " MiB), so it could never be placed.");
      }
    }
    return Optional.empty();
  }

  private static boolean fits(SlotProfile p, Capacity.TaskManager tm) {
    boolean extendedFit =
        p.extended().entrySet().stream()
            .allMatch(r -> tm.extended().getOrDefault(r.getKey(), 0.0) >= r.getValue());
    return p.cpuCores() <= tm.cpuCores()
        && mib(p.taskHeap()) <= tm.taskHeapMb()
        && mib(p.taskOffHeap()) <= tm.taskOffHeapMb()
        && mib(p.managedMemory()) <= tm.managedMb()
        && extendedFit;
  }

  private static long mib(String size) {
    return size == null || size.isBlank() ? 0 : MemorySize.parse(size).getMebiBytes();
  }
}
