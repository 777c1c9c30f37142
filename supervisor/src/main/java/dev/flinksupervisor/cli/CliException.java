package dev.flinksupervisor.cli;

/**
 * Ends a command with an exit code and one line for stderr. The line never holds the token: it is
 * built from the API's problem detail, a local reason, or an I/O error's message.
 */
public final class CliException extends RuntimeException {
  private final int exitCode;

  public CliException(int exitCode, String line) {
    super(line, null, false, false);
    this.exitCode = exitCode;
  }

  /** Bad flags or arguments (exit 2). */
  public static CliException usage(String message) {
    return new CliException(ExitCodes.USAGE, message);
  }

  public int exitCode() {
    return exitCode;
  }
}
