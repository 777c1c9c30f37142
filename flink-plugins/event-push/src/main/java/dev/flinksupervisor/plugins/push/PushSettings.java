package dev.flinksupervisor.plugins.push;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

/** The reporter's settings, parsed from the reporter's options and checked. */
public record PushSettings(
    URI url,
    Path tokenFile,
    Set<String> events,
    int queueCapacity,
    int batchSize,
    Duration connectTimeout,
    Duration timeout,
    Duration initialBackoff,
    Duration maxBackoff,
    Duration tokenCheckInterval,
    Optional<String> reporterName) {

  private static final int MAX_QUEUE_CAPACITY = 1_000_000;
  private static final int MAX_BATCH_SIZE = 10_000;

  public PushSettings {
    events = Collections.unmodifiableSet(new LinkedHashSet<>(events));
  }

  /**
   * Reads the options from Flink's reporter properties (values may be strings or already typed
   * objects).
   *
   * @throws IllegalArgumentException naming the option and what it accepts, if a value is invalid
   */
  public static PushSettings from(Properties properties) {
    Map<String, String> values = new HashMap<>();
    for (Map.Entry<Object, Object> entry : properties.entrySet()) {
      if (entry.getKey() != null && entry.getValue() != null) {
        values.put(entry.getKey().toString(), asText(entry.getValue()));
      }
    }
    Configuration config = Configuration.fromMap(values);

    String tokenFile = config.get(PushOptions.TOKEN_FILE);
    if (tokenFile == null || tokenFile.isBlank()) {
      throw new IllegalArgumentException(
          "option '" + PushOptions.TOKEN_FILE.key() + "' is required: the bearer token's file");
    }
    Duration initialBackoff = positive(config, PushOptions.INITIAL_BACKOFF);
    Duration maxBackoff = positive(config, PushOptions.MAX_BACKOFF);
    if (maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException(
          "option '"
              + PushOptions.MAX_BACKOFF.key()
              + "' must not be shorter than '"
              + PushOptions.INITIAL_BACKOFF.key()
              + "'");
    }
    return new PushSettings(
        url(config.get(PushOptions.URL)),
        Path.of(tokenFile.trim()),
        events(config.get(PushOptions.EVENTS)),
        inRange(config, PushOptions.QUEUE_CAPACITY, MAX_QUEUE_CAPACITY),
        inRange(config, PushOptions.BATCH_SIZE, MAX_BATCH_SIZE),
        positive(config, PushOptions.CONNECT_TIMEOUT),
        positive(config, PushOptions.TIMEOUT),
        initialBackoff,
        maxBackoff,
        positive(config, PushOptions.TOKEN_CHECK_INTERVAL),
        Optional.ofNullable(config.get(PushOptions.REPORTER_NAME))
            .map(String::trim)
            .filter(name -> !name.isEmpty()));
  }

  /** The URL without user info, query or fragment, fit for a log line. */
  public String displayUrl() {
    return url.getScheme()
        + "://"
        + url.getHost()
        + (url.getPort() >= 0 ? ":" + url.getPort() : "")
        + (url.getRawPath() == null ? "" : url.getRawPath());
  }

  /** A URL as it may be logged: a {@code user:password@} part is left out. */
  static String withoutUserInfo(String text) {
    return text.replaceAll("(?<=//)[^/@]*@", "***@");
  }

  private static URI url(String text) {
    String key = PushOptions.URL.key();
    URI uri;
    try {
      uri = new URI(text.trim());
    } catch (Exception e) {
      throw new IllegalArgumentException(
          "option '" + key + "' is not a valid URL: '" + withoutUserInfo(text) + "'", e);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException(
          "option '" + key + "' must be an http or https URL, got '" + withoutUserInfo(text) + "'");
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException(
          "option '" + key + "' must name a host, got '" + withoutUserInfo(text) + "'");
    }
    return uri;
  }

  /** Accepts {@code a,b}, {@code a;b} and the {@code [a, b]} Flink makes of a YAML list. */
  private static Set<String> events(String text) {
    String list = text.trim();
    if (list.startsWith("[") && list.endsWith("]")) {
      list = list.substring(1, list.length() - 1);
    }
    Set<String> names =
        Arrays.stream(list.split("[,;]"))
            .map(name -> name.trim().replaceAll("^['\"]|['\"]$", "").trim())
            .filter(name -> !name.isEmpty())
            .collect(Collectors.toCollection(LinkedHashSet::new));
    if (names.isEmpty()) {
      throw new IllegalArgumentException(
          "option '"
              + PushOptions.EVENTS.key()
              + "' must name at least one event, e.g. '"
              + PushOptions.EVENTS.defaultValue()
              + "'");
    }
    return names;
  }

  private static int inRange(Configuration config, ConfigOption<Integer> option, int max) {
    int value = config.get(option);
    if (value < 1 || value > max) {
      throw new IllegalArgumentException(
          "option '" + option.key() + "' must be between 1 and " + max + ", got " + value);
    }
    return value;
  }

  private static Duration positive(Configuration config, ConfigOption<Duration> option) {
    Duration value = config.get(option);
    if (value.isZero() || value.isNegative()) {
      throw new IllegalArgumentException(
          "option '" + option.key() + "' must be a positive duration, got " + value);
    }
    return value;
  }

  private static String asText(Object value) {
    if (value instanceof Collection<?> items) {
      return items.stream().map(String::valueOf).collect(Collectors.joining(","));
    }
    return value.toString();
  }
}
