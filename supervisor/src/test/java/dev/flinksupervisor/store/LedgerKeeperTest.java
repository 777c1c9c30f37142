package dev.flinksupervisor.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flinksupervisor.flink.FlinkSavepoints.Format;
import dev.flinksupervisor.savepoints.SavepointBook;
import dev.flinksupervisor.savepoints.SavepointOrigin;
import dev.flinksupervisor.savepoints.SavepointRecord;
import dev.flinksupervisor.savepoints.SavepointState;
import dev.flinksupervisor.supervision.Event;
import dev.flinksupervisor.supervision.EventLog;
import dev.flinksupervisor.supervision.EventTypes;
import dev.flinksupervisor.supervision.RecordEvents;
import dev.flinksupervisor.supervision.Severity;
import dev.flinksupervisor.testing.FaultyLedger;
import dev.flinksupervisor.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LedgerKeeperTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final InMemoryLedger store = new InMemoryLedger(100_000);

  /** One sidecar: its sections over the shared store, ACTIVE in {@code term} (-1: standby). */
  private final class Sidecar {
    final FaultyLedger ledger = new FaultyLedger(store);
    final SavepointBook book = new SavepointBook();
    final EventLog events = new EventLog(clock, 100);
    final AtomicLong term = new AtomicLong(1);
    final LedgerKeeper keeper =
        new LedgerKeeper(
            ledger,
            List.of(book, events),
            term::get,
            new RecordEvents(events),
            clock,
            Duration.ofSeconds(1));
  }

  private static SavepointRecord record(String id, SavepointState state, Instant at) {
    return new SavepointRecord(
        id,
        "job-" + id,
        "trigger-" + id,
        state,
        SavepointOrigin.MANUAL,
        null,
        Format.CANONICAL,
        false,
        at,
        null,
        null,
        null,
        null,
        0,
        null,
        false,
        null);
  }

  @Test
  void events_survive_a_restart_through_the_ledger() {
    Sidecar before = new Sidecar();
    before.keeper.step();
    before.events.record("A", Severity.INFO, null, "first");
    before.events.record("B", Severity.ERROR, "job", "second");
    before.events.record("B", Severity.ERROR, "job", "second");
    before.keeper.step();

    Sidecar after = new Sidecar();
    after.keeper.step();
    after.events.record("C", Severity.INFO, null, "third");

    assertThat(after.events.query(null, null))
        .extracting(Event::message, Event::count)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("third", 1),
            org.assertj.core.groups.Tuple.tuple("second", 2),
            org.assertj.core.groups.Tuple.tuple("first", 1));
    assertThat(after.events.query(null, null).get(0).id())
        .as("ids continue after the restored ones")
        .isGreaterThan(after.events.query(null, null).get(1).id());
  }

  @Test
  void a_standby_sidecar_writes_nothing_and_no_change_means_no_write() {
    Sidecar sidecar = new Sidecar();
    sidecar.term.set(-1);
    sidecar.keeper.step();
    sidecar.events.record("A", Severity.INFO, null, "x");
    sidecar.keeper.step();
    assertThat(store.read().sections()).isEmpty();
    assertThat(sidecar.keeper.canAct()).isFalse();

    sidecar.term.set(2);
    sidecar.keeper.step();
    assertThat(sidecar.ledger.writes.get()).isEqualTo(1);
    sidecar.keeper.step();
    assertThat(sidecar.ledger.writes.get()).as("no change, no write").isEqualTo(1);
  }

  @Test
  void a_record_that_cannot_be_read_at_start_is_never_overwritten_and_nobody_acts() {
    Sidecar earlier = new Sidecar();
    earlier.keeper.step();
    earlier.book.put(record("a", SavepointState.COMPLETED, clock.instant()));
    earlier.events.record("T", Severity.INFO, null, "from before");
    earlier.keeper.step();

    Sidecar sidecar = new Sidecar();
    sidecar.ledger.failReads.set(3);
    sidecar.events.record("T", Severity.INFO, null, "recorded while the API was down");
    for (int i = 0; i < 3; i++) {
      sidecar.keeper.step();
      assertThat(sidecar.keeper.canAct()).isFalse();
      assertThat(sidecar.keeper.status().problem())
          .hasValueSatisfying(p -> assertThat(p).contains("HTTP 503"));
      assertThatThrownBy(sidecar.keeper::recordNow).isInstanceOf(RecordUnavailable.class);
    }
    assertThat(sidecar.ledger.writes.get()).as("no write before a read").isZero();

    sidecar.keeper.step();

    assertThat(sidecar.keeper.canAct()).isTrue();
    assertThat(sidecar.book.get("a")).as("the stored savepoint is known").isPresent();
    Sidecar reader = new Sidecar();
    reader.keeper.step();
    assertThat(reader.book.get("a")).as("and still stored").isPresent();
    assertThat(reader.events.query(null, null))
        .extracting(Event::message)
        .contains("from before", "recorded while the API was down");
    assertThat(reader.events.query(null, null))
        .extracting(Event::type)
        .contains(EventTypes.RECORD_UNREADABLE, EventTypes.RECORD_READ);
  }

  @Test
  void a_section_that_cannot_be_parsed_is_kept_aside_and_reported_while_the_rest_works()
      throws Exception {
    store.write(Map.of("savepoints.json", "{not json", "events.json", "[]"), null);
    Sidecar sidecar = new Sidecar();

    sidecar.keeper.step();
    sidecar.book.put(record("b", SavepointState.COMPLETED, clock.instant()));
    sidecar.keeper.step();

    Map<String, String> stored = store.read().sections();
    String aside =
        stored.keySet().stream()
            .filter(k -> k.startsWith("savepoints.json.unreadable-") && !k.endsWith(".reason"))
            .findFirst()
            .orElseThrow();
    assertThat(stored.get(aside)).as("kept exactly as it was").isEqualTo("{not json");
    assertThat(stored.get(aside + ".reason")).isNotBlank();
    assertThat(stored.get("savepoints.json")).contains("\"b\"");
    assertThat(sidecar.keeper.status().quarantined()).containsExactly(aside);
    assertThat(sidecar.events.query(null, null))
        .extracting(Event::type)
        .contains(EventTypes.RECORD_SECTION_QUARANTINED);

    sidecar.keeper.step();
    sidecar.book.put(record("c", SavepointState.COMPLETED, clock.instant()));
    sidecar.keeper.step();
    assertThat(store.read().sections().get(aside))
        .as("later writes keep it")
        .isEqualTo("{not json");
  }

  @Test
  void keys_the_sidecar_does_not_know_are_kept() throws Exception {
    store.write(Map.of("future-section.json", "{\"x\":1}"), null);
    Sidecar sidecar = new Sidecar();
    sidecar.keeper.step();
    sidecar.events.record("T", Severity.INFO, null, "x");
    sidecar.keeper.step();

    assertThat(store.read().sections()).containsEntry("future-section.json", "{\"x\":1}");
  }

  @Test
  void two_active_sidecars_writing_at_once_keep_each_others_savepoints() {
    Sidecar a = new Sidecar();
    Sidecar b = new Sidecar();
    a.keeper.step();
    b.keeper.step();

    a.book.put(record("from-a", SavepointState.TRIGGER_PENDING, clock.instant()));
    b.book.put(record("from-b", SavepointState.TRIGGER_PENDING, clock.instant()));
    a.keeper.step();
    b.keeper.step(); // conflicts with a's write: reads, merges, writes again
    a.book.update("from-a", r -> r.triggered(clock.instant()));
    a.keeper.step(); // conflicts with b's write

    Sidecar reader = new Sidecar();
    reader.keeper.step();
    assertThat(reader.book.all())
        .extracting(SavepointRecord::id)
        .containsExactlyInAnyOrder("from-a", "from-b");
    assertThat(reader.book.get("from-a").orElseThrow().state())
        .isEqualTo(SavepointState.IN_PROGRESS);
    assertThat(a.book.get("from-b")).as("each learns of the other's").isPresent();
    assertThat(b.keeper.status().conflicts()).isEqualTo(1);
  }

  @Test
  void a_record_both_changed_keeps_the_version_further_along() {
    Sidecar a = new Sidecar();
    a.keeper.step();
    a.book.put(record("s", SavepointState.TRIGGER_PENDING, clock.instant()));
    a.keeper.step();
    Sidecar b = new Sidecar();
    b.keeper.step();

    a.book.update("s", r -> r.triggered(clock.instant()));
    a.book.update("s", r -> r.completed("file:/sp", clock.instant()));
    a.keeper.step();
    b.book.update("s", r -> r.triggered(clock.instant()));
    b.keeper.step();

    Sidecar reader = new Sidecar();
    reader.keeper.step();
    assertThat(reader.book.get("s").orElseThrow().state()).isEqualTo(SavepointState.COMPLETED);
  }

  @Test
  void a_sidecar_that_takes_over_reads_first_and_never_writes_its_stale_view() {
    Sidecar old = new Sidecar();
    Sidecar standby = new Sidecar();
    standby.term.set(-1);
    old.keeper.step();
    standby.keeper.step();

    old.book.put(record("taken-by-the-old-active", SavepointState.IN_PROGRESS, clock.instant()));
    old.keeper.step();
    standby.term.set(7); // the leader moved: the standby is ACTIVE now
    assertThat(standby.keeper.canAct()).as("not before it read the record").isFalse();

    standby.keeper.step();

    assertThat(standby.keeper.canAct()).isTrue();
    assertThat(standby.book.inFlight())
        .extracting(SavepointRecord::id)
        .containsExactly("taken-by-the-old-active");
    Sidecar reader = new Sidecar();
    reader.keeper.step();
    assertThat(reader.book.get("taken-by-the-old-active")).isPresent();
  }

  @Test
  void a_write_that_fails_fails_who_waits_for_it_and_is_retried() throws Exception {
    Sidecar sidecar = new Sidecar();
    sidecar.keeper.step();
    sidecar.book.put(record("x", SavepointState.TRIGGER_PENDING, clock.instant()));
    sidecar.ledger.failWrites.set(1);

    CompletableFuture<Void> stored = sidecar.keeper.persist();
    sidecar.keeper.step();

    assertThat(stored).isCompletedExceptionally();
    assertThat(sidecar.events.query(null, null))
        .extracting(Event::type)
        .contains(EventTypes.RECORD_WRITE_FAILED);
    CompletableFuture<Void> again = sidecar.keeper.persist();
    sidecar.keeper.step();
    assertThat(again).isCompleted().isNotCompletedExceptionally();
    assertThat(store.read().sections().get("savepoints.json")).contains("\"x\"");
  }

  @Test
  void history_is_shed_to_fit_and_a_record_that_still_cannot_fit_is_reported() throws Exception {
    InMemoryLedger small = new InMemoryLedger(40_000);
    SavepointBook book = new SavepointBook();
    EventLog events = new EventLog(clock, 1000);
    LedgerKeeper keeper =
        new LedgerKeeper(
            small,
            List.of(book, events),
            () -> 1,
            new RecordEvents(events),
            clock,
            Duration.ofSeconds(1));
    keeper.step();
    for (int i = 0; i < 200; i++) {
      clock.advance(Duration.ofMinutes(1));
      String id = String.format("%04d", i);
      book.put(record(id, SavepointState.TRIGGER_PENDING, clock.instant()));
      book.update(id, r -> r.ended(SavepointState.FAILED, "disk full", clock.instant()));
    }
    keeper.step();

    assertThat(keeper.status().overBudget()).isFalse();
    assertThat(Ledgers.sizeOf(small.read().sections())).isLessThanOrEqualTo(40_000);
    assertThat(book.all()).as("the oldest history went").hasSizeLessThan(200);
    assertThat(book.get("0199")).as("the newest stays").isPresent();

    for (int i = 0; i < 200; i++) {
      book.put(record("live-" + i, SavepointState.IN_PROGRESS, clock.instant()));
    }
    keeper.step();

    assertThat(keeper.status().overBudget()).isTrue();
    assertThat(keeper.status().problem()).hasValueSatisfying(p -> assertThat(p).contains("40000"));
    assertThat(events.query(null, null))
        .extracting(Event::type)
        .contains(EventTypes.RECORD_OVER_BUDGET);
    assertThat(book.all()).as("live records are never shed").hasSizeGreaterThanOrEqualTo(200);
  }
}
