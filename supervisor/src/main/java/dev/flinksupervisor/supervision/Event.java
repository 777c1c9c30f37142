package dev.flinksupervisor.supervision;

import java.time.Instant;
import java.util.Objects;

/**
 * Something that happened, as the sidecar saw it. Repeats of the same event (same type, job and
 * message) are folded into one with a count and the time of the last one.
 *
 * @param id increases with every new event; clients resume a stream from it
 * @param jobId the job it concerns, or {@code null} for cluster events
 */
public record Event(
    long id,
    Instant time,
    Instant lastTime,
    String type,
    Severity severity,
    String jobId,
    String message,
    int count) {

  /** Whether {@code other} repeats this event and should be folded into it. */
  public boolean sameAs(String otherType, String otherJobId, String otherMessage) {
    return type.equals(otherType)
        && Objects.equals(jobId, otherJobId)
        && message.equals(otherMessage);
  }

  /** The same event under another id (two sidecars numbered different events alike). */
  public Event withId(long otherId) {
    return new Event(otherId, time, lastTime, type, severity, jobId, message, count);
  }

  public Event repeatedAt(Instant at) {
    return new Event(id, time, at, type, severity, jobId, message, count + 1);
  }
}
