package dev.flinksupervisor.plugins.failures;

import java.util.regex.Pattern;

/**
 * The categories of the built-in rules: values of the {@code category} label. A rule in the
 * configuration may name other categories, in upper case letters, digits and {@code _}.
 */
public final class Categories {
  private Categories() {}

  public static final String OUT_OF_MEMORY = "OUT_OF_MEMORY";
  public static final String CLASS_NOT_FOUND = "CLASS_NOT_FOUND";
  public static final String SERIALIZATION = "SERIALIZATION";
  public static final String KAFKA = "KAFKA";
  public static final String CHECKPOINT = "CHECKPOINT";
  public static final String TASK_MANAGER_LOST = "TASK_MANAGER_LOST";
  public static final String TIMEOUT = "TIMEOUT";
  public static final String NETWORK = "NETWORK";
  public static final String USER_CODE = "USER_CODE";

  /** No rule matched. */
  public static final String UNKNOWN = "UNKNOWN";

  /** What a category name may look like. */
  static final Pattern NAME = Pattern.compile("[A-Z0-9_]+");
}
