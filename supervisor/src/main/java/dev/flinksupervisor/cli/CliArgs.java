package dev.flinksupervisor.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The arguments of one command: {@code --name value} or {@code --name=value} options, flags, and
 * positional arguments, checked against what the command accepts. An option's value is taken as it
 * is, even when it starts with dashes ({@code --arg --verbose}); {@code --} ends the options.
 */
public final class CliArgs {
  private static final Pattern DURATION =
      Pattern.compile("(\\d+)\\s*(min|ms|sec|s|m|h|d)", Pattern.CASE_INSENSITIVE);

  /** What a command accepts: options with a value, the repeatable ones among them, and flags. */
  public record Spec(Set<String> values, Set<String> repeatable, Set<String> flags) {
    private static final Map<String, String> SHORT = Map.of("-o", "output", "-h", "help");

    public Spec {
      values = Set.copyOf(values);
      repeatable = Set.copyOf(repeatable);
      flags = Set.copyOf(flags);
    }

    /** The options every command accepts. */
    public static Spec common() {
      return new Spec(
          Set.of("url", "token", "token-file", "cli-config", "ca-file", "output"),
          Set.of(),
          Set.of("help"));
    }

    public Spec withValues(String... names) {
      Set<String> more = new LinkedHashSet<>(values);
      more.addAll(List.of(names));
      return new Spec(more, repeatable, flags);
    }

    public Spec withRepeatable(String... names) {
      Set<String> more = new LinkedHashSet<>(values);
      more.addAll(List.of(names));
      Set<String> rep = new LinkedHashSet<>(repeatable);
      rep.addAll(List.of(names));
      return new Spec(more, rep, flags);
    }

    public Spec withFlags(String... names) {
      Set<String> more = new LinkedHashSet<>(flags);
      more.addAll(List.of(names));
      return new Spec(values, repeatable, more);
    }
  }

  private final String command;
  private final Map<String, List<String>> values;
  private final Set<String> flags;
  private final List<String> positionals;

  private CliArgs(
      String command,
      Map<String, List<String>> values,
      Set<String> flags,
      List<String> positionals) {
    this.command = command;
    this.values = values;
    this.flags = flags;
    this.positionals = positionals;
  }

