package dev.flinksupervisor.store;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the {@link Ledger} in step with the sections: restores them at start, writes them after
 * every change (at most once per flush interval, or at once on {@link #flush()}), and only while
 * this sidecar may write. When the record would exceed the ledger's capacity, sections shed their
 * oldest entries to fit.
 */
public final class LedgerKeeper implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LedgerKeeper.class);

  private final Ledger ledger;
  private final List<LedgerSection> sections;
  private final BooleanSupplier mayWrite;
  private final Map<String, Long> writtenVersions = new HashMap<>();
  private ScheduledFuture<?> task;

  public LedgerKeeper(Ledger ledger, List<LedgerSection> sections, BooleanSupplier mayWrite) {
    this.ledger = ledger;
    this.sections = List.copyOf(sections);
    this.mayWrite = mayWrite;
  }

  /** Restores every section the ledger holds; a section that cannot be read is left empty. */
  public synchronized void restore() throws LedgerException {
    Map<String, String> stored = ledger.read();
    for (LedgerSection section : sections) {
      String json = stored.get(section.key());
      if (json == null) {
        continue;
      }
      try {
        section.restore(json);
        writtenVersions.put(section.key(), section.version());
      } catch (Exception e) {
        LOG.error(
            "The ledger's section '{}' cannot be read and is ignored: {}",
            section.key(),
            e.toString());
      }
    }
  }

  /** Replaces one section with what the ledger holds now; failures are logged. */
  public synchronized void restoreQuietly(LedgerSection section) {
    try {
      String json = ledger.read().get(section.key());
      if (json != null) {
        section.restore(json);
        writtenVersions.put(section.key(), section.version());
      }
    } catch (Exception e) {
      LOG.warn("Reading the ledger's section '{}' failed: {}", section.key(), e.toString());
    }
  }

  public synchronized void start(ScheduledExecutorService executor, Duration interval) {
    task =
        executor.scheduleWithFixedDelay(
            this::flushQuietly, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Writes now if anything changed; a failure is logged and retried at the next flush. */
  public void flushQuietly() {
    try {
      flush();
    } catch (LedgerException e) {
      LOG.warn("Writing the ledger failed; retrying at the next flush: {}", e.getMessage());
    } catch (RuntimeException e) {
      LOG.error("Writing the ledger failed unexpectedly", e);
    }
  }

  /**
   * Writes the sections now if any changed since the last write and this sidecar may write.
   *
   * @return whether a write happened
   */
  public synchronized boolean flush() throws LedgerException {
    if (!mayWrite.getAsBoolean()) {
      return false;
    }
    Map<String, Long> versions = new HashMap<>();
    boolean changed = false;
    for (LedgerSection section : sections) {
      long version = section.version();
      versions.put(section.key(), version);
      changed |= !Long.valueOf(version).equals(writtenVersions.get(section.key()));
    }
    if (!changed) {
      return false;
    }
    ledger.write(exportWithin(ledger.capacityBytes()));
    writtenVersions.putAll(versions);
    return true;
  }

  /** Exports every section, giving the last section (the one that can shed) what is left. */
  private Map<String, String> exportWithin(int capacity) {
    Map<String, String> out = new LinkedHashMap<>();
    int used = 0;
    for (int i = 0; i < sections.size(); i++) {
      LedgerSection section = sections.get(i);
      int budget = capacity - used - section.key().length();
      String json = section.export(Math.max(0, budget));
      out.put(section.key(), json);
      used += section.key().length() + json.getBytes(StandardCharsets.UTF_8).length;
    }
    return out;
  }

  @Override
  public synchronized void close() {
    if (task != null) {
      task.cancel(false);
      task = null;
    }
    flushQuietly();
  }
}
