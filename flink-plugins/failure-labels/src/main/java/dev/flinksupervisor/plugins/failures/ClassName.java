package dev.flinksupervisor.plugins.failures;

import java.util.regex.Pattern;

/**
 * A class condition of a rule: a fully qualified class name, or a package prefix written {@code
 * org.apache.kafka.*} that matches every class in that package and below. Compared with names only;
 * nothing is loaded.
 */
record ClassName(String name, boolean isPrefix) {
  private static final String PART = "[\\p{L}_$][\\p{L}\\p{N}_$]*";
  private static final Pattern SYNTAX =
      Pattern.compile(PART + "(?:\\." + PART + ")*" + "(?:\\.\\*)?");

  /**
   * Reads {@code a.b.C} or {@code a.b.*}.
   *
   * @throws IllegalArgumentException when the text is neither
   */
  static ClassName parse(String text) {
    if (!SYNTAX.matcher(text).matches()) {
      throw new IllegalArgumentException(
          "'"
              + text
              + "' is neither a class name (java.io.IOException) nor a package prefix"
              + " (org.apache.kafka.*)");
    }
    return text.endsWith(".*")
        ? new ClassName(text.substring(0, text.length() - 1), true)
        : new ClassName(text, false);
  }

  boolean matches(String className) {
    return isPrefix ? className.startsWith(name) : className.equals(name);
  }

  @Override
  public String toString() {
    return isPrefix ? name + "*" : name;
  }
}
