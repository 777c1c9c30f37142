package dev.flinksupervisor.api;

import dev.flinksupervisor.util.Refused;
import java.util.function.Supplier;

/** Turns a {@link Refused} request into its problem detail; the one place that maps them. */
final class Refusals {
  private Refusals() {}

  static <T> T answer(Supplier<T> action) {
    try {
      return action.get();
    } catch (Refused e) {
      throw problemOf(e);
    }
  }

  static ProblemException problemOf(Refused e) {
    Problem p =
        switch (e.kind()) {
          case BAD_INPUT -> Problem.of(400, "bad-request", "Bad request", e.getMessage());
          case UNKNOWN_JOB -> Problem.of(404, "not-found", "Not found", e.getMessage());
          case CONFLICT -> Problem.of(409, "conflict", "Conflict", e.getMessage());
          case NOT_POSSIBLE -> Problem.of(422, "not-possible", "Not possible", e.getMessage());
          case UNAVAILABLE ->
              Problem.of(503, "record-unavailable", "Not recorded, not done", e.getMessage());
        };
    ProblemException problem = new ProblemException(e.field() == null ? p : p.withField(e.field()));
    return e.kind() == Refused.Kind.UNAVAILABLE
        ? problem.retryAfter(e.retryAfter().toSeconds())
        : problem;
  }
}
