package dev.flinksupervisor.store;

import java.util.Map;

/**
 * The sidecar's own record, kept outside its process so that it survives restarts: named sections
 * of JSON text (events, savepoints, owned jobs). Every write is conditional on the version last
 * read, so that a writer with a stale view never overwrites a newer record.
 */
public interface Ledger {

  /**
   * What the ledger holds and the version it has.
   *
   * @param version the version to make the next write conditional on; null when nothing was ever
   *     written
   */
  record Stored(Map<String, String> sections, String version) {
    public Stored {
      sections = Map.copyOf(sections);
    }

    public static final Stored EMPTY = new Stored(Map.of(), null);
  }

  /** The sections last written and their version; empty with a null version when none were. */
  Stored read() throws LedgerException;

  /**
   * Replaces all sections at once, if the ledger still has {@code expectedVersion} (null: only if
   * nothing was ever written).
   *
   * @return the new version
   * @throws LedgerConflict when the ledger holds another version: someone else wrote it
   */
  String write(Map<String, String> sections, String expectedVersion) throws LedgerException;

  /** The most a write may hold, in bytes of keys and section text. */
  int capacityBytes();

  /**
   * Where the record lives, for messages: for example {@code ConfigMap flink/orders-supervisor}.
   */
  String describe();
}
