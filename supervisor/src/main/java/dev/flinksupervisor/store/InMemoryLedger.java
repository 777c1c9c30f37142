package dev.flinksupervisor.store;

import java.util.Map;

/** A {@link Ledger} in memory, with the same conditional writes: for tests. */
public final class InMemoryLedger implements Ledger {
  private final int capacityBytes;
  private Stored stored = Stored.EMPTY;
  private long versions;

  public InMemoryLedger(int capacityBytes) {
    this.capacityBytes = capacityBytes;
  }

  @Override
  public synchronized Stored read() {
    return stored;
  }

  @Override
  public synchronized String write(Map<String, String> next, String expectedVersion)
      throws LedgerException {
    Ledgers.checkSize(next, capacityBytes, describe());
    if (!java.util.Objects.equals(expectedVersion, stored.version())) {
      throw new LedgerConflict(
          "The record is at version "
              + stored.version()
              + ", not "
              + expectedVersion
              + "; it was written by someone else",
          null);
    }
    stored = new Stored(next, String.valueOf(++versions));
    return stored.version();
  }

  @Override
  public int capacityBytes() {
    return capacityBytes;
  }

  @Override
  public String describe() {
    return "the in-memory record";
  }
}
