package dev.flinksupervisor.api;

import dev.flinksupervisor.api.auth.AuthChain;
import dev.flinksupervisor.api.auth.AuthMethods;
import dev.flinksupervisor.api.auth.StaticTokens;
import io.javalin.http.Context;
import java.util.Map;

/**
 * Authenticates requests: static bearer tokens (kept only as SHA-256 hashes, compared in constant
 * time), and whatever other {@link AuthMethods} are configured, through one {@link AuthChain}. The
 * caller's role and a non-secret caller id end up in the request attributes {@link #ROLE} and
 * {@link #CALLER}.
 */
final class BearerTokenAuth {
  static final String ROLE = AuthChain.ROLE;
  static final String CALLER = AuthChain.CALLER;

  private final StaticTokens tokens;
  private final AuthChain chain;

  /** Static tokens only. */
  BearerTokenAuth(Map<String, ApiRole> tokensByValue) {
    this(tokensByValue, AuthMethods.NONE);
  }

  BearerTokenAuth(Map<String, ApiRole> tokensByValue, AuthMethods methods) {
    this.tokens = new StaticTokens(tokensByValue);
    this.chain = new AuthChain(tokens, methods);
  }

  /** Replaces every static token at once (a rotated Secret); requests in flight see old or new. */
  void replace(Map<String, ApiRole> tokensByValue) {
    tokens.replace(tokensByValue);
  }

  /** Authenticates the request and remembers the caller's role and id; 401 or 503 otherwise. */
  void check(Context ctx) {
    chain.check(ctx);
  }
}
