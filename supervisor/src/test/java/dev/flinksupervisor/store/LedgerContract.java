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
  void an_unwritten_ledger_reads_empty() throws Exception {
    assertThat(ledger(10_000).read()).isEmpty();
  }

  @Test
  void what_is_written_is_read_back() throws Exception {
    Ledger ledger = ledger(10_000);
    ledger.write(Map.of("events.json", "[{\"a\":1}]", "savepoints.json", "{}"));

    assertThat(ledger.read())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("events.json", "[{\"a\":1}]", "savepoints.json", "{}"));
  }

  @Test
  void a_write_replaces_every_section() throws Exception {
    Ledger ledger = ledger(10_000);
    ledger.write(Map.of("a", "1", "b", "2"));
    ledger.write(Map.of("a", "3"));

    assertThat(ledger.read()).containsExactlyEntriesOf(Map.of("a", "3"));
  }

  @Test
  void a_write_over_capacity_is_refused_and_changes_nothing() throws Exception {
    Ledger ledger = ledger(100);
    ledger.write(Map.of("a", "small"));

    assertThatThrownBy(() -> ledger.write(Map.of("a", "x".repeat(200))))
        .isInstanceOf(LedgerException.class)
        .hasMessageContaining("at most 100");
    assertThat(ledger.read()).containsExactlyEntriesOf(Map.of("a", "small"));
  }
}
