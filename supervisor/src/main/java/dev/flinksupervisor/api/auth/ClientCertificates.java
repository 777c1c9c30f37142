package dev.flinksupervisor.api.auth;

import java.util.Optional;

/**
 * Client certificates verified by the TLS handshake against {@code api.tls.client-ca-file}, mapped
 * to a role by {@link CertificateRules}. A certificate that no rule matches authenticates nobody:
 * the request may still authenticate with a bearer token. The caller id is {@code mtls:} and the
 * certificate's subject (or its first URI, DNS name or email when the subject is empty).
 */
public final class ClientCertificates implements Authenticator {
  private final CertificateRules rules;

  public ClientCertificates(CertificateRules rules) {
    this.rules = rules;
  }

  @Override
  public Optional<Caller> authenticate(Credentials credentials) {
    if (credentials.clientCertificates().isEmpty()) {
      return Optional.empty();
    }
    CertificateIdentity identity = CertificateIdentity.of(credentials.clientCertificates().get(0));
    return rules.roleOf(identity).map(role -> new Caller(role, "mtls:" + identity.displayName()));
  }

  @Override
  public String description() {
    return "client certificates (" + rules + ")";
  }
}
