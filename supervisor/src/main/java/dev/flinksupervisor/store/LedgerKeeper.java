package dev.flinksupervisor.store;

import dev.flinksupervisor.util.Failures;
import dev.flinksupervisor.util.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the {@link Ledger} and the sections in step, on a thread of its own:
 *
 * <ul>
 *   <li>nothing is written before the record was read once; until then reads are retried with
 *       backoff and nobody may act ({@link #canAct()});
 *   <li>every write is conditional on the version last read; on a conflict the record is read
 *       again, merged entity by entity, and written again, unless this sidecar stepped down;
 *   <li>a sidecar that becomes ACTIVE reads the whole record and merges it before it may act;
 *   <li>a section that cannot be parsed is moved aside under a key of its own, never replaced; keys
 *       the sidecar does not know are kept as they are;
 *   <li>{@link #recordNow()} returns once the changes so far are stored, or fails: callers then do
 *       not act;
 *   <li>when the record would not fit, history is shed; if it still does not fit, that is reported
 *       and nothing is written.
 * </ul>
 */
public final class LedgerKeeper implements Recorder, RecordState, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LedgerKeeper.class);
  private static final int MAX_CONFLICT_RETRIES = 3;
  private static final int QUARANTINED_PER_SECTION = 3;
  private static final Duration STANDBY_READ_INTERVAL = Duration.ofSeconds(10);
  private static final Duration MAX_READ_BACKOFF = Duration.ofSeconds(30);
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  /**
   * How the record stands, for {@code /readyz}, {@code /api/v1/cluster} and metrics.
   *
   * @param loaded the record was read at least once
   * @param bytes the size of the last write (or of the record as read)
   * @param lastWrite when the last write succeeded
   * @param lastError the last failed read or write, when the last attempt failed
   * @param quarantined keys under which unreadable sections were moved aside
   */
  public record Status(
      String where,
      boolean loaded,
      boolean overBudget,
      int bytes,
      int capacity,
      Instant lastWrite,
      String lastError,
      List<String> quarantined,
      long conflicts,
      long writeFailures,
      boolean writeFailing) {

    /** Why the sidecar cannot keep its promises at the moment, if it cannot. */
    public Optional<String> problem() {
      if (!loaded) {
        return Optional.of(
            "The sidecar's record ("
                + where
                + ") has not been read yet"
                + (lastError == null ? "" : ": " + lastError));
      }
      if (writeFailing) {
        return Optional.of(
            "The sidecar's record ("
                + where
                + ") cannot be written: "
                + lastError
                + "; nothing new is started until it is");
      }
      if (overBudget) {
        return Optional.of(
            "The sidecar's record ("
                + where
                + ") needs "
                + bytes
                + " bytes, more than its "
                + capacity
                + " even after compaction; changes are not being saved");
      }
      return Optional.empty();
    }
  }

  private final Ledger ledger;
  private final List<LedgerSection> sections;
  private final LongSupplier activeTerm;
  private final RecordObserver observer;
  private final Clock clock;
  private final Duration writeTimeout;

  private final Object stepLock = new Object();

  // Touched only by the thread that runs step(), under stepLock.
  private Instant lastRead;
  private String version;
  private Map<String, String> extras = new LinkedHashMap<>();

  /** The text of each section as last written; reused while the section has not changed. */
  private final Map<String, String> written = new java.util.HashMap<>();

  private boolean forceWrite;
  private int readFailures;
  private boolean writeFailing;
  private int lastBytes;
  private Instant lastWrite;
  private String lastError;
  private long conflicts;
  private long writeFailures;
  private boolean overBudget;

  private volatile boolean loaded;
  private volatile long readyTerm = -1;
  private volatile Status status;
  private final AtomicLong tickets = new AtomicLong();
  private final List<Waiter> waiters = new ArrayList<>();
  private Ticker ticker;
  private Duration flushInterval = Duration.ofSeconds(1);

  private record Waiter(long ticket, CompletableFuture<Void> done) {}

  /**
   * @param activeTerm the current ACTIVE term of this sidecar (a number that changes whenever its
   *     role does), or a negative number while it is not ACTIVE and may not write
   * @param writeTimeout how long {@link #recordNow()} waits for a write
   */
  public LedgerKeeper(
      Ledger ledger,
      List<LedgerSection> sections,
      LongSupplier activeTerm,
      RecordObserver observer,
      Clock clock,
      Duration writeTimeout) {
    this.ledger = ledger;
    this.sections = List.copyOf(sections);
    this.activeTerm = activeTerm;
    this.observer = observer;
    this.clock = clock;
    this.writeTimeout = writeTimeout;
    publishStatus();
  }

  /** Starts the keeper's thread: the first read at once, then a step every {@code interval}. */
  public synchronized void start(Duration interval) {
    this.flushInterval = interval;
    ticker = Ticker.onOwnThread("record", this::step, this::nextDelay);
    ticker.start(Duration.ZERO);
  }

  private Duration nextDelay() {
    if (!loaded && readFailures > 0) {
      long millis = 1000L << Math.min(readFailures - 1, 5);
      return Duration.ofMillis(Math.min(millis, MAX_READ_BACKOFF.toMillis()));
    }
    return flushInterval;
  }

  /** Runs a step now (after a role change, or when a caller waits for a write). */
  public void wake() {
    Ticker t;
    synchronized (this) {
      t = ticker;
    }
    if (t != null) {
      t.wake();
    }
  }

  /** Whether the record was read at least once. */
  public boolean loaded() {
    return loaded;
  }

  /**
   * Whether this sidecar may act now: it is ACTIVE, and it read and merged the record since it
   * became ACTIVE.
   */
  @Override
  public boolean mayAct() {
    return canAct();
  }

  @Override
  public boolean canAct() {
    long term = activeTerm.getAsLong();
    return term >= 0 && loaded && readyTerm == term;
  }

  @Override
  public Status status() {
    return status;
  }

  /** Asks for a write of the changes so far; completes when they are stored, or fails. */
  public CompletableFuture<Void> persist() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    synchronized (waiters) {
      waiters.add(new Waiter(tickets.incrementAndGet(), done));
    }
    wake();
    return done;
  }

  @Override
  public void recordNow() {
    if (!loaded) {
      throw new RecordUnavailable(
          status.problem().orElse("The sidecar's record has not been read yet"),
          Duration.ofSeconds(5));
    }
    try {
      persist().get(writeTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new RecordUnavailable(
          "Storing the sidecar's record ("
              + ledger.describe()
              + ") did not finish within "
              + writeTimeout,
          writeTimeout);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RecordUnavailable unavailable) {
        throw unavailable;
      }
      throw new RecordUnavailable(Failures.rootCause(e.getCause()), Duration.ofSeconds(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RecordUnavailable("Interrupted while storing the record", Duration.ofSeconds(5));
    }
  }

  /**
   * One step of the keeper: reads the record if it was never read, reads and merges it again when
   * this sidecar became ACTIVE since, then writes what changed. Called by one thread at a time: the
   * keeper's own, or a test's.
   */
  public void step() {
    synchronized (stepLock) {
      stepOnce();
    }
  }

  private void stepOnce() {
    try {
      long term = activeTerm.getAsLong();
      if (loaded
          && term < 0
          && (lastRead == null || !lastRead.plus(STANDBY_READ_INTERVAL).isAfter(clock.instant()))) {
        read(); // a standby keeps its view of the record fresh for reads and a quick takeover
      }
      if (!loaded) {
        if (!read()) {
          return;
        }
        loaded = true;
        if (term >= 0) {
          readyTerm = term;
        }
      } else if (term >= 0 && readyTerm != term) {
        if (!read()) {
          return;
        }
        readyTerm = term;
      }
      write(term);
    } catch (Throwable e) { // the keeper outlives whatever one step does
      LOG.error("Keeping the sidecar's record failed unexpectedly", e);
      failWaiters(tickets.get(), "Unexpected error: " + e);
    } finally {
      publishStatus();
    }
  }

  private boolean read() {
    Ledger.Stored stored;
    try {
      stored = ledger.read();
    } catch (LedgerException e) {
      readFailures++;
      lastError = e.getMessage();
      LOG.warn("Reading the sidecar's record failed ({} in a row): {}", readFailures, lastError);
      observer.readFailed(lastError, readFailures);
      failWaiters(tickets.get(), lastError);
      return false;
    }
    lastRead = clock.instant();
    if (loaded && stored.version() == null) {
      // The ConfigMap was deleted: it is written again from what this sidecar holds, never merged
      // with nothing (which would drop everything).
      LOG.warn("The sidecar's record ({}) is gone; writing it again", ledger.describe());
      version = null;
      written.clear();
      forceWrite = true;
    } else {
      absorb(stored);
    }
    if (readFailures > 0) {
      observer.readAfterFailures(readFailures);
      readFailures = 0;
    }
    lastError = null;
    return true;
  }

  /** Merges every section from what the ledger holds; keeps unknown and unreadable text aside. */
  private void absorb(Ledger.Stored stored) {
    Set<String> keys = new HashSet<>();
    sections.forEach(s -> keys.add(s.key()));
    Map<String, String> kept = new LinkedHashMap<>();
    stored
        .sections()
        .forEach(
            (k, v) -> {
              if (!keys.contains(k)) {
                kept.put(k, v);
              }
            });
    for (LedgerSection section : sections) {
      String text = stored.sections().get(section.key());
      try {
        section.merge(text);
      } catch (Exception e) {
        String reason = Failures.rootCause(e);
        String prefix = section.key() + ".unreadable-";
        boolean alreadyAside =
            kept.entrySet().stream()
                .anyMatch(x -> x.getKey().startsWith(prefix) && x.getValue().equals(text));
        if (!alreadyAside) {
          List<String> older =
              kept.keySet().stream()
                  .filter(k -> k.startsWith(prefix) && !k.endsWith(".reason"))
                  .sorted()
                  .toList();
          for (String oldest :
              older.subList(0, Math.max(0, older.size() - (QUARANTINED_PER_SECTION - 1)))) {
            LOG.error(
                "Dropping the oldest copy kept aside of section '{}' ({}): at most {} are kept",
                section.key(),
                oldest,
                QUARANTINED_PER_SECTION);
            kept.remove(oldest);
            kept.remove(oldest + ".reason");
          }
          String aside = prefix + STAMP.format(clock.instant());
          kept.put(aside, text);
          kept.put(aside + ".reason", reason);
          LOG.error(
              "The record's section '{}' cannot be read ({}); it is kept under '{}' and the"
                  + " section starts from what this sidecar holds",
              section.key(),
              reason,
              aside);
          observer.quarantined(section.key(), aside, reason);
        }
        forceWrite = true;
      }
    }
    extras = kept;
    written.clear();
    version = stored.version();
    lastBytes = Ledgers.sizeOf(stored.sections());
  }

  private void write(long term) {
    long ticket = tickets.get();
    if (term < 0 || readyTerm != term) {
      failWaiters(ticket, "This sidecar is not ACTIVE; only the ACTIVE sidecar writes its record.");
      return;
    }
    boolean changed = forceWrite || sections.stream().anyMatch(LedgerSection::dirty);
    if (!changed) {
      completeWaiters(ticket);
      return;
    }
    for (int attempt = 1; ; attempt++) {
      Exported exported = exportWithin(ledger.capacityBytes());
      if (exported.bytes() > ledger.capacityBytes()) {
        lastBytes = exported.bytes();
        if (!overBudget) {
          overBudget = true;
          LOG.error(
              "The sidecar's record needs {} bytes, more than its {}; nothing is saved",
              exported.bytes(),
              ledger.capacityBytes());
          observer.overBudget(exported.bytes(), ledger.capacityBytes());
        }
        failWaiters(ticket, status().problem().orElse("The record does not fit its budget"));
        return;
      }
      try {
        version = ledger.write(exported.sections(), version);
      } catch (LedgerConflict e) {
        conflicts++;
        LOG.info("The sidecar's record changed since it was read; merging: {}", e.getMessage());
        observer.conflict(e.getMessage());
        if (attempt > MAX_CONFLICT_RETRIES || !read()) {
          failWaiters(ticket, "The record kept changing under this sidecar: " + e.getMessage());
          return;
        }
        term = activeTerm.getAsLong();
        if (term < 0) {
          failWaiters(ticket, "This sidecar is no longer ACTIVE; it does not write its record.");
          return;
        }
        readyTerm = term;
        continue;
      } catch (LedgerException e) {
        writeFailures++;
        lastError = e.getMessage();
        if (!writeFailing) {
          writeFailing = true;
          LOG.warn("Writing the sidecar's record failed; retrying: {}", lastError);
          observer.writeFailed(lastError);
        }
        failWaiters(ticket, lastError);
        return;
      }
      exported.written().forEach(Runnable::run);
      written.clear();
      written.putAll(exported.sections());
      forceWrite = false;
      lastBytes = exported.bytes();
      lastWrite = clock.instant();
      lastError = null;
      if (writeFailing || overBudget) {
        writeFailing = false;
        overBudget = false;
        observer.writeRecovered();
      }
      completeWaiters(ticket);
      return;
    }
  }

  private record Exported(Map<String, String> sections, List<Runnable> written, int bytes) {}

  /**
   * Every section, the last one (events) given what is left; when less than a minimum is left, the
   * other sections shed history first.
   */
  private Exported exportWithin(int capacity) {
    int minimumForLast = Math.min(64 * 1024, capacity / 8);
    LedgerSection last = sections.get(sections.size() - 1);
    for (int round = 0; ; round++) {
      Map<String, String> out = new LinkedHashMap<>(extras);
      List<Runnable> written = new ArrayList<>();
      for (int i = 0; i < sections.size() - 1; i++) {
        LedgerSection section = sections.get(i);
        String unchanged = section.dirty() ? null : this.written.get(section.key());
        if (unchanged != null) {
          out.put(section.key(), unchanged);
          continue;
        }
        LedgerSection.Export export = section.export(Integer.MAX_VALUE);
        out.put(section.key(), export.json());
        written.add(export.written());
      }
      int left = capacity - Ledgers.sizeOf(out) - Ledgers.utf8Length(last.key());
      if (left < minimumForLast && round < 20) {
        int need = minimumForLast - left;
        int freed = 0;
        for (int i = 0; i < sections.size() - 1 && freed < need; i++) {
          freed += sections.get(i).shed(need - freed);
        }
        if (freed > 0) {
          continue;
        }
      }
      LedgerSection.Export export = last.export(Math.max(0, left));
      out.put(last.key(), export.json());
      written.add(export.written());
      return new Exported(out, written, Ledgers.sizeOf(out));
    }
  }

  private void completeWaiters(long ticket) {
    for (CompletableFuture<Void> done : takeWaiters(ticket)) {
      done.complete(null);
    }
  }

  private void failWaiters(long ticket, String reason) {
    RecordUnavailable failure =
        new RecordUnavailable(
            "The sidecar's record (" + ledger.describe() + ") could not be stored: " + reason,
            Duration.ofSeconds(5));
    for (CompletableFuture<Void> done : takeWaiters(ticket)) {
      done.completeExceptionally(failure);
    }
  }

  private List<CompletableFuture<Void>> takeWaiters(long ticket) {
    List<CompletableFuture<Void>> out = new ArrayList<>();
    synchronized (waiters) {
      Iterator<Waiter> it = waiters.iterator();
      while (it.hasNext()) {
        Waiter w = it.next();
        if (w.ticket() <= ticket) {
          out.add(w.done());
          it.remove();
        }
      }
    }
    return out;
  }

  private void publishStatus() {
    List<String> quarantined =
        extras.keySet().stream()
            .filter(k -> k.contains(".unreadable-") && !k.endsWith(".reason"))
            .toList();
    status =
        new Status(
            ledger.describe(),
            loaded,
            overBudget,
            lastBytes,
            ledger.capacityBytes(),
            lastWrite,
            lastError,
            quarantined,
            conflicts,
            writeFailures,
            writeFailing);
  }

  /** Stops the keeper's thread, then writes what changed one last time (if ACTIVE). */
  @Override
  public void close() {
    Ticker t;
    synchronized (this) {
      t = ticker;
      ticker = null;
    }
    if (t != null) {
      t.close();
    }
    if (loaded) {
      step();
    }
    failWaiters(Long.MAX_VALUE, "the sidecar is stopping");
  }
}
