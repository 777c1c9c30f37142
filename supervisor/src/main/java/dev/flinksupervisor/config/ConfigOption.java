package dev.flinksupervisor.config;

import java.util.Locale;
import java.util.function.Function;

/**
 * One typed option: its key, how a text value is parsed, its default and its description. Every
 * option can also be set through an environment variable, which wins over the file.
 *
 * @param key the key in the YAML file, dotted ({@code api.port}); nested maps are flattened
 * @param type a short name of the accepted values, shown in errors and in the docs
 * @param parser turns the text form into the value; throws {@link IllegalArgumentException} with
 *     what is allowed
 * @param defaultValue the value when nothing sets it; {@code null} means "no default"
 * @param required whether start fails when no value is given
 * @param secret whether the value must never be printed
 * @param description one or two sentences for the docs
 */
public record ConfigOption<T>(
    String key,
    String type,
    Function<String, T> parser,
    T defaultValue,
    boolean required,
    boolean secret,
    String description) {

  /** Environment variables that set options start with this. */
  public static final String ENV_PREFIX = "SUPERVISOR_";

  /** The environment variable for this option: {@code api.port} is {@code SUPERVISOR_API_PORT}. */
  public String envName() {
    return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  /** How the default is shown in the docs. */
  public String defaultText() {
    if (defaultValue == null) {
      return required ? "(required)" : "(none)";
    }
    return secret ? "(hidden)" : Values.format(defaultValue);
  }

  T parse(String raw) {
    try {
      return parser.apply(raw.trim());
    } catch (IllegalArgumentException e) {
      throw new ConfigException(
          "Invalid value "
              + (secret ? "(hidden)" : "'" + raw + "'")
              + " for option '"
              + key
              + "': "
              + e.getMessage());
    }
  }
}
