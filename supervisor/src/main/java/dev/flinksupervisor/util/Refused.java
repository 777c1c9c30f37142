package dev.flinksupervisor.util;

import dev.flinksupervisor.store.RecordUnavailable;
import java.time.Duration;

/**
 * Why a request cannot be carried out, with nothing changed; the admin API turns it into a problem
 * detail (400, 404, 409, 422 or 503 with {@code Retry-After}).
 */
public final class Refused extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What kind of refusal. */
  public enum Kind {
    /** The request is malformed or names something that does not exist in the configuration. */
    BAD_INPUT,
    /** No such job (or savepoint, or operation). */
    UNKNOWN_JOB,
    /** The job's state does not allow it now (not RUNNING, an action in flight, standby). */
    CONFLICT,
    /** It can never work as asked (the cluster cannot run these profiles). */
    NOT_POSSIBLE,
    /** The sidecar cannot record it now (its record is unreachable); try again later. */
    UNAVAILABLE
  }

  private final Kind kind;
  private final String field;
  private final Duration retryAfter;

  public Refused(Kind kind, String message) {
    this(kind, null, message, null);
  }

  public Refused(Kind kind, String field, String message) {
    this(kind, field, message, null);
  }

  private Refused(Kind kind, String field, String message, Duration retryAfter) {
    super(message);
    this.kind = kind;
    this.field = field;
    this.retryAfter = retryAfter;
  }

  /** The record carrying the request could not be stored, so nothing was done. */
  public static Refused unavailable(RecordUnavailable cause) {
    return new Refused(
        Kind.UNAVAILABLE, null, "Nothing was done: " + cause.getMessage(), cause.retryAfter());
  }

  public Kind kind() {
    return kind;
  }

  /** The request field at fault, or null. */
  public String field() {
    return field;
  }

  /** For {@link Kind#UNAVAILABLE}: when trying again may help. */
  public Duration retryAfter() {
    return retryAfter == null ? Duration.ofSeconds(5) : retryAfter;
  }
}
