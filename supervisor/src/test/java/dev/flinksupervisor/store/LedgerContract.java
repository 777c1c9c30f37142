package dev.flinksupervisor.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** What every {@link Ledger} must do; each implementation's test extends this. */
abstract class LedgerContract {

  /** A fresh, empty ledger with the given capacity. */
  protected abstract Ledger ledger(int capacityBytes) throws Exception;

  @Test
  void an_unwritten_ledger_reads_empty_with_no_version() throws Exception {
    Ledger.Stored stored = ledger(10_000).read();

    assertThat(stored.sections()).isEmpty();
    assertThat(stored.version()).isNull();
  }

  @Test
  void what_is_written_is_read_back_with_the_new_version() throws Exception {
    Ledger ledger = ledger(10_000);
    String version =
        ledger.write(Map.of("events.json", "[{\"a\":1}]", "savepoints.json", "{}"), null);

    Ledger.Stored stored = ledger.read();
    assertThat(stored.sections())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("events.json", "[{\"a\":1}]", "savepoints.json", "{}"));
    assertThat(stored.version()).isEqualTo(version);
  }

  @Test
  void a_write_replaces_every_section() throws Exception {
    Ledger ledger = ledger(10_000);
    String v1 = ledger.write(Map.of("a", "1", "b", "2"), null);
    ledger.write(Map.of("a", "3"), v1);

    assertThat(ledger.read().sections()).containsExactlyEntriesOf(Map.of("a", "3"));
  }

  @Test
  void a_write_based_on_an_old_version_is_refused_and_changes_nothing() throws Exception {
    Ledger ledger = ledger(10_000);
    String v1 = ledger.write(Map.of("a", "1"), null);
    ledger.write(Map.of("a", "2"), v1);

    assertThatThrownBy(() -> ledger.write(Map.of("a", "stale"), v1))
        .isInstanceOf(LedgerConflict.class);
    assertThatThrownBy(() -> ledger.write(Map.of("a", "blind"), null))
        .as("creating a record that exists is a conflict too")
        .isInstanceOf(LedgerConflict.class);
    assertThat(ledger.read().sections()).containsExactlyEntriesOf(Map.of("a", "2"));
  }

  @Test
  void a_write_over_capacity_is_refused_and_changes_nothing() throws Exception {
    Ledger ledger = ledger(100);
    String v1 = ledger.write(Map.of("a", "small"), null);

    assertThatThrownBy(() -> ledger.write(Map.of("a", "x".repeat(200)), v1))
        .isInstanceOf(LedgerException.class)
        .hasMessageContaining("at most 100");
    assertThat(ledger.read().sections()).containsExactlyEntriesOf(Map.of("a", "small"));
  }
}
