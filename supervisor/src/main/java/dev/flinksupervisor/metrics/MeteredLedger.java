package dev.flinksupervisor.metrics;

import dev.flinksupervisor.store.Ledger;
import dev.flinksupervisor.store.LedgerException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;

/** Counts failed reads and writes of the sidecar's record on the Kubernetes API. */
public final class MeteredLedger implements Ledger {
  private final Ledger delegate;
  private final Counter readErrors;
  private final Counter writeErrors;

  public MeteredLedger(Ledger delegate, MeterRegistry registry) {
    this.delegate = delegate;
    this.readErrors = errors(registry, "ledger_read");
    this.writeErrors = errors(registry, "ledger_write");
  }

  static Counter errors(MeterRegistry registry, String operation) {
    return Counter.builder("flink.supervisor.kubernetes.errors")
        .description("Failed calls to the Kubernetes API")
        .tag("operation", operation)
        .register(registry);
  }

  @Override
  public Map<String, String> read() throws LedgerException {
    try {
      return delegate.read();
    } catch (LedgerException e) {
      readErrors.increment();
      throw e;
    }
  }

  @Override
  public void write(Map<String, String> sections) throws LedgerException {
    try {
      delegate.write(sections);
    } catch (LedgerException e) {
      writeErrors.increment();
      throw e;
    }
  }

  @Override
  public int capacityBytes() {
    return delegate.capacityBytes();
  }
}
