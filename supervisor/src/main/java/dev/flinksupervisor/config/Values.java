package dev.flinksupervisor.config;

import dev.flinksupervisor.savepoints.BlackoutWindow;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Parsers for option values; each error message says what is allowed. */
public final class Values {
  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|min|h|d)?");

  private Values() {}

  public static String text(String raw) {
    if (raw.isEmpty()) {
      throw new IllegalArgumentException("expected a non-empty text");
    }
    return raw;
  }

  /** {@code key=value,key2=value2}. */
  public static Map<String, String> keyValues(String raw) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String pair : raw.split(",")) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("expected key=value pairs separated by commas");
      }
      out.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
    }
    return out;
  }

  public static boolean bool(String raw) {
    return switch (raw.toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException("expected true or false");
    };
  }

  public static int port(String raw) {
    int value = integer(raw);
    if (value < 0 || value > 65535) {
      throw new IllegalArgumentException("expected a TCP port from 0 to 65535");
    }
    return value;
  }

  public static int positiveInt(String raw) {
    int value = integer(raw);
    if (value < 1) {
      throw new IllegalArgumentException("expected a whole number of at least 1");
    }
    return value;
  }

  public static int nonNegativeInt(String raw) {
    int value = integer(raw);
    if (value < 0) {
      throw new IllegalArgumentException("expected a whole number of at least 0");
    }
    return value;
  }

  private static int integer(String raw) {
    try {
      return Integer.parseInt(raw);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("expected a whole number");
    }
  }

  /** Durations as Flink writes them: {@code 500ms}, {@code 5s}, {@code 2min}, {@code 1h}. */
  public static Duration duration(String raw) {
    Matcher m = DURATION.matcher(raw.toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "expected a duration such as 500ms, 5s, 2min, 1h or 1d (a bare number means ms)");
    }
    long amount = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "ms" : m.group(2);
    return switch (unit) {
      case "ms" -> Duration.ofMillis(amount);
      case "s" -> Duration.ofSeconds(amount);
      case "m", "min" -> Duration.ofMinutes(amount);
      case "h" -> Duration.ofHours(amount);
      default -> Duration.ofDays(amount);
    };
  }

  public static Duration positiveDuration(String raw) {
    Duration d = duration(raw);
    if (d.isZero()) {
      throw new IllegalArgumentException("expected a duration greater than zero");
    }
    return d;
  }

  public static <E extends Enum<E>> Function<String, E> enumOf(Class<E> type) {
    return raw -> {
      for (E constant : type.getEnumConstants()) {
        if (constant.name().equalsIgnoreCase(raw.replace('-', '_'))) {
          return constant;
        }
      }
      throw new IllegalArgumentException(
          "expected one of "
              + Arrays.stream(type.getEnumConstants())
                  .map(e -> e.name().toLowerCase(Locale.ROOT))
                  .collect(Collectors.joining(", ")));
    };
  }

  /** A Unix cron expression (five fields), checked by parsing it. */
  public static String cron(String raw) {
    new BlackoutWindow(raw, Duration.ofMinutes(1), ZoneOffset.UTC);
    return raw;
  }

  /** {@code cron;duration;zone}, for example {@code 0 9 * * 1-5;8h;Europe/Berlin}. */
  public static BlackoutWindow blackout(String raw) {
    String[] parts = raw.split(";");
    if (parts.length != 3) {
      throw new IllegalArgumentException(
          "expected 'cron;duration;zone', for example '0 9 * * 1-5;8h;Europe/Berlin'");
    }
    ZoneId zone;
    try {
      zone = ZoneId.of(parts[2].trim());
    } catch (DateTimeException e) {
      throw new IllegalArgumentException("'" + parts[2].trim() + "' is not a time zone");
    }
    return new BlackoutWindow(parts[0].trim(), positiveDuration(parts[1].trim()), zone);
  }

  static String format(Object value) {
    if (value instanceof Duration d) {
      if (d.toMillis() % 1000 != 0) {
        return d.toMillis() + "ms";
      }
      long s = d.toSeconds();
      if (s % 3600 == 0 && s != 0) {
        return s / 3600 + "h";
      }
      if (s % 60 == 0 && s != 0) {
        return s / 60 + "min";
      }
      return s + "s";
    }
    if (value instanceof Enum<?> e) {
      return e.name().toLowerCase(Locale.ROOT);
    }
    return String.valueOf(value);
  }
}
