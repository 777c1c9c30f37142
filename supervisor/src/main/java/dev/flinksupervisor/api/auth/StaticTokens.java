package dev.flinksupervisor.api.auth;

import dev.flinksupervisor.api.ApiRole;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Bearer tokens configured in advance ({@code admin.token}, {@code admin.viewer-token}, the tokens
 * file). Only SHA-256 hashes of the tokens are kept; every known hash is compared in constant time,
 * so the time taken says nothing about which token nearly matched. The caller id is the role and
 * the first 8 hex digits of the token's hash.
 */
public final class StaticTokens implements Authenticator {
  private volatile Map<byte[], ApiRole> tokens = Map.of();

  public StaticTokens(Map<String, ApiRole> tokensByValue) {
    replace(tokensByValue);
  }

  /** Replaces every token at once (a rotated Secret); requests in flight see old or new. */
  public void replace(Map<String, ApiRole> tokensByValue) {
    Map<byte[], ApiRole> hashed = new LinkedHashMap<>();
    tokensByValue.forEach((token, role) -> hashed.put(sha256(token), role));
    tokens = hashed;
  }

  @Override
  public Optional<Caller> authenticate(Credentials credentials) {
    if (credentials.bearerToken().isEmpty()) {
      return Optional.empty();
    }
    byte[] presented = sha256(credentials.bearerToken().get());
    ApiRole role = null;
    for (Map.Entry<byte[], ApiRole> known : tokens.entrySet()) {
      if (MessageDigest.isEqual(presented, known.getKey())) {
        role = known.getValue();
      }
    }
    if (role == null) {
      return Optional.empty();
    }
    return Optional.of(
        new Caller(
            role,
            role.name().toLowerCase(Locale.ROOT)
                + ":"
                + HexFormat.of().formatHex(presented, 0, 4)));
  }

  @Override
  public String description() {
    return tokens.size() + " static bearer token(s)";
  }

  /** The SHA-256 of a token, the only form in which tokens are kept or used as keys. */
  public static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