  /** Parses {@code args} (without the command's name) for {@code command}; bad ones: exit 2. */
  public static CliArgs parse(String command, List<String> args, Spec spec) {
    Map<String, List<String>> values = new LinkedHashMap<>();
    Set<String> flags = new LinkedHashSet<>();
    List<String> positionals = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.equals("--")) {
        positionals.addAll(args.subList(i + 1, args.size()));
        break;
      }
      if (!arg.startsWith("-") || arg.equals("-")) {
        positionals.add(arg);
        continue;
      }
      String name;
      String inline = null;
      if (arg.startsWith("--")) {
        int eq = arg.indexOf('=');
        name = eq < 0 ? arg.substring(2) : arg.substring(2, eq);
        inline = eq < 0 ? null : arg.substring(eq + 1);
      } else {
        name = Spec.SHORT.get(arg);
        if (name == null) {
          throw unknown(command, arg);
        }
      }
      if (spec.flags().contains(name)) {
        if (inline != null) {
          throw CliException.usage("error: --" + name + " takes no value (" + hint(command) + ")");
        }
        flags.add(name);
      } else if (spec.values().contains(name)) {
        String value = inline;
        if (value == null) {
          if (i + 1 >= args.size()) {
            throw CliException.usage("error: --" + name + " needs a value (" + hint(command) + ")");
          }
          value = args.get(++i);
        }
        List<String> list = values.computeIfAbsent(name, n -> new ArrayList<>());
        if (!list.isEmpty() && !spec.repeatable().contains(name)) {
          throw CliException.usage("error: --" + name + " is given twice (" + hint(command) + ")");
        }
        list.add(value);
      } else {
        throw unknown(command, arg.startsWith("--") ? "--" + name : arg);
      }
    }
    return new CliArgs(command, values, flags, positionals);
  }

  private static CliException unknown(String command, String option) {
    return CliException.usage(
        "error: unknown option " + option + " for '" + command + "' (" + hint(command) + ")");
  }

  private static String hint(String command) {
    return "see flink-supervisor " + command + " --help";
  }

  public String command() {
    return command;
  }

  /** The option's value, or null when it is not given. */
  public String value(String name) {
    List<String> list = values.get(name);
    return list == null ? null : list.get(list.size() - 1);
  }

  public String value(String name, String fallback) {
    String value = value(name);
    return value == null ? fallback : value;
  }

  /** Every value of a repeatable option, in order. */
  public List<String> values(String name) {
    return List.copyOf(values.getOrDefault(name, List.of()));
  }

  public boolean has(String name) {
    return values.containsKey(name) || flags.contains(name);
  }

  public boolean flag(String name) {
    return flags.contains(name);
  }

  public List<String> positionals() {
    return List.copyOf(positionals);
  }

  /** Fails (exit 2) unless exactly the named positional arguments were given. */
  public void expectPositionals(String... names) {
    if (positionals.size() < names.length) {
      throw CliException.usage(
          "error: '" + command + "' needs " + String.join(" ", names) + " (" + hint(command) + ")");
    }
    if (positionals.size() > names.length) {
      throw CliException.usage(
          "error: unexpected argument '"
              + positionals.get(names.length)
              + "' for '"
              + command
              + "' ("
              + hint(command)
              + ")");
    }
  }

  /** A whole number option, at least {@code min}, or null when not given. */
  public Integer intValue(String name, int min) {
    String value = value(name);
    if (value == null) {
      return null;
    }
    try {
      int n = Integer.parseInt(value.strip());
      if (n >= min) {
        return n;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw CliException.usage("error: --" + name + " must be a whole number of at least " + min);
  }

  /** A duration option ({@code 10m}, {@code 30s}, {@code 1h}, {@code PT10M}), or the fallback. */
  public Duration duration(String name, Duration fallback) {
    String value = value(name);
    if (value == null) {
      return fallback;
    }
    Duration d = parseDuration(value);
    if (d == null || d.isNegative() || d.isZero()) {
      throw CliException.usage(
          "error: --" + name + " must be a duration such as 30s, 10m or 1h, not '" + value + "'");
    }
    return d;
  }

  /** One of the allowed words (case does not matter), upper-cased; the fallback when not given. */
  public String choice(String name, String fallback, String... allowed) {
    String value = value(name);
    if (value == null) {
      return fallback;
    }
    for (String a : allowed) {
      if (a.equalsIgnoreCase(value.strip())) {
        return a;
      }
    }
    throw CliException.usage(
        "error: --"
            + name
            + " must be one of "
            + String.join(", ", allowed).toLowerCase(Locale.ROOT)
            + ", not '"
            + value
            + "'");
  }

  /**
   * {@code 10m}, {@code 30s}, {@code 500ms}, {@code 2h}, {@code 1d}, also combined ({@code 1h30m})
   * or ISO-8601 ({@code PT10M}); null when it is none of these.
   */
  public static Duration parseDuration(String text) {
    String t = text.strip();
    if (t.isEmpty()) {
      return null;
    }
    if (t.startsWith("P") || t.startsWith("p")) {
      try {
        return Duration.parse(t.toUpperCase(Locale.ROOT));
      } catch (DateTimeParseException e) {
        return null;
      }
    }
    Matcher m = DURATION.matcher(t);
    Duration total = Duration.ZERO;
    int end = 0;
    while (m.find()) {
      if (m.start() != end) {
        return null;
      }
      long n = Long.parseLong(m.group(1));
      total =
          total.plus(
              switch (m.group(2).toLowerCase(Locale.ROOT)) {
                case "ms" -> Duration.ofMillis(n);
                case "s", "sec" -> Duration.ofSeconds(n);
                case "m", "min" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
              });
      end = m.end();
    }
    return end == t.length() && end > 0 ? total : null;
  }

  /** {@code GROUP=PROFILE} items as a map in the order given; a malformed one: exit 2. */
  public static Map<String, String> assignments(List<String> items, String what) {
    Map<String, String> map = new LinkedHashMap<>();
    Map<String, String> seen = new HashMap<>();
    for (String item : items) {
      int eq = item.indexOf('=');
      if (eq <= 0 || eq == item.length() - 1) {
        throw CliException.usage("error: " + what + " must be GROUP=PROFILE, not '" + item + "'");
      }
      String key = item.substring(0, eq).strip();
      if (seen.put(key, item) != null) {
        throw CliException.usage("error: " + what + " names group '" + key + "' twice");
      }
      map.put(key, item.substring(eq + 1).strip());
    }
    return map;
  }
}
