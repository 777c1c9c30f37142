package dev.flinksupervisor.store;

import java.time.Duration;

/**
 * The sidecar's record could not be read or written, so what depends on it is not done. The message
 * says why; {@link #retryAfter()} says when trying again may help.
 */
public final class RecordUnavailable extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final Duration retryAfter;

  public RecordUnavailable(String message, Duration retryAfter) {
    super(message);
    this.retryAfter = retryAfter;
  }

  public Duration retryAfter() {
    return retryAfter;
  }
}
