package dev.flinksupervisor.api.auth;

/**
 * The identity provider (the OIDC issuer's keys, the Kubernetes API) could not be asked in time:
 * the request gets 503 with {@code Retry-After}, not 401, since the credentials may well be good.
 */
public final class IdentityProviderUnavailable extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** {@code reason} is shown to the client: it must not hold the token or a part of it. */
  public IdentityProviderUnavailable(String reason) {
    super(reason, null, false, false);
  }
}
