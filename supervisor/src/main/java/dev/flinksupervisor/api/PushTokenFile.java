package dev.flinksupervisor.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The push token, alone in a file (a key of a Secret mounted in the JobManager's container too).
 * Re-read when it changes; a file that cannot be used keeps the token in force. Messages name the
 * file, never its content.
 */
final class PushTokenFile {
  private static final Logger LOG = LoggerFactory.getLogger(PushTokenFile.class);

  private final Path file;
  private String last;
  private String previous;
  private String lastProblem;

  PushTokenFile(Path file) {
    this.file = file;
  }

  /** The token now in the file; fails when it cannot be read or is empty. */
  synchronized String load() {
    try {
      String token = Files.readString(file).strip();
      if (token.isEmpty() || !token.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
        throw new IllegalArgumentException(
            file
                + " must hold one token: printable ASCII, no space inside (as the JobManager's"
                + " plugin sends it)");
      }
      last = token;
      return token;
    } catch (IOException e) {
      throw new UncheckedIOException(file + " cannot be read: " + e.getClass().getSimpleName(), e);
    }
  }

  /**
   * Hands the token, and the one before it, to {@code apply} when the file changed since the last
   * read; a poll later with no change, the one before is no longer handed on.
   */
  synchronized void poll(BiConsumer<String, String> apply) {
    String before = last;
    try {
      String token = load();
      lastProblem = null;
      if (!token.equals(before)) {
        previous = before;
        apply.accept(token, previous);
        LOG.info("Reloaded the push token from {}; the previous one is accepted a while", file);
      } else if (previous != null) {
        previous = null;
        apply.accept(token, null);
      }
    } catch (RuntimeException e) {
      if (!String.valueOf(e.getMessage()).equals(lastProblem)) {
        LOG.error(
            "The push token file could not be used; keeping the token in force: {}",
            e.getMessage());
        lastProblem = String.valueOf(e.getMessage());
      }
    }
  }
}
