package dev.flinksupervisor.supervision;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.flinksupervisor.store.LedgerSection;
import dev.flinksupervisor.util.Json;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The bounded history of events, oldest dropped first. An event that repeats one of the last few
 * events of the same job (or of the cluster) is folded into it: its count grows, its last time
 * moves, and it becomes the newest. A restart loop thus shows as a few events with large counts
 * instead of pushing everything else out.
 *
 * <p>Readers of the live stream each get a {@link EventSubscription} with a bounded queue, filled
 * under the log's lock so that the backlog and the live events arrive in order with no duplicates;
 * recording never waits for a reader, and a reader that falls behind is dropped.
 */
public final class EventLog implements LedgerSection {
  /** How many of a subject's newest events a repeat is looked for in. */
  static final int FOLD_WINDOW = 4;

  private final Clock clock;
  private final int capacity;
  private final Deque<Event> events = new ArrayDeque<>();
  private final List<EventSubscription> subscriptions = new ArrayList<>();
  private long nextId = 1;
  private long version;
  private long storedVersion;

  public EventLog(Clock clock, int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1");
    }
    this.clock = clock;
    this.capacity = capacity;
  }

  public Event record(String type, Severity severity, String jobId, String message) {
    Instant now = clock.instant();
    synchronized (this) {
      Event folded = null;
      int seen = 0;
      for (Event e : events) {
        if (!Objects.equals(e.jobId(), jobId)) {
          continue;
        }
        if (e.sameAs(type, jobId, message)) {
          folded = e;
          break;
        }
        if (++seen == FOLD_WINDOW) {
          break;
        }
      }
      Event recorded;
      if (folded != null) {
        events.remove(folded);
        recorded = folded.repeatedAt(now);
      } else {
        recorded = new Event(nextId++, now, now, type, severity, jobId, message, 1);
      }
      events.addFirst(recorded);
      while (events.size() > capacity) {
        events.removeLast();
      }
      version++;
      subscriptions.removeIf(s -> !s.offer(recorded));
      return recorded;
    }
  }

  /** Events newest first, optionally of one job and since a time (by their last occurrence). */
  public synchronized List<Event> query(String jobId, Instant since) {
    List<Event> out = new ArrayList<>();
    for (Event e : events) {
      if (jobId != null && !jobId.equals(e.jobId())) {
        continue;
      }
      if (since != null && e.lastTime().isBefore(since)) {
        continue;
      }
      out.add(e);
    }
    return out;
  }

  /**
   * Subscribes to the live events of one job (or all, with a null {@code jobId}), after the backlog
   * of those since {@code since} (none when null).
   *
   * @param queueCapacity events the reader may fall behind by before it is dropped
   * @param maxSubscriptions refused with {@link TooManySubscriptions} when this many are open
   */
  public synchronized EventSubscription subscribe(
      String jobId, Instant since, int queueCapacity, int maxSubscriptions) {
    subscriptions.removeIf(EventSubscription::closed);
    if (subscriptions.size() >= maxSubscriptions) {
      throw new TooManySubscriptions(
          maxSubscriptions + " event streams are open already, the most this sidecar serves.");
    }
    List<Event> backlog = since == null ? List.of() : query(jobId, since);
    List<Event> oldestFirst = new ArrayList<>(backlog);
    Collections.reverse(oldestFirst);
    EventSubscription subscription =
        new EventSubscription(jobId, oldestFirst, queueCapacity, this::unsubscribe);
    subscriptions.add(subscription);
    return subscription;
  }

  synchronized void unsubscribe(EventSubscription subscription) {
    subscriptions.remove(subscription);
  }

  /** Open subscriptions, for metrics and tests. */
  public synchronized int subscriptions() {
    subscriptions.removeIf(EventSubscription::closed);
    return subscriptions.size();
  }

  /** Too many event streams are open. */
  public static final class TooManySubscriptions extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TooManySubscriptions(String message) {
      super(message);
    }
  }

  @Override
  public String key() {
    return "events.json";
  }

  @Override
  public synchronized boolean dirty() {
    return version != storedVersion;
  }

  /** The newest events that fit in {@code maxBytes}, oldest first, as a JSON array. */
  @Override
  public synchronized Export export(int maxBytes) {
    List<String> kept = new ArrayList<>();
    int size = 2;
    for (Event e : events) {
      String json;
      try {
        json = Json.mapper().writeValueAsString(e);
      } catch (JsonProcessingException ex) {
        throw new IllegalStateException("An event cannot be written as JSON", ex);
      }
      int added = json.getBytes(StandardCharsets.UTF_8).length + 1;
      if (size + added > maxBytes) {
        break;
      }
      kept.add(json);
      size += added;
    }
    Collections.reverse(kept);
    long exported = version;
    return new Export(
        "[" + String.join(",", kept) + "]",
        () -> {
          synchronized (this) {
            storedVersion = exported;
          }
        });
  }

  /**
   * Takes in the stored events: one this log has too (same first time, type, job and message) is
   * kept once, with the higher count and the stored id; others are added, under a new id when
   * theirs is taken by another event. The newest {@code capacity} are kept.
   */
  @Override
  public synchronized void merge(String stored) throws Exception {
    List<Event> theirs =
        stored == null
            ? List.of()
            : Json.recordMapper().readValue(stored, new TypeReference<List<Event>>() {});
    Map<Identity, Event> byIdentity = new HashMap<>();
    for (Event e : events) {
      byIdentity.put(Identity.of(e), e);
    }
    Set<Long> theirIds = new HashSet<>();
    for (Event t : theirs) {
      theirIds.add(t.id());
      nextId = Math.max(nextId, t.id() + 1);
      Event o = byIdentity.get(Identity.of(t));
      Event kept = o == null || t.count() >= o.count() ? t : o.withId(t.id());
      byIdentity.put(Identity.of(t), kept);
    }
    Set<Long> used = new HashSet<>();
    List<Event> merged = new ArrayList<>();
    List<Event> ordered = new ArrayList<>(byIdentity.values());
    ordered.sort(Comparator.comparing(Event::id));
    for (Event e : ordered) {
      if (!theirIds.contains(e.id()) && !used.add(e.id())) {
        e = e.withId(nextId++);
        used.add(e.id());
      } else {
        used.add(e.id());
      }
      merged.add(e);
    }
    merged.sort(Comparator.comparing(Event::lastTime).thenComparing(Event::id).reversed());
    events.clear();
    for (Event e : merged) {
      if (events.size() == capacity) {
        break;
      }
      events.addLast(e);
      nextId = Math.max(nextId, e.id() + 1);
    }
    version++;
    if (new HashSet<>(events).equals(new HashSet<>(theirs))) {
      storedVersion = version;
    }
  }

  /** What makes two copies of an event the same event, whatever their ids and counts. */
  private record Identity(Instant time, String type, String jobId, String message) {
    static Identity of(Event e) {
      return new Identity(e.time(), e.type(), e.jobId(), e.message());
    }
  }
}
