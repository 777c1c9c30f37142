package dev.flinksupervisor.slots;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The named slot profiles of the configuration: {@code slot-profiles.<name>.cpu-cores}, {@code
 * .task-heap}, {@code .task-off-heap}, {@code .managed-memory} and {@code .extended.<resource>}. A
 * profile missing CPU or task heap stops the start with its key.
 */
public final class SlotProfiles {
  public static final String PREFIX = "slot-profiles.";
  private final Map<String, SlotProfile> byName;

  private SlotProfiles(Map<String, SlotProfile> byName) {
    this.byName = Map.copyOf(byName);
  }

  public static final SlotProfiles NONE = new SlotProfiles(Map.of());

  /** Parses the settings under {@link #PREFIX}, keys without the prefix. */
  public static SlotProfiles parse(Map<String, String> settings) {
    Map<String, Map<String, String>> grouped = new TreeMap<>();
    for (Map.Entry<String, String> e : settings.entrySet()) {
      int dot = e.getKey().indexOf('.');
      if (dot <= 0) {
        throw new IllegalArgumentException(
            "'" + PREFIX + e.getKey() + "' names no field: use " + PREFIX + "<name>.<field>");
      }
      grouped
          .computeIfAbsent(e.getKey().substring(0, dot), k -> new HashMap<>())
          .put(e.getKey().substring(dot + 1), e.getValue());
    }
    Map<String, SlotProfile> profiles = new LinkedHashMap<>();
    for (Map.Entry<String, Map<String, String>> g : grouped.entrySet()) {
      String name = g.getKey();
      Map<String, String> fields = new HashMap<>(g.getValue());
      Map<String, Double> extended = new TreeMap<>();
      try {
        String cpu = fields.remove("cpu-cores");
        String heap = fields.remove("task-heap");
        String offHeap = fields.remove("task-off-heap");
        String managed = fields.remove("managed-memory");
        for (String key : Map.copyOf(fields).keySet()) {
          if (key.startsWith("extended.")) {
            extended.put(
                key.substring("extended.".length()), Double.parseDouble(fields.remove(key)));
          }
        }
        if (!fields.isEmpty()) {
          throw new IllegalArgumentException(
              "unknown field(s) "
                  + fields.keySet()
                  + "; known: cpu-cores, task-heap, task-off-heap,"
                  + " managed-memory, extended.<resource>");
        }
        profiles.put(
            name,
            new SlotProfile(
                cpu == null ? 0 : Double.parseDouble(cpu), heap, offHeap, managed, extended));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "Slot profile '" + PREFIX + name + "': " + e.getMessage(), e);
      }
    }
    return new SlotProfiles(profiles);
  }

  public Optional<SlotProfile> get(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  public Map<String, SlotProfile> all() {
    return byName;
  }
}
