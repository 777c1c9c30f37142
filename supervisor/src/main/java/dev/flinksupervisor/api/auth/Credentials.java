package dev.flinksupervisor.api.auth;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * What a request presents: the client certificate chain that the TLS handshake verified (empty
 * without one), and the value of {@code Authorization: Bearer}, when sent.
 */
public record Credentials(List<X509Certificate> clientCertificates, Optional<String> bearerToken) {
  public Credentials {
    clientCertificates = List.copyOf(clientCertificates);
  }

  public static Credentials bearer(String token) {
    return new Credentials(List.of(), Optional.of(token));
  }
}
