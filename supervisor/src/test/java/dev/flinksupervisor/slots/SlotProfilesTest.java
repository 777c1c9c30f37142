package dev.flinksupervisor.slots;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SlotProfilesTest {
  @Test
  void profiles_are_read_by_name_with_extended_resources() {
    SlotProfiles profiles =
        SlotProfiles.parse(
            Map.of(
                "gpu.cpu-cores", "2",
                "gpu.task-heap", "1g",
                "gpu.managed-memory", "256m",
                "gpu.extended.gpu", "1"));

    SlotProfile gpu = profiles.get("gpu").orElseThrow();
    assertThat(gpu.cpuCores()).isEqualTo(2.0);
    assertThat(gpu.taskHeap()).isEqualTo("1g");
    assertThat(gpu.extended()).containsEntry("gpu", 1.0);
  }

  @Test
  void a_profile_without_cpu_or_heap_is_refused_with_its_name() {
    assertThatThrownBy(() -> SlotProfiles.parse(Map.of("small.task-heap", "64m")))
        .hasMessageContaining("slot-profiles.small")
        .hasMessageContaining("cpu-cores is required");
    assertThatThrownBy(() -> SlotProfiles.parse(Map.of("small.cpu-cores", "1")))
        .hasMessageContaining("task-heap is required");
    assertThatThrownBy(
            () ->
                SlotProfiles.parse(
                    Map.of("small.cpu-cores", "1", "small.task-heap", "1g", "small.gpus", "1")))
        .hasMessageContaining("unknown field(s) [gpus]");
  }
}
