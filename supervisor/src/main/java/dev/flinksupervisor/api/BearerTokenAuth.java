package dev.flinksupervisor.api;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Checks {@code Authorization: Bearer <token>}. Only a SHA-256 hash of the token is kept, and
 * hashes are compared in constant time.
 */
final class BearerTokenAuth {
  private static final String PREFIX = "Bearer ";
  private final byte[] tokenHash;

  BearerTokenAuth(String token) {
    this.tokenHash = sha256(token);
  }

  void check(Context ctx) {
    String header = ctx.header("Authorization");
    if (header == null || header.isBlank()) {
      throw ProblemException.unauthorized("Send 'Authorization: Bearer <token>'.");
    }
    if (!header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
      throw ProblemException.unauthorized("Only bearer tokens are accepted.");
    }
    byte[] presented = sha256(header.substring(PREFIX.length()).trim());
    if (!MessageDigest.isEqual(presented, tokenHash)) {
      throw ProblemException.unauthorized("The bearer token is not valid.");
    }
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
