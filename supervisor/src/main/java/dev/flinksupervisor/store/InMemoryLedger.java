package dev.flinksupervisor.store;

import java.util.Map;

/** A {@link Ledger} in memory: for tests and for a sidecar that need not survive restarts. */
public final class InMemoryLedger implements Ledger {
  private final int capacityBytes;
  private volatile Map<String, String> sections = Map.of();

  public InMemoryLedger(int capacityBytes) {
    this.capacityBytes = capacityBytes;
  }

  @Override
  public Map<String, String> read() {
    return sections;
  }

  @Override
  public void write(Map<String, String> next) throws LedgerException {
    Ledgers.checkSize(next, capacityBytes, "the in-memory ledger");
    sections = Map.copyOf(next);
  }

  @Override
  public int capacityBytes() {
    return capacityBytes;
  }
}
