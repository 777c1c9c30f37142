package dev.flinksupervisor.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Bearer tokens from a file, as a mounted Kubernetes Secret provides them: one {@code <role>
 * <token>} per line ({@code operator} or {@code viewer}), {@code #} starts a comment. Errors name
 * the line, never the token.
 */
public final class TokenFile {
  private TokenFile() {}

  public static Map<String, ApiRole> read(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file);
    Map<String, ApiRole> tokens = new LinkedHashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] parts = line.split("\\s+");
      if (parts.length != 2) {
        throw new IllegalArgumentException(
            file + " line " + (i + 1) + ": expected '<operator|viewer> <token>'");
      }
      ApiRole role;
      try {
        role = ApiRole.valueOf(parts[0].toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        role = null;
      }
      if (role != ApiRole.OPERATOR && role != ApiRole.VIEWER) {
        throw new IllegalArgumentException(
            file
                + " line "
                + (i + 1)
                + ": the first column is the role, operator or viewer (the line is not shown: it"
                + " may hold a token)");
      }
      tokens.put(parts[1], role);
    }
    if (tokens.isEmpty()) {
      throw new IllegalArgumentException(file + " holds no token");
    }
    return tokens;
  }
}
