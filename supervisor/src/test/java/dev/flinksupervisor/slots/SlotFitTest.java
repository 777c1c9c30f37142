package dev.flinksupervisor.slots;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SlotFitTest {
  private static final SlotProfile SMALL = new SlotProfile(0.5, "256m", null, "128m", Map.of());
  private static final SlotProfile GPU = new SlotProfile(1, "256m", null, null, Map.of("gpu", 1.0));
  private static final Capacity.TaskManager TM =
      new Capacity.TaskManager("tm-1", 2, 1024, 0, 512, Map.of());

  @Test
  void profiles_that_fit_a_taskmanager_pass() {
    assertThat(SlotFit.refusal(Map.of("default", SMALL), new Capacity("default", List.of(TM))))
        .isEmpty();
  }

  @Test
  void the_adaptive_scheduler_is_refused_because_it_ignores_profiles() {
    assertThat(SlotFit.refusal(Map.of("default", SMALL), new Capacity("adaptive", List.of(TM))))
        .hasValueSatisfying(why -> assertThat(why).contains("adaptive scheduler"));
  }

  @Test
  void a_profile_larger_than_every_taskmanager_is_refused_naming_its_group() {
    SlotProfile huge = new SlotProfile(4, "256m", null, null, Map.of());

    assertThat(SlotFit.refusal(Map.of("enrich", huge), new Capacity("default", List.of(TM))))
        .hasValueSatisfying(
            why -> assertThat(why).contains("'enrich'").contains("larger than any TaskManager"));
    assertThat(SlotFit.refusal(Map.of("default", GPU), new Capacity("default", List.of(TM))))
        .as("an extended resource no TaskManager has")
        .isPresent();
  }

  @Test
  void without_registered_taskmanagers_the_size_cannot_be_judged_and_passes() {
    assertThat(SlotFit.refusal(Map.of("default", GPU), new Capacity("default", List.of())))
        .isEmpty();
    assertThat(SlotFit.refusal(Map.of(), new Capacity("adaptive", List.of()))).isEmpty();
  }

  @Test
  void a_taskmanager_that_reports_no_resources_yet_is_of_unknown_size_not_zero() {
    Capacity.TaskManager registering = new Capacity.TaskManager("tm-new", 0, 0, 0, 0, Map.of());

    assertThat(
            SlotFit.refusal(
                Map.of("default", SMALL), new Capacity("default", List.of(registering))))
        .isEmpty();
    SlotProfile huge = new SlotProfile(4, "256m", null, null, Map.of());
    assertThat(
            SlotFit.refusal(
                Map.of("default", huge), new Capacity("default", List.of(registering, TM))))
        .as("judged by the TaskManagers of known size")
        .hasValueSatisfying(why -> assertThat(why).contains("larger than any TaskManager"));
  }
}
