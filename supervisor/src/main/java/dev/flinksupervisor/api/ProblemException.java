package dev.flinksupervisor.api;

/** Thrown by a handler to answer with a problem detail. */
public final class ProblemException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final transient Problem problem;
  private final long retryAfterSeconds;

  public ProblemException(Problem problem) {
    this(problem, -1);
  }

  private ProblemException(Problem problem, long retryAfterSeconds) {
    super(problem.detail());
    this.problem = problem;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public Problem problem() {
    return problem;
  }

  /** The same problem, answered with a {@code Retry-After} header. */
  public ProblemException retryAfter(long seconds) {
    return new ProblemException(problem, Math.max(1, seconds));
  }

  /** The {@code Retry-After} seconds, or -1 for none. */
  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }

  public static ProblemException notFound(String what, String detail) {
    return new ProblemException(Problem.of(404, "not-found", what + " not found", detail));
  }

  public static ProblemException badRequest(String field, String detail) {
    return new ProblemException(
        Problem.of(400, "bad-request", "Bad request", detail).withField(field));
  }

  public static ProblemException unauthorized(String detail) {
    return new ProblemException(Problem.of(401, "unauthorized", "Unauthorized", detail));
  }
}
