package dev.flinksupervisor.plugins.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.flink.events.Event;
import org.junit.jupiter.api.Test;

class PushedEventTest {

  @Test
  void job_variables_become_fields_and_are_left_out_of_the_attributes() {
    PushedEvent event = PushedEvent.from(TestEvents.jobStatus("RESTARTING"));

    assertThat(event.name()).isEqualTo("JobStatusChangeEvent");
    assertThat(event.observedAt()).isEqualTo(1_733_100_000_100L);
    assertThat(event.jobId()).isEqualTo("3f1c0a");
    assertThat(event.jobName()).isEqualTo("orders");
    assertThat(event.attributes()).containsExactly(Map.entry("newJobStatus", "RESTARTING"));
  }

  @Test
  void attribute_values_become_text() {
    PushedEvent event = PushedEvent.from(TestEvents.savepoint(42));

    assertThat(event.attributes())
        .containsEntry("checkpointId", "42")
        .containsEntry("fullSize", "4096")
        .containsEntry("checkpointType", "Savepoint");
  }

  @Test
  void an_event_of_no_job_has_no_job_id() {
    PushedEvent event =
        PushedEvent.from(
            Event.builder(PushedEventTest.class, "JobStatusChangeEvent")
                .setObservedTsMillis(5)
                .setAttribute("ratio", 0.5)
                .setAttribute("flag", true)
                .build(Map.of("<host>", "jm-0")));

    assertThat(event.jobId()).isNull();
    assertThat(event.jobName()).isNull();
    assertThat(event.attributes())
        .containsOnly(Map.entry("ratio", "0.5"), Map.entry("flag", "true"));
  }

  @Test
  void the_copy_is_immutable() {
    PushedEvent event = PushedEvent.from(TestEvents.jobFailure("USER"));

    assertThatThrownBy(() -> event.attributes().put("x", "y"))
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
