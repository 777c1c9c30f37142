package dev.flinksupervisor.store;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.flinksupervisor.util.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A ledger section that is a map of values by id, kept as one JSON object. */
public abstract class MapSection<V> implements LedgerSection {
  private final String key;
  private final TypeReference<Map<String, V>> type;
  private final Map<String, V> entries = new LinkedHashMap<>();
  private long version;

  protected MapSection(String key, TypeReference<Map<String, V>> type) {
    this.key = key;
    this.type = type;
  }

  protected synchronized Optional<V> find(String id) {
    return Optional.ofNullable(entries.get(id));
  }

  protected synchronized List<V> values() {
    return new ArrayList<>(entries.values());
  }

  protected synchronized void store(String id, V value) {
    entries.put(id, value);
    version++;
  }

  protected synchronized void delete(String id) {
    if (entries.remove(id) != null) {
      version++;
    }
  }

  @Override
  public final String key() {
    return key;
  }

  @Override
  public final synchronized long version() {
    return version;
  }

  @Override
  public final synchronized String export(int maxBytes) {
    return Json.writeString(entries);
  }

  @Override
  public final synchronized void restore(String json) throws Exception {
    Map<String, V> restored = Json.mapper().readValue(json, type);
    entries.clear();
    entries.putAll(restored);
    version++;
  }
}
