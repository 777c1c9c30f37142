package dev.flinksupervisor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseParserTest {
  @Test
  void events_end_at_blank_lines_comments_are_skipped_and_the_last_id_carries_over() {
    SseParser parser = new SseParser();
    List<SseParser.SseEvent> events = new ArrayList<>();
    for (String line :
        List.of(
            ": keep-alive",
            "",
            "event: SAVEPOINT_COMPLETED",
            "id: 7",
            "data: {\"id\":7,",
            "data:\"count\":1}",
            "",
            "data: plain",
            "retry: 1000",
            "")) {
      parser.line(line).ifPresent(events::add);
    }

    assertThat(events)
        .containsExactly(
            new SseParser.SseEvent("SAVEPOINT_COMPLETED", "7", "{\"id\":7,\n\"count\":1}"),
            new SseParser.SseEvent("message", "7", "plain"));
  }
}
