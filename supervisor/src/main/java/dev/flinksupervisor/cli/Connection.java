package dev.flinksupervisor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Where the admin API is and how to authenticate, from the flags, then the environment, then the
 * command line's config file ({@code ~/.config/flink-supervisor/cli.yaml} or {@code --cli-config}),
 * then the default {@code http://127.0.0.1:8085}. The token is held here only and never part of any
 * message.
 *
 * @param url the admin API's base URL, without a trailing slash
 * @param token the bearer token, or null to send none
 * @param caFile a PEM bundle of CAs to trust for https, or null for the JDK's default trust
 */
public record Connection(URI url, String token, Path caFile) {
  public static final String DEFAULT_URL = "http://127.0.0.1:8085";
  public static final String ENV_URL = "FLINK_SUPERVISOR_URL";
  public static final String ENV_TOKEN = "FLINK_SUPERVISOR_TOKEN";
  static final Set<String> CONFIG_KEYS = Set.of("url", "token", "token-file", "ca-file");

  /** Never the token. */
  @Override
  public String toString() {
    return "Connection[url=" + url + ", token=" + (token == null ? "none" : "set") + "]";
  }

  /** Resolves the connection from the common options, {@code env} and the config file. */
  public static Connection resolve(CliArgs args, Map<String, String> env) {
    Map<String, String> file = readConfig(args.value("cli-config"), env);
    Path fileDir = file.containsKey("") ? Path.of(file.get("")).getParent() : null;

    String url = first(args.value("url"), env.get(ENV_URL), file.get("url"), DEFAULT_URL);
    String token;
    if (args.value("token") != null && args.value("token-file") != null) {
      throw CliException.usage("error: give --token or --token-file, not both");
    }
    if (args.value("token") != null) {
      token = args.value("token");
    } else if (args.value("token-file") != null) {
      token = readToken(Path.of(args.value("token-file")), "--token-file");
    } else if (blankToNull(env.get(ENV_TOKEN)) != null) {
      token = env.get(ENV_TOKEN);
    } else if (file.get("token") != null && file.get("token-file") != null) {
      throw CliException.usage(
          "error: " + file.get("") + " has both token and token-file; keep one");
    } else if (file.get("token-file") != null) {
      token = readToken(relativeTo(fileDir, file.get("token-file")), file.get("") + " token-file");
    } else {
      token = file.get("token");
    }
    String ca = first(args.value("ca-file"), null, null, null);
    Path caFile = ca != null ? Path.of(ca) : null;
    if (caFile == null && file.get("ca-file") != null) {
      caFile = relativeTo(fileDir, file.get("ca-file"));
    }
    return new Connection(parseUrl(url), checkToken(blankToNull(token)), caFile);
  }

  static URI parseUrl(String text) {
    String t = text.strip();
    while (t.endsWith("/")) {
      t = t.substring(0, t.length() - 1);
    }
    try {
      URI uri = new URI(t);
      String scheme = uri.getScheme();
      if (("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))
          && uri.getHost() != null
          && uri.getRawUserInfo() == null
          && uri.getRawQuery() == null) {
        return uri;
      }
    } catch (URISyntaxException e) {
      // below
    }
    throw CliException.usage(
        "error: the admin API's URL must be http(s)://host[:port], not '" + t + "'");
  }

  private static String checkToken(String token) {
    if (token != null && token.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
      throw CliException.usage("error: the token holds spaces, control or non-ASCII characters");
    }
    return token;
  }

  private static String readToken(Path path, String what) {
    try {
      String token = Files.readString(path, StandardCharsets.UTF_8).strip();
      if (token.isEmpty()) {
        throw CliException.usage("error: " + what + " " + path + " is empty");
      }
      return token;
    } catch (NoSuchFileException e) {
      throw CliException.usage("error: " + what + " " + path + " does not exist");
    } catch (IOException e) {
      throw CliException.usage("error: cannot read " + what + " " + path + ": " + e.getMessage());
    }
  }

  /**
   * The config file's keys; the key {@code ""} holds the file's path when one was read. An explicit
   * file must exist; the default one may be absent.
   */
  static Map<String, String> readConfig(String explicit, Map<String, String> env) {
    Path path = explicit != null ? Path.of(explicit) : defaultConfigFile(env);
    if (path == null || (explicit == null && !Files.isRegularFile(path))) {
      return Map.of();
    }
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(path.toFile());
    } catch (IOException e) {
      if (!Files.exists(path)) {
        throw CliException.usage("error: the config file " + path + " does not exist");
      }
      throw CliException.usage(
          "error: cannot read the config file "
              + path
              + ": "
              + Problems.oneLine(String.valueOf(e.getMessage())).replaceAll(" at \\[.*", ""));
    }
    Map<String, String> config = new java.util.HashMap<>();
    config.put("", path.toString());
    if (root == null || root.isMissingNode() || root.isNull()) {
      return config;
    }
    if (!root.isObject()) {
      throw CliException.usage("error: the config file " + path + " must be a map of keys");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!CONFIG_KEYS.contains(e.getKey())) {
        throw CliException.usage(
            "error: unknown key '"
                + e.getKey()
                + "' in "
                + path
                + " (known: url, token, token-file, ca-file)");
      }
      if (!e.getValue().isValueNode()) {
        throw CliException.usage("error: '" + e.getKey() + "' in " + path + " must be a value");
      }
      String value = blankToNull(e.getValue().asText());
      if (value != null) {
        config.put(e.getKey(), value);
      }
    }
    return config;
  }

  /** {@code $XDG_CONFIG_HOME/flink-supervisor/cli.yaml}, else {@code ~/.config/...}. */
  static Path defaultConfigFile(Map<String, String> env) {
    String xdg = blankToNull(env.get("XDG_CONFIG_HOME"));
    if (xdg != null) {
      return Path.of(xdg, "flink-supervisor", "cli.yaml");
    }
    String home = blankToNull(env.get("HOME"));
    if (home == null) {
      home = System.getProperty("user.home");
    }
    return home == null ? null : Path.of(home, ".config", "flink-supervisor", "cli.yaml");
  }

  private static Path relativeTo(Path dir, String path) {
    Path p = Path.of(path);
    return p.isAbsolute() || dir == null ? p : dir.resolve(p);
  }

  private static String first(String a, String b, String c, String fallback) {
    for (String s : new String[] {a, b, c}) {
      if (blankToNull(s) != null) {
        return s;
      }
    }
    return fallback;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}
