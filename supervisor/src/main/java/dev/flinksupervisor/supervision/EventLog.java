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
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The bounded history of events, oldest dropped first. An event that repeats one of the last few
 * events of the same job (or of the cluster) is folded into it: its count grows, its last time
 * moves, and it becomes the newest. A restart loop thus shows as a few events with large counts
 * instead of pushing everything else out.
 */
public final class EventLog implements LedgerSection {
  /** How many of a subject's newest events a repeat is looked for in. */
  static final int FOLD_WINDOW = 4;

  private final Clock clock;
  private final int capacity;
  private final Deque<Event> events = new ArrayDeque<>();
  private final List<Consumer<Event>> listeners = new CopyOnWriteArrayList<>();
  private long nextId = 1;
  private long version;

  public EventLog(Clock clock, int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1");
    }
    this.clock = clock;
    this.capacity = capacity;
  }

  public Event record(String type, Severity severity, String jobId, String message) {
    Instant now = clock.instant();
    Event recorded;
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
    }
    for (Consumer<Event> listener : listeners) {
      try {
        listener.accept(recorded);
      } catch (RuntimeException e) {
        // A listener (an event stream client that went away) never stops the recording.
        listeners.remove(listener);
      }
    }
    return recorded;
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

  @Override
  public String key() {
    return "events.json";
  }

  @Override
  public synchronized long version() {
    return version;
  }

  /** The newest events that fit in {@code maxBytes}, oldest first, as a JSON array. */
  @Override
  public synchronized String export(int maxBytes) {
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
    return "[" + String.join(",", kept) + "]";
  }

  @Override
  public synchronized void restore(String json) throws Exception {
    List<Event> restored = Json.mapper().readValue(json, new TypeReference<List<Event>>() {});
    events.clear();
    for (Event e : restored) {
      events.addFirst(e);
      nextId = Math.max(nextId, e.id() + 1);
    }
    while (events.size() > capacity) {
      events.removeLast();
    }
  }

  /** Called with every recorded event, new or folded, after it is stored. */
  public void subscribe(Consumer<Event> listener) {
    listeners.add(listener);
  }

  public void unsubscribe(Consumer<Event> listener) {
    listeners.remove(listener);
  }
}
