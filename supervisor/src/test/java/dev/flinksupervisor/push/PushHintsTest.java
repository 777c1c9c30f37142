package dev.flinksupervisor.push;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinksupervisor.supervision.Event;
import dev.flinksupervisor.supervision.EventLog;
import dev.flinksupervisor.supervision.EventTypes;
import dev.flinksupervisor.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PushHintsTest {
  private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

  private final MutableClock clock = new MutableClock(NOW);
  private final EventLog events = new EventLog(clock, 100);
  private final RecordingTargets targets = new RecordingTargets();
  private final List<String> calls = targets.calls;
  private final List<Duration> lags = new ArrayList<>();
  private final PushHints hints =
      new PushHints(
          targets,
          events,
          new PushObserver() {
            @Override
            public void received(String eventName, Duration lag) {
              lags.add(lag);
            }

            @Override
            public void reported(
                String reporter, long dropped, long failedBatches, PushBatch.Cost cost) {}
          },
          clock);

  private static PushBatch.Event event(String name, long at, Map<String, String> attributes) {
    return new PushBatch.Event(name, at, "job-1", "orders", attributes);
  }

  private static PushBatch batch(long dropped, PushBatch.Event... events) {
    return batch("jm-0", "instance-1", dropped, events);
  }

  private static PushBatch batch(
      String reporter, String instance, long dropped, PushBatch.Event... events) {
    return new PushBatch(reporter, instance, NOW.toEpochMilli(), dropped, 0, null, List.of(events));
  }

  @Test
  void status_changes_make_one_poll_however_many_arrive_together() {
    long at = NOW.toEpochMilli() - 7;
    hints.accept(
        batch(
            0,
            event("JobStatusChangeEvent", at, Map.of("newJobStatus", "RESTARTING")),
            event("JobStatusChangeEvent", at, Map.of("newJobStatus", "RUNNING"))));

    assertThat(calls).containsExactly("poll");
    assertThat(lags).containsExactly(Duration.ofMillis(7), Duration.ofMillis(7));
  }

  @Test
  void a_failure_is_announced_with_its_time_so_that_its_exceptions_are_read() {
    hints.accept(
        batch(
            0,
            event("JobFailureEvent", 1234, Map.of("failureLabel.category", "KAFKA")),
            new PushBatch.Event("JobFailureEvent", 99, null, null, Map.of())));

    assertThat(calls).containsExactly("failure job-1 at 1234");
  }

  @Test
  void a_savepoint_makes_the_tracker_look_and_a_checkpoint_changes_nothing() {
    hints.accept(
        batch(
            0,
            event(
                "CheckpointEvent",
                1,
                Map.of("checkpointType", "Checkpoint", "checkpointStatus", "COMPLETED"))));
    assertThat(calls).isEmpty();

    hints.accept(
        batch(
            0,
            event(
                "CheckpointEvent",
                1,
                Map.of("checkpointType", "Terminate Savepoint", "checkpointStatus", "COMPLETED"))));
    assertThat(calls).containsExactly("savepoints", "poll");
  }

  @Test
  void unknown_events_are_ignored() {
    hints.accept(batch(0, event("AllSubtasksStatusChangeEvent", 1, Map.of())));
    assertThat(calls).isEmpty();
  }

  @Test
  void the_first_batch_and_every_growth_of_the_drop_count_become_events() {
    hints.accept(batch(0));
    hints.accept(batch(0));
    hints.accept(batch(5));
    hints.accept(batch(5));

    List<Event> newestFirst = events.query(null, null);
    assertThat(newestFirst.stream().map(Event::type))
        .containsExactly(EventTypes.PUSH_EVENTS_DROPPED, EventTypes.PUSH_STARTED);
    assertThat(newestFirst.get(0).message()).contains("dropped 5 events");
  }

  @Test
  void an_event_without_a_name_is_counted_as_other_and_changes_nothing() {
    hints.accept(batch(0, new PushBatch.Event(null, 1, "job-1", null, null)));

    assertThat(calls).isEmpty();
    assertThat(events.query(null, null))
        .extracting(Event::type)
        .containsExactly(EventTypes.PUSH_STARTED);
  }

  @Test
  void a_restarted_jobmanager_is_a_new_source_whose_counts_start_again() {
    hints.accept(batch("jm-0", "first-start", 7));
    hints.accept(batch("jm-0", "second-start", 2));

    List<Event> newestFirst = events.query(null, null);
    assertThat(newestFirst)
        .extracting(Event::type)
        .containsExactly(EventTypes.PUSH_STARTED, EventTypes.PUSH_STARTED);
    assertThat(newestFirst.get(0).message()).contains("dropped 2 before");
  }
}
