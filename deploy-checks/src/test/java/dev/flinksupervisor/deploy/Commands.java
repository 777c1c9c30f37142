package dev.flinksupervisor.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Command-line tools the checks run when the machine has them. */
final class Commands {
  private Commands() {}

  /** What a command printed (stdout and stderr together) and how it exited. */
  record Result(int exitCode, String output) {
    boolean ok() {
      return exitCode == 0;
    }
  }

  static Result run(Path dir, Duration timeout, List<String> command)
      throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    // Read while it runs: a full pipe would block it.
    var output = new java.io.ByteArrayOutputStream();
    Thread reader =
        new Thread(
            () -> {
              try {
                process.getInputStream().transferTo(output);
              } catch (IOException ignored) {
                // the process is gone
              }
            });
    reader.start();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      reader.join(5_000);
      return new Result(-1, "timed out after " + timeout + ":\n" + output);
    }
    reader.join(5_000);
    return new Result(process.exitValue(), output.toString(StandardCharsets.UTF_8));
  }

  /** {@code name}, when it is on the PATH and answers {@code args}. */
  static Optional<String> available(String name, String... args) {
    try {
      List<String> command = new java.util.ArrayList<>(List.of(name));
      command.addAll(List.of(args));
      return run(Path.of("."), Duration.ofSeconds(30), command).ok()
          ? Optional.of(name)
          : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }
}
