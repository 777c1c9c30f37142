package dev.flinksupervisor.store;

/** How the sidecar's record stands, for the admin API: whether actions may start, and why not. */
public interface RecordState {

  LedgerKeeper.Status status();

  /** Whether this sidecar read and merged its record in its current ACTIVE term. */
  boolean canAct();
}
