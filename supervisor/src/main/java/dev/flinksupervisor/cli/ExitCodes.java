package dev.flinksupervisor.cli;

/** The command line's exit codes, and which HTTP status of the admin API ends with which. */
public final class ExitCodes {
  /** Done. */
  public static final int OK = 0;

  /** The operation failed: a savepoint or re-profiling ended FAILED, or the API answered 5xx. */
  public static final int FAILED = 1;

  /** Bad flags or arguments, or a request the API refused as invalid (400, 413, 415). */
  public static final int USAGE = 2;

  /** No such job, savepoint or operation (404). */
  public static final int NOT_FOUND = 3;

  /** No token, a wrong one, or one without the right role (401, 403). */
  public static final int REFUSED = 4;

  /** Conflicts with the job's state, a standby sidecar, or busy (409, 429, 503). */
  public static final int CONFLICT = 5;

  /** The sidecar cannot be reached, does not answer in time, or --timeout passed (502, 504). */
  public static final int UNREACHABLE = 6;

  private ExitCodes() {}

  /** The exit code of a command the API answered with {@code status} (4xx or 5xx). */
  public static int forStatus(int status) {
    return switch (status) {
      case 404, 410 -> NOT_FOUND;
      case 401, 403 -> REFUSED;
      case 409, 429, 503 -> CONFLICT;
      case 400, 405, 406, 413, 414, 415 -> USAGE;
      case 502, 504 -> UNREACHABLE;
      default -> FAILED;
    };
  }
}
