package dev.flinksupervisor.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.flinksupervisor.slots.SlotProfiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads the configuration: a YAML file, then environment variables (which win), then defaults.
 * Unknown keys and invalid values fail with the option's name and what is allowed.
 */
public final class ConfigLoader {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final List<ConfigOption<?>> options;

  public ConfigLoader() {
    this(SupervisorOptions.ALL);
  }

  ConfigLoader(List<ConfigOption<?>> options) {
    this.options = options;
  }

  public SupervisorConfig load(Path file, Map<String, String> env) {
    return load(readYaml(file), env);
  }

  /** Loads from already flattened file settings (dotted keys) and the environment. */
  public SupervisorConfig load(Map<String, String> fileSettings, Map<String, String> env) {
    Map<String, ConfigOption<?>> byKey = new LinkedHashMap<>();
    Map<String, ConfigOption<?>> byEnv = new HashMap<>();
    for (ConfigOption<?> option : options) {
      byKey.put(option.key(), option);
      byEnv.put(option.envName(), option);
    }

    Map<String, String> raw = new LinkedHashMap<>();
    Map<String, String> flink = new LinkedHashMap<>();
    Map<String, String> slotProfiles = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : fileSettings.entrySet()) {
      String key = e.getKey();
      if (byKey.containsKey(key)) {
        raw.put(key, e.getValue());
      } else if (key.startsWith(SlotProfiles.PREFIX)) {
        slotProfiles.put(key.substring(SlotProfiles.PREFIX.length()), e.getValue());
      } else if (key.startsWith(SupervisorOptions.FLINK_PASSTHROUGH_PREFIX)) {
        flink.put(key.substring(SupervisorOptions.FLINK_PASSTHROUGH_PREFIX.length()), e.getValue());
      } else {
        throw new ConfigException(
            "Unknown option '" + key + "'. Known options: " + String.join(", ", byKey.keySet()));
      }
    }
    for (Map.Entry<String, String> e : env.entrySet()) {
      if (!e.getKey().startsWith(ConfigOption.ENV_PREFIX)) {
        continue;
      }
      ConfigOption<?> option = byEnv.get(e.getKey());
      if (option == null) {
        throw new ConfigException(
            "Unknown environment variable '"
                + e.getKey()
                + "'. Known: "
                + byEnv.keySet().stream().sorted().collect(Collectors.joining(", ")));
      }
      raw.put(option.key(), e.getValue());
    }

    Map<String, Object> values = new HashMap<>();
    for (ConfigOption<?> option : options) {
      String text = raw.get(option.key());
      Object value = text == null ? option.defaultValue() : option.parse(text);
      if (value == null && option.required()) {
        throw new ConfigException(
            "Option '"
                + option.key()
                + "' is required: "
                + option.description()
                + " Set it in the file or as "
                + option.envName()
                + ".");
      }
      if (value != null) {
        values.put(option.key(), value);
      }
    }
    SlotProfiles profiles;
    try {
      profiles = SlotProfiles.parse(slotProfiles);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage());
    }
    return new SupervisorConfig(values, flink, profiles);
  }

  /** A YAML configuration file's options, flattened to dotted keys. */
  public static Map<String, String> readYaml(Path file) {
    Object tree;
    try {
      tree = YAML.readValue(Files.readString(file), Object.class);
    } catch (NoSuchFileException e) {
      throw new ConfigException("Configuration file not found: " + file);
    } catch (JacksonException e) {
      throw new ConfigException(
          "Configuration file " + file + " is not valid YAML: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new ConfigException("Cannot read configuration file " + file + ": " + e, e);
    }
    Map<String, String> flat = new LinkedHashMap<>();
    if (tree == null) {
      return flat;
    }
    if (!(tree instanceof Map<?, ?> map)) {
      throw new ConfigException("Configuration file " + file + " must hold a map of options");
    }
    flatten("", map, flat);
    return flat;
  }

  private static void flatten(String prefix, Map<?, ?> map, Map<String, String> out) {
    for (Map.Entry<?, ?> e : map.entrySet()) {
      String key = prefix + e.getKey();
      Object value = e.getValue();
      if (value instanceof Map<?, ?> nested) {
        flatten(key + ".", nested, out);
      } else if (value instanceof List<?>) {
        throw new ConfigException("Option '" + key + "' must be a single value, not a list");
      } else if (value == null) {
        throw new ConfigException("Option '" + key + "' has no value");
      } else {
        out.put(key, String.valueOf(value));
      }
    }
  }
}
