package dev.flinksupervisor.testing;

import dev.flinksupervisor.store.InMemoryLedger;
import dev.flinksupervisor.store.Ledger;
import dev.flinksupervisor.store.LedgerException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A ledger over a shared {@link InMemoryLedger} that fails the reads and writes it is told to, as
 * an API server that answers 503 would. Several of them over one store are several sidecars.
 */
public final class FaultyLedger implements Ledger {
  private final InMemoryLedger store;
  public final AtomicInteger failReads = new AtomicInteger();
  public final AtomicInteger failWrites = new AtomicInteger();
  public final AtomicInteger writes = new AtomicInteger();

  public FaultyLedger(InMemoryLedger store) {
    this.store = store;
  }

  @Override
  public Stored read() throws LedgerException {
    if (failReads.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      throw new LedgerException("Cannot read the record: HTTP 503 Service Unavailable");
    }
    return store.read();
  }

  @Override
  public String write(Map<String, String> sections, String expectedVersion) throws LedgerException {
    if (failWrites.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      throw new LedgerException("Cannot write the record: HTTP 503 Service Unavailable");
    }
    String version = store.write(sections, expectedVersion);
    writes.incrementAndGet();
    return version;
  }

  @Override
  public int capacityBytes() {
    return store.capacityBytes();
  }

  @Override
  public String describe() {
    return "the test record";
  }
}
