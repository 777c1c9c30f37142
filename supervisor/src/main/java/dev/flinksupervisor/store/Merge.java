package dev.flinksupervisor.store;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BinaryOperator;

/** The three-way merge of entities by id that keeps two writers from losing each other's work. */
public final class Merge {
  private Merge() {}

  /**
   * Merges {@code theirs} (stored now) into {@code ours} (this sidecar's), both descended from
   * {@code base} (what was stored when this sidecar last wrote or read). An entity only one side
   * changed, added or removed takes that side's value; one both changed is decided by {@code
   * bothChanged}; one removed by one side and changed by the other is kept with the change, so that
   * no update is lost.
   */
  public static <V> LinkedHashMap<String, V> threeWay(
      Map<String, V> base,
      Map<String, V> ours,
      Map<String, V> theirs,
      BinaryOperator<V> bothChanged) {
    Set<String> ids = new LinkedHashSet<>(theirs.keySet());
    ids.addAll(ours.keySet());
    LinkedHashMap<String, V> merged = new LinkedHashMap<>();
    for (String id : ids) {
      V b = base.get(id);
      V o = ours.get(id);
      V t = theirs.get(id);
      V result;
      if (Objects.equals(o, b)) {
        result = t;
      } else if (Objects.equals(t, b) || Objects.equals(o, t)) {
        result = o;
      } else if (o == null) {
        result = t;
      } else if (t == null) {
        result = o;
      } else {
        result = bothChanged.apply(o, t);
      }
      if (result != null) {
        merged.put(id, result);
      }
    }
    return merged;
  }
}
