package dev.flinksupervisor.store;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BinaryOperator;

/**
 * Entities by id, with the copy last stored as the base of the next three-way {@link Merge}. Not
 * thread-safe: the section that holds it guards it.
 */
public final class EntityMap<V> {
  private LinkedHashMap<String, V> entries = new LinkedHashMap<>();
  private Map<String, V> base = Map.of();
  private final BinaryOperator<V> bothChanged;

  /**
   * @param bothChanged decides an entity this sidecar and another both changed: (ours, theirs)
   */
  public EntityMap(BinaryOperator<V> bothChanged) {
    this.bothChanged = bothChanged;
  }

  public V get(String id) {
    return entries.get(id);
  }

  /** The entity as last stored in the ledger (or read from it), or null. */
  public V storedValue(String id) {
    return base.get(id);
  }

  /** Stores the entity; returns whether anything changed. */
  public boolean put(String id, V value) {
    return !value.equals(entries.put(id, value));
  }

  /** Removes the entity; returns whether it was there. */
  public boolean remove(String id) {
    return entries.remove(id) != null;
  }

  public Collection<V> values() {
    return entries.values();
  }

  public List<V> copyOfValues() {
    return new ArrayList<>(entries.values());
  }

  public int size() {
    return entries.size();
  }

  public Map<String, V> view() {
    return entries;
  }

  /** A copy of the entities, to become the base once the export that holds them is stored. */
  public Map<String, V> snapshot() {
    return Map.copyOf(entries);
  }

  public void stored(Map<String, V> snapshot) {
    base = snapshot;
  }

  /**
   * Merges what is stored now into the entities.
   *
   * @return whether the result is exactly what is stored (nothing of this sidecar's left to write)
   */
  public boolean merge(Map<String, V> theirs) {
    LinkedHashMap<String, V> merged = Merge.threeWay(base, entries, theirs, bothChanged);
    boolean same = merged.equals(theirs);
    entries = merged;
    base = Map.copyOf(theirs);
    return same;
  }
}
