package dev.flinksupervisor.api.auth;

/** The credentials are for this authenticator and are not good: the request gets 401. */
public final class AuthenticationRefused extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** {@code reason} is shown to the client: it must not hold the token or a part of it. */
  public AuthenticationRefused(String reason) {
    super(reason, null, false, false);
  }
}
