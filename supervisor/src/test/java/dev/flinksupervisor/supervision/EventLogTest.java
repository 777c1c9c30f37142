package dev.flinksupervisor.supervision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
  void a_subscriber_gets_the_backlog_then_live_events_in_order_without_duplicates()
      throws Exception {
    EventLog log = new EventLog(clock, 10);
    log.record("T", Severity.INFO, null, "old");
    clock.advance(Duration.ofSeconds(1));
    log.record("T", Severity.INFO, "j", "backlog");

    EventSubscription sub = log.subscribe(null, Instant.parse("2026-01-01T00:00:01Z"), 10, 5);
    log.record("T", Severity.INFO, null, "live");
    log.record("T", Severity.INFO, null, "live");

    List<Event> seen = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      seen.add(sub.next(Duration.ofMillis(10)).orElseThrow());
    }
    assertThat(seen).extracting(Event::message).containsExactly("backlog", "live", "live");
    assertThat(seen).extracting(Event::count).containsExactly(1, 1, 2);
    assertThat(sub.next(Duration.ofMillis(10))).isEmpty();
  }

  @Test
  void a_subscriber_that_falls_behind_is_dropped_and_never_blocks_recording() throws Exception {
    EventLog log = new EventLog(clock, 100);
    EventSubscription slow = log.subscribe(null, null, 3, 5);
    EventSubscription other = log.subscribe("j", null, 100, 5);

    for (int i = 0; i < 10; i++) {
      log.record("T", Severity.INFO, "j", "event " + i);
    }

    assertThat(slow.dropped()).hasValueSatisfying(r -> assertThat(r).contains("3 events behind"));
    assertThat(slow.next(Duration.ofMillis(10))).isEmpty();
    assertThat(other.next(Duration.ofMillis(10))).map(Event::message).contains("event 0");
    assertThat(log.subscriptions()).isEqualTo(1);
  }

  @Test
  void subscribers_are_capped() {
    EventLog log = new EventLog(clock, 10);
    EventSubscription first = log.subscribe(null, null, 10, 1);

    assertThatThrownBy(() -> log.subscribe(null, null, 10, 1))
        .isInstanceOf(EventLog.TooManySubscriptions.class);
    first.close();
    assertThat(log.subscribe(null, null, 10, 1)).isNotNull();
  }
}
