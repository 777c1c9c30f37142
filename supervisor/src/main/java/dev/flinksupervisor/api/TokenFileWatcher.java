package dev.flinksupervisor.api;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-reads the tokens file when its content changes (a rotated Secret) and hands the new tokens,
 * together with the fixed ones, to {@code apply}. A file that cannot be read or parsed keeps the
 * tokens in force; the log names the file and line, never a token.
 */
public final class TokenFileWatcher {
  private static final Logger LOG = LoggerFactory.getLogger(TokenFileWatcher.class);

  private final Path file;
  private final Map<String, ApiRole> fixed;
  private final Consumer<Map<String, ApiRole>> apply;
  private String lastContent;

  public TokenFileWatcher(
      Path file, Map<String, ApiRole> fixed, Consumer<Map<String, ApiRole>> apply) {
    this.file = file;
    this.fixed = Map.copyOf(fixed);
    this.apply = apply;
  }

  /** The tokens now in the file plus the fixed ones; fails at start when the file is unusable. */
  public synchronized Map<String, ApiRole> load() throws Exception {
    lastContent = Files.readString(file);
    return merged(TokenFile.read(file));
  }

  /** Applies the file's tokens if it changed since the last read. */
  public synchronized void poll() {
    try {
      String content = Files.readString(file);
      if (content.equals(lastContent)) {
        return;
      }
      Map<String, ApiRole> tokens = merged(TokenFile.read(file));
      lastContent = content;
      apply.accept(tokens);
      LOG.info("Reloaded {} bearer token(s) from {}", tokens.size(), file);
    } catch (Exception e) {
      LOG.error(
          "The tokens file could not be used; keeping the tokens in force: {}", e.getMessage());
    }
  }

  private Map<String, ApiRole> merged(Map<String, ApiRole> fromFile) {
    Map<String, ApiRole> all = new LinkedHashMap<>(fromFile);
    all.putAll(fixed);
    return all;
  }
}
