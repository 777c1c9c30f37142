package dev.flinksupervisor.plugins.failures;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.flink.core.failure.FailureEnricher.Context.FailureType;

/**
 * A condition on a failure and the labels a failure gets when the condition holds.
 *
 * <p>A rule written in the configuration ({@link #parse}) has a class condition, a message
 * condition or both, checked against each throwable of the cause chain ({@link Match}). Two
 * built-in rules look at what such a rule cannot express: the kind of failure Flink reports ({@link
 * TaskManagerFailure}) and whether the job's own code threw ({@link ThrownInUserCode}).
 */
final class Rule {
  private static final String KEYS = "category, type, class, message";

  private final Labels labels;
  private final Condition condition;
  private final String text;

  private Rule(Labels labels, Condition condition, String text) {
    this.labels = labels;
    this.condition = condition;
    this.text = text;
  }

  Labels labels() {
    return labels;
  }

  Condition condition() {
    return condition;
  }

  boolean matches(Chain chain, FailureType failureType) {
    return condition.holds(chain, failureType);
  }

  /** How the rule reads, in the syntax of {@link #parse} where it has one. */
  @Override
  public String toString() {
    return text;
  }

  static Rule onTaskManagerFailure(Labels labels) {
    return new Rule(
        labels, new TaskManagerFailure(), labels + " when Flink reports a TaskManager failure");
  }

  static Rule thrownInUserCode(Labels labels) {
    return new Rule(labels, new ThrownInUserCode(), labels + " when thrown in user code");
  }

  /**
   * Reads a rule: comma-separated {@code key=value} pairs with the keys {@code category} (required;
   * upper case letters, digits and {@code _}), {@code type} ({@code USER} or {@code SYSTEM},
   * default {@code SYSTEM}), {@code class} (class names or package prefixes ending in {@code .*},
   * separated by {@code |}) and {@code message} (a Java regex). At least one of {@code class} and
   * {@code message} is required. {@code message} comes last: everything after {@code message=} is
   * the regex, commas included. Keys and values are trimmed.
   *
   * @throws IllegalArgumentException saying what is wrong
   */
  static Rule parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("the rule is empty");
    }
    String category = null;
    Fault fault = Fault.SYSTEM;
    List<ClassName> classes = List.of();
    Pattern message = null;
    Set<String> seen = new HashSet<>();
    int pos = 0;
    while (true) {
      int comma = text.indexOf(',', pos);
      int end = comma < 0 ? text.length() : comma;
      int eq = text.indexOf('=', pos);
      if (eq < 0 || eq > end) {
        String pair = text.substring(pos, end).trim();
        throw new IllegalArgumentException(
            pair.isEmpty()
                ? "an empty pair between commas"
                : "'" + pair + "' is not a key=value pair");
      }
      String key = text.substring(pos, eq).trim();
      boolean last = comma < 0 || key.equals("message");
      String value = text.substring(eq + 1, last ? text.length() : end).trim();
      if (!seen.add(key)) {
        throw new IllegalArgumentException("'" + key + "' is given twice");
      }
      switch (key) {
        case "category" -> category = category(value);
        case "type" -> fault = fault(value);
        case "class" -> classes = classes(value);
        case "message" -> message = message(value);
        default ->
            throw new IllegalArgumentException("unknown key '" + key + "'; the keys are " + KEYS);
      }
      if (last) {
        break;
      }
      pos = end + 1;
    }
    if (category == null) {
      throw new IllegalArgumentException(
          message == null
              ? "'category' is missing"
              : "'category' is missing (is it after 'message'? everything after message= is"
                  + " the regex)");
    }
    if (classes.isEmpty() && message == null) {
      throw new IllegalArgumentException("there is neither 'class' nor 'message'");
    }
    return new Rule(new Labels(category, fault), new Match(classes, message), text.trim());
  }

  private static String category(String value) {
    if (!Categories.NAME.matcher(value).matches()) {
      throw new IllegalArgumentException(
          "category '" + value + "' is not upper case letters, digits and _");
    }
    return value;
  }

  private static Fault fault(String value) {
    return switch (value) {
      case "USER" -> Fault.USER;
      case "SYSTEM" -> Fault.SYSTEM;
      default ->
          throw new IllegalArgumentException("type '" + value + "' is neither USER nor SYSTEM");
    };
  }

  private static List<ClassName> classes(String value) {
    List<ClassName> classes = new ArrayList<>();
    for (String name : value.split("\\|", -1)) {
      classes.add(ClassName.parse(name.trim()));
    }
    return List.copyOf(classes);
  }

  private static Pattern message(String value) {
    if (value.isEmpty()) {
      throw new IllegalArgumentException("'message' is empty");
    }
    try {
      return Pattern.compile(value);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException(
          "message '"
              + value
              + "' is not a Java regex: "
              + e.getDescription()
              + (e.getIndex() >= 0 ? " near index " + e.getIndex() : ""));
    }
  }

  /** What a rule checks. */
  sealed interface Condition permits Match, TaskManagerFailure, ThrownInUserCode {
    boolean holds(Chain chain, FailureType failureType);
  }

  /**
   * One throwable of the chain is of one of the classes (or a subclass), if classes are given, and
   * its message contains a match of the regex, if one is given.
   */
  record Match(List<ClassName> classes, Pattern message) implements Condition {
    @Override
    public boolean holds(Chain chain, FailureType failureType) {
      for (int i = 0; i < chain.size(); i++) {
        if ((classes.isEmpty() || chain.isA(i, classes))
            && (message == null || chain.messageFinds(i, message))) {
          return true;
        }
      }
      return false;
    }
  }

  /** Flink reports the failure as a TaskManager's: lost or disconnected. */
  record TaskManagerFailure() implements Condition {
    @Override
    public boolean holds(Chain chain, FailureType failureType) {
      return failureType == FailureType.TASK_MANAGER;
    }
  }

  /**
   * The job's own code threw: a throwable of the chain has a class outside the JDK and the platform
   * (such as {@code com.example.InvalidOrderException}), or the innermost throwable was thrown
   * there: the first frame of its stack trace outside the JDK is outside the platform. Frames in
   * the JDK are skipped, so {@code Integer.parseInt} called by the job counts as the job's. The
   * platform is Flink (with what it shades), Scala, Akka/Pekko, RocksDB, Hadoop and the Kafka
   * client.
   */
  record ThrownInUserCode() implements Condition {
    static final List<String> JDK_PACKAGES = List.of("java.", "javax.", "jdk.", "sun.", "com.sun.");
    static final List<String> PLATFORM_PACKAGES =
        List.of(
            "org.apache.flink.",
            "scala.",
            "akka.",
            "org.apache.pekko.",
            "org.rocksdb.",
            "org.apache.hadoop.",
            "org.apache.kafka.");

    @Override
    public boolean holds(Chain chain, FailureType failureType) {
      for (int i = 0; i < chain.size(); i++) {
        String name = chain.className(i);
        if (!startsWithAny(name, JDK_PACKAGES) && !startsWithAny(name, PLATFORM_PACKAGES)) {
          return true;
        }
      }
      for (StackTraceElement frame : chain.innermostFrames()) {
        String name = frame == null ? null : frame.getClassName();
        if (name == null || startsWithAny(name, JDK_PACKAGES)) {
          continue;
        }
        return !startsWithAny(name, PLATFORM_PACKAGES);
      }
      return false;
    }

    private static boolean startsWithAny(String name, List<String> prefixes) {
      for (int k = 0; k < prefixes.size(); k++) {
        if (name.startsWith(prefixes.get(k))) {
          return true;
        }
      }
      return false;
    }
  }
}
