package dev.flinksupervisor.store;

import java.util.Map;

/**
 * The sidecar's own record, kept outside its process so that it survives restarts: named sections
 * of JSON text (events, savepoints, owned jobs). Only the ACTIVE sidecar writes it.
 */
public interface Ledger {

  /** The sections last written; empty when nothing was ever written. */
  Map<String, String> read() throws LedgerException;

  /** Replaces all sections at once. */
  void write(Map<String, String> sections) throws LedgerException;

  /** The most a write may hold, in bytes of section text. */
  int capacityBytes();
}
