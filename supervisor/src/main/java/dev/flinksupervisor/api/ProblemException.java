package dev.flinksupervisor.api;

/** Thrown by a handler to answer with a problem detail. */
public final class ProblemException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final transient Problem problem;

  public ProblemException(Problem problem) {
    super(problem.detail());
    this.problem = problem;
  }

  public Problem problem() {
    return problem;
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
