package dev.flinksupervisor.config;

import dev.flinksupervisor.slots.SlotProfiles;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** The validated configuration: every option has a value or is known to be unset. */
public final class SupervisorConfig {
  private final Map<String, Object> values;
  private final Map<String, String> flinkSettings;
  private final SlotProfiles slotProfiles;

  SupervisorConfig(
      Map<String, Object> values, Map<String, String> flinkSettings, SlotProfiles slotProfiles) {
    this.values = Map.copyOf(values);
    this.flinkSettings = Collections.unmodifiableMap(new HashMap<>(flinkSettings));
    this.slotProfiles = slotProfiles;
  }

  /** The named slot profiles ({@code slot-profiles.<name>.<field>}). */
  public SlotProfiles slotProfiles() {
    return slotProfiles;
  }

  /** The value of an option that has a default or is required. */
  public <T> T get(ConfigOption<T> option) {
    return getOptional(option)
        .orElseThrow(() -> new ConfigException("Option '" + option.key() + "' is not set"));
  }

  @SuppressWarnings("unchecked")
  public <T> Optional<T> getOptional(ConfigOption<T> option) {
    return Optional.ofNullable((T) values.get(option.key()));
  }

  /** Settings passed to Flink's client as they are, keys without the {@code flink.} prefix. */
  public Map<String, String> flinkSettings() {
    return flinkSettings;
  }

  /** A copy with some options replaced; used by the demo, which chooses its own cluster. */
  public SupervisorConfig with(Map<ConfigOption<?>, Object> overrides) {
    Map<String, Object> copy = new HashMap<>(values);
    overrides.forEach((option, value) -> copy.put(option.key(), value));
    return new SupervisorConfig(copy, flinkSettings, slotProfiles);
  }
}
