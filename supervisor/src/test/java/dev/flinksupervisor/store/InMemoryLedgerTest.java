package dev.flinksupervisor.store;

class InMemoryLedgerTest extends LedgerContract {
  @Override
  protected Ledger ledger(int capacityBytes) {
    return new InMemoryLedger(capacityBytes);
  }
}
