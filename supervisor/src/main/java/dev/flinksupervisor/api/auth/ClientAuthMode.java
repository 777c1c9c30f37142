package dev.flinksupervisor.api.auth;

/**
 * Whether the admin API's TLS handshake asks for a client certificate ({@code WANT}: a client
 * without one may still send a bearer token) or requires one ({@code NEED}).
 */
public enum ClientAuthMode {
  WANT,
  NEED
}
