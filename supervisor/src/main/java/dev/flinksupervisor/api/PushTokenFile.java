package dev.flinksupervisor.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
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

  PushTokenFile(Path file) {
    this.file = file;
  }

  /** The token now in the file; fails when it cannot be read or is empty. */
  synchronized String load() {
    try {
      String token = Files.readString(file).strip();
      if (token.isEmpty() || token.chars().anyMatch(Character::isWhitespace)) {
        throw new IllegalArgumentException(
            file + " must hold one token: no blank, no whitespace inside");
      }
      last = token;
      return token;
    } catch (IOException e) {
      throw new UncheckedIOException(file + " cannot be read: " + e.getClass().getSimpleName(), e);
    }
  }

  /** Hands the token to {@code apply} if it changed since the last read. */
  synchronized void poll(Consumer<String> apply) {
    String before = last;
    try {
      String token = load();
      if (!token.equals(before)) {
        apply.accept(token);
        LOG.info("Reloaded the push token from {}", file);
      }
    } catch (RuntimeException e) {
      last = before;
      LOG.error(
          "The push token file could not be used; keeping the token in force: {}", e.getMessage());
    }
  }
}
