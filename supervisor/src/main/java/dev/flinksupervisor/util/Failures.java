package dev.flinksupervisor.util;

import java.util.concurrent.CompletionException;

/** How a failure is told in events, problems and logs: briefly, by what went wrong underneath. */
public final class Failures {
  private Failures() {}

  /** The innermost cause as {@code Class: message}, past the wrappers of futures. */
  public static String rootCause(Throwable t) {
    Throwable outer = unwrap(t);
    Throwable deepest = outer;
    while (deepest.getCause() != null && deepest.getCause() != deepest) {
      deepest = deepest.getCause();
    }
    String message = deepest.getMessage() != null ? deepest.getMessage() : outer.getMessage();
    return deepest.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  /** Every distinct message down the cause chain, for errors that Flink explains in layers. */
  public static String messageChain(Throwable t) {
    Throwable outer = unwrap(t);
    StringBuilder out = new StringBuilder(String.valueOf(outer.getMessage()));
    Throwable cause = outer.getCause();
    while (cause != null && cause != cause.getCause()) {
      if (cause.getMessage() != null && !out.toString().contains(cause.getMessage())) {
        out.append(" Caused by: ").append(cause.getMessage());
      }
      cause = cause.getCause();
    }
    return out.toString();
  }

  private static Throwable unwrap(Throwable t) {
    Throwable outer = t;
    while (outer instanceof CompletionException && outer.getCause() != null) {
      outer = outer.getCause();
    }
    return outer;
  }
}
