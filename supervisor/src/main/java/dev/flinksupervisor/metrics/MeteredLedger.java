package dev.flinksupervisor.metrics;

import dev.flinksupervisor.store.Ledger;
import dev.flinksupervisor.store.LedgerConflict;
import dev.flinksupervisor.store.LedgerException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;

/**
 * Counts failed reads and writes of the sidecar's record on the Kubernetes API, and the writes
 * refused because someone else wrote the record first.
 */
public final class MeteredLedger implements Ledger {
  private final Ledger delegate;
  private final Counter readErrors;
  private final Counter writeErrors;
  private final Counter conflicts;

  public MeteredLedger(Ledger delegate, MeterRegistry registry) {
    this.delegate = delegate;
    this.readErrors = errors(registry, "ledger_read");
    this.writeErrors = errors(registry, "ledger_write");
    this.conflicts =
        Counter.builder("flink.supervisor.record.conflicts")
            .description(
                "Writes of the sidecar's record refused because it changed since it was read")
            .register(registry);
  }

  static Counter errors(MeterRegistry registry, String operation) {
    return Counter.builder("flink.supervisor.kubernetes.errors")
        .description("Failed calls to the Kubernetes API")
        .tag("operation", operation)
        .register(registry);
  }

  @Override
  public Stored read() throws LedgerException {
    try {
      return delegate.read();
    } catch (LedgerException e) {
      readErrors.increment();
      throw e;
    }
  }

  @Override
  public String write(Map<String, String> sections, String expectedVersion) throws LedgerException {
    try {
      return delegate.write(sections, expectedVersion);
    } catch (LedgerConflict e) {
      conflicts.increment();
      throw e;
    } catch (LedgerException e) {
      writeErrors.increment();
      throw e;
    }
  }

  @Override
  public int capacityBytes() {
    return delegate.capacityBytes();
  }

  @Override
  public String describe() {
    return delegate.describe();
  }
}
