package dev.flinksupervisor.api.auth;

import java.util.Optional;

/**
 * One way to authenticate a request to the admin API. An authenticator answers with the caller, or
 * empty when the credentials are not for it (another may take them), or throws {@link
 * AuthenticationRefused} (they are for it and wrong: 401) or {@link IdentityProviderUnavailable}
 * (it could not ask the identity provider: 503). It never puts a token or a part of one into an
 * exception, a log line or a caller id.
 */
public interface Authenticator {
  Optional<Caller> authenticate(Credentials credentials);

  /** One line for the start log: what this accepts, without anything secret. */
  String description();
}
