package dev.flinksupervisor.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OutputCheckTest {

  @Test
  void every_record_once_with_its_count_is_exactly_once() {
    OutputCheck check =
        OutputCheck.of(Map.of("a", 2L, "b", 1L), List.of("a,1,1", "b,1,1", "a,2,2"));

    assertThat(check.exactlyOnce()).isTrue();
    assertThat(check.records()).isEqualTo(3);
  }

  @Test
  void a_missing_record_is_lost() {
    OutputCheck check = OutputCheck.of(Map.of("a", 3L), List.of("a,1,1", "a,3,2"));

    assertThat(check.exactlyOnce()).isFalse();
    assertThat(check.lost()).isEqualTo(1);
    assertThat(check.wrongCounts()).isEqualTo(1); // the third record was counted second
    assertThat(check.examples()).contains("lost: a,2");
  }

  @Test
  void a_record_written_twice_is_a_duplicate() {
    OutputCheck check = OutputCheck.of(Map.of("a", 2L), List.of("a,1,1", "a,1,1", "a,2,2"));

    assertThat(check.duplicated()).isEqualTo(1);
    assertThat(check.lost()).isZero();
  }

  @Test
  void a_record_counted_twice_in_state_shows_as_a_wrong_count() {
    // Restored from a state newer than the output: the replayed record is counted again.
    OutputCheck check = OutputCheck.of(Map.of("a", 2L), List.of("a,1,1", "a,2,3"));

    assertThat(check.wrongCounts()).isEqualTo(1);
    assertThat(check.exactlyOnce()).isFalse();
  }

  @Test
  void records_never_produced_or_unreadable_are_unexpected() {
    OutputCheck check = OutputCheck.of(Map.of("a", 1L), List.of("a,1,1", "a,5,2", "z,1,1", "x"));

    assertThat(check.unexpected()).isEqualTo(3);
  }
}
