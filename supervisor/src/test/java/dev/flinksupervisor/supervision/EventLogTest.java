package dev.flinksupervisor.supervision;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinksupervisor.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventLogTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

  @Test
  void repeats_are_folded_with_a_count_and_last_time() {
    EventLog log = new EventLog(clock, 10);
    for (int i = 0; i < 5; i++) {
      log.record("STATUS", Severity.WARNING, "j", "Job is RESTARTING");
      clock.advance(Duration.ofSeconds(1));
      log.record("STATUS", Severity.INFO, "j", "Job is RUNNING");
      clock.advance(Duration.ofSeconds(1));
    }

    List<Event> events = log.query(null, null);
    assertThat(events).hasSize(2);
    assertThat(events.get(0).message()).isEqualTo("Job is RUNNING");
    assertThat(events.get(0).count()).isEqualTo(5);
    assertThat(events.get(0).time()).isEqualTo(Instant.parse("2026-01-01T00:00:01Z"));
    assertThat(events.get(0).lastTime()).isEqualTo(Instant.parse("2026-01-01T00:00:09Z"));
    assertThat(events.get(1).count()).isEqualTo(5);
  }

  @Test
  void other_jobs_events_do_not_prevent_folding() {
    EventLog log = new EventLog(clock, 10);
    log.record("STATUS", Severity.INFO, "a", "same");
    log.record("STATUS", Severity.INFO, "b", "other");
    log.record("STATUS", Severity.INFO, "a", "same");

    assertThat(log.query("a", null)).singleElement().extracting(Event::count).isEqualTo(2);
  }

  @Test
  void the_oldest_events_are_dropped_beyond_capacity() {
    EventLog log = new EventLog(clock, 3);
    for (int i = 0; i < 5; i++) {
      log.record("T", Severity.INFO, null, "event " + i);
    }

    assertThat(log.query(null, null))
        .extracting(Event::message)
        .containsExactly("event 4", "event 3", "event 2");
  }

  @Test
  void listeners_see_every_recorded_event() {
    EventLog log = new EventLog(clock, 3);
    List<Event> seen = new ArrayList<>();
    log.subscribe(seen::add);

    log.record("T", Severity.INFO, null, "x");
    log.record("T", Severity.INFO, null, "x");

    assertThat(seen).extracting(Event::count).containsExactly(1, 2);
    assertThat(seen).extracting(Event::id).containsOnly(seen.get(0).id());
  }
}
