package dev.flinksupervisor.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinksupervisor.supervision.Event;
import dev.flinksupervisor.supervision.EventLog;
import dev.flinksupervisor.supervision.Severity;
import dev.flinksupervisor.testing.MutableClock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class LedgerKeeperTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

  @Test
  void events_survive_a_restart_through_the_ledger() throws Exception {
    InMemoryLedger ledger = new InMemoryLedger(100_000);
    EventLog before = new EventLog(clock, 100);
    LedgerKeeper keeper = new LedgerKeeper(ledger, List.of(before), () -> true);
    before.record("A", Severity.INFO, null, "first");
    before.record("B", Severity.ERROR, "job", "second");
    before.record("B", Severity.ERROR, "job", "second");
    assertThat(keeper.flush()).isTrue();

    EventLog after = new EventLog(clock, 100);
    new LedgerKeeper(ledger, List.of(after), () -> true).restore();
    after.record("C", Severity.INFO, null, "third");

    assertThat(after.query(null, null))
        .extracting(Event::message, Event::count)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("third", 1),
            org.assertj.core.groups.Tuple.tuple("second", 2),
            org.assertj.core.groups.Tuple.tuple("first", 1));
    assertThat(after.query(null, null).get(0).id())
        .as("ids continue after the restored ones")
        .isGreaterThan(after.query(null, null).get(1).id());
  }

  @Test
  void nothing_is_written_without_a_change_or_while_standby() throws Exception {
    InMemoryLedger ledger = new InMemoryLedger(100_000);
    EventLog events = new EventLog(clock, 100);
    AtomicBoolean active = new AtomicBoolean(false);
    LedgerKeeper keeper = new LedgerKeeper(ledger, List.of(events), active::get);

    events.record("A", Severity.INFO, null, "x");
    assertThat(keeper.flush()).as("standby does not write").isFalse();
    assertThat(ledger.read()).isEmpty();

    active.set(true);
    assertThat(keeper.flush()).isTrue();
    assertThat(keeper.flush()).as("no change, no write").isFalse();
  }

  @Test
  void the_oldest_events_are_dropped_so_the_record_fits_the_ledger() throws Exception {
    InMemoryLedger ledger = new InMemoryLedger(2_000);
    EventLog events = new EventLog(clock, 1_000);
    for (int i = 0; i < 100; i++) {
      events.record("T", Severity.INFO, null, "event number " + i);
    }
    new LedgerKeeper(ledger, List.of(events), () -> true).flush();

    EventLog restored = new EventLog(clock, 1_000);
    new LedgerKeeper(ledger, List.of(restored), () -> true).restore();

    List<Event> kept = restored.query(null, null);
    assertThat(Ledgers.sizeOf(ledger.read())).isLessThanOrEqualTo(2_000);
    assertThat(kept).isNotEmpty().hasSizeLessThan(100);
    assertThat(kept.get(0).message()).isEqualTo("event number 99");
  }

  @Test
  void an_unreadable_section_is_ignored_not_fatal() throws Exception {
    InMemoryLedger ledger = new InMemoryLedger(100_000);
    ledger.write(java.util.Map.of("events.json", "{not json"));
    EventLog events = new EventLog(clock, 10);

    new LedgerKeeper(ledger, List.of(events), () -> true).restore();

    assertThat(events.query(null, null)).isEmpty();
  }
}
