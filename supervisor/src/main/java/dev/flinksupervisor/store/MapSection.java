package dev.flinksupervisor.store;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.flinksupervisor.util.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A ledger section that is a map of values by id, kept as one JSON object and merged entity by
 * entity with what another sidecar stored.
 */
public abstract class MapSection<V> implements LedgerSection {
  private final String key;
  private final TypeReference<LinkedHashMap<String, V>> type;
  private final EntityMap<V> entries = new EntityMap<>(this::resolve);
  private long version;
  private long storedVersion;

  protected MapSection(String key, TypeReference<LinkedHashMap<String, V>> type) {
    this.key = key;
    this.type = type;
  }

  /** Decides an entity that this sidecar and another both changed; this sidecar's by default. */
  protected V resolve(V ours, V theirs) {
    return ours;
  }

  protected synchronized Optional<V> find(String id) {
    return Optional.ofNullable(entries.get(id));
  }

  protected synchronized List<V> values() {
    return entries.copyOfValues();
  }

  protected synchronized java.util.Set<String> ids() {
    return new java.util.HashSet<>(entries.view().keySet());
  }

  protected synchronized int size() {
    return entries.size();
  }

  protected synchronized void store(String id, V value) {
    if (entries.put(id, value)) {
      version++;
    }
  }

  protected synchronized void delete(String id) {
    if (entries.remove(id)) {
      version++;
    }
  }

  @Override
  public final String key() {
    return key;
  }

  @Override
  public final synchronized boolean dirty() {
    return version != storedVersion;
  }

  @Override
  public final synchronized Export export(int maxBytes) {
    Map<String, V> exported = entries.snapshot();
    long exportedVersion = version;
    String json = Json.writeString(entries.view());
    return new Export(
        json,
        () -> {
          synchronized (this) {
            entries.stored(exported);
            storedVersion = exportedVersion;
          }
        });
  }

  @Override
  public final synchronized void merge(String stored) throws Exception {
    Map<String, V> theirs = stored == null ? Map.of() : Json.recordMapper().readValue(stored, type);
    boolean same = entries.merge(theirs);
    version++;
    if (same) {
      storedVersion = version;
    }
  }
}
