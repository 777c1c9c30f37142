package dev.flinksupervisor.flink;

import java.util.Map;

/**
 * The latest failure of a job, from its exception history.
 *
 * @param timestamp epoch milliseconds of the failure
 * @param exception the exception as Flink reports it: class and message
 * @param rootCause the innermost cause, when it differs from {@code exception}
 * @param task the failing task, when one is known
 * @param labels failure labels from the JobManager's failure enrichers
 */
public record FailureCause(
    long timestamp, String exception, String rootCause, String task, Map<String, String> labels) {

  /** One line for an on-call engineer. */
  public String summary() {
    StringBuilder out = new StringBuilder(exception);
    if (rootCause != null) {
      out.append(" (root cause: ").append(rootCause).append(')');
    }
    if (task != null) {
      out.append(" in ").append(task);
    }
    if (!labels.isEmpty()) {
      out.append(" [labels ");
      new java.util.TreeMap<>(labels)
          .forEach((k, v) -> out.append(k).append('=').append(v).append(", "));
      out.setLength(out.length() - 2);
      out.append(']');
    }
    return out.toString();
  }

  /** Reads the exception and its innermost cause from a Java stack trace. */
  public static FailureCause fromStackTrace(
      long timestamp,
      String exceptionName,
      String stackTrace,
      String task,
      Map<String, String> labels) {
    String first = exceptionName;
    String root = null;
    if (stackTrace != null && !stackTrace.isBlank()) {
      String[] lines = stackTrace.split("\\R");
      first = lines[0].trim();
      for (String line : lines) {
        String trimmed = line.trim();
        if (trimmed.startsWith("Caused by: ")) {
          root = trimmed.substring("Caused by: ".length());
        }
      }
    }
    return new FailureCause(
        timestamp, first, root, task, labels == null ? Map.of() : Map.copyOf(labels));
  }
}
