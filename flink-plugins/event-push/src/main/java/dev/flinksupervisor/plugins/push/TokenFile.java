package dev.flinksupervisor.plugins.push;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bearer token, read from a mounted Secret. The file is looked at again when its modification
 * time or size changes (checked at most once per interval), at once after {@link #reload()}, and on
 * every call while there is no usable token. Only the path is ever logged, never the content.
 *
 * <p>Not thread-safe: the sender thread alone uses it.
 */
final class TokenFile {

  private static final Logger LOG = LoggerFactory.getLogger(TokenFile.class);

  private final Path path;
  private final Duration checkInterval;
  private final Clock clock;

  private String token;
  private Stamp stamp;
  private long nextCheckAt;
  private boolean reloadRequested;
  private String problem;

  TokenFile(Path path, Duration checkInterval, Clock clock) {
    this.path = path;
    this.checkInterval = checkInterval;
    this.clock = clock;
  }

  Path path() {
    return path;
  }

  /** The current token, or null while the file is missing, empty or unusable. */
  String current() {
    long now = clock.millis();
    if (token != null && !reloadRequested && now < nextCheckAt) {
      return token;
    }
    nextCheckAt = now + checkInterval.toMillis();
    boolean force = reloadRequested;
    reloadRequested = false;

    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(path, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      return unusable("does not exist");
    } catch (IOException | RuntimeException e) {
      return unusable("cannot be read (" + e.getClass().getSimpleName() + ")");
    }
    Stamp current = new Stamp(attributes.lastModifiedTime(), attributes.size());
    if (token != null && !force && current.equals(stamp)) {
      return token;
    }

    String content;
    try {
      content = Files.readString(path, StandardCharsets.UTF_8).trim();
    } catch (IOException | RuntimeException e) {
      return unusable("cannot be read (" + e.getClass().getSimpleName() + ")");
    }
    if (content.isEmpty()) {
      return unusable("is empty");
    }
    if (!isHeaderSafe(content)) {
      return unusable("holds characters a bearer token cannot have");
    }
    if (problem != null) {
      LOG.info("The push token file {} is usable now.", path);
      problem = null;
    }
    stamp = current;
    token = content;
    return token;
  }

  /** Makes the next {@link #current()} read the file again, e.g. after the sidecar answered 401. */
  void reload() {
    reloadRequested = true;
  }

  /** Why there is no token, or null if there is one. */
  String problem() {
    return problem;
  }

  private String unusable(String reason) {
    token = null;
    stamp = null;
    if (!Objects.equals(problem, reason)) {
      problem = reason;
      LOG.warn(
          "The push token file {} {}; events are not pushed to the sidecar until it holds a"
              + " token.",
          path,
          reason);
    }
    return null;
  }

  private static boolean isHeaderSafe(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        return false;
      }
    }
    return true;
  }

  private record Stamp(FileTime modified, long size) {}
}
