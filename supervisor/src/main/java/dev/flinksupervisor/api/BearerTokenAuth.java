package dev.flinksupervisor.api;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Checks {@code Authorization: Bearer <token>} and finds the token's role. Only SHA-256 hashes of
 * the tokens are kept; every known hash is compared in constant time, so the time taken says
 * nothing about which token nearly matched.
 */
final class BearerTokenAuth {
  static final String ROLE = "flink-supervisor.role";
  static final String CALLER = "flink-supervisor.caller";
  private static final String PREFIX = "Bearer ";

  private volatile Map<byte[], ApiRole> tokens = Map.of();

  BearerTokenAuth(Map<String, ApiRole> tokensByValue) {
    replace(tokensByValue);
  }

  /** Replaces every token at once (a rotated Secret); requests in flight see old or new. */
  void replace(Map<String, ApiRole> tokensByValue) {
    Map<byte[], ApiRole> hashed = new LinkedHashMap<>();
    tokensByValue.forEach((token, role) -> hashed.put(sha256(token), role));
    tokens = hashed;
  }

  /** Authenticates the request and remembers the caller's role and a token fingerprint. */
  void check(Context ctx) {
    String header = ctx.header("Authorization");
    if (header == null || header.isBlank()) {
      throw ProblemException.unauthorized("Send 'Authorization: Bearer <token>'.");
    }
    if (!header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
      throw ProblemException.unauthorized("Only bearer tokens are accepted.");
    }
    byte[] presented = sha256(header.substring(PREFIX.length()).trim());
    ApiRole role = null;
    for (Map.Entry<byte[], ApiRole> known : tokens.entrySet()) {
      if (MessageDigest.isEqual(presented, known.getKey())) {
        role = known.getValue();
      }
    }
    if (role == null) {
      throw ProblemException.unauthorized("The bearer token is not valid.");
    }
    ctx.attribute(ROLE, role);
    // Who acted, for the audit log: the role and the first 8 hex digits of the token's hash.
    ctx.attribute(
        CALLER, role.name().toLowerCase() + ":" + HexFormat.of().formatHex(presented, 0, 4));
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
