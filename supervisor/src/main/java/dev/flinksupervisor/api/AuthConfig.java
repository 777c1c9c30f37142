package dev.flinksupervisor.api;

import dev.flinksupervisor.api.auth.AuthMethods;
import dev.flinksupervisor.api.auth.Authenticator;
import dev.flinksupervisor.api.auth.CertificateRules;
import dev.flinksupervisor.api.auth.ClientCertificates;
import dev.flinksupervisor.api.auth.KubernetesTokenReview;
import dev.flinksupervisor.api.auth.OidcTokens;
import dev.flinksupervisor.api.auth.RoleClaims;
import dev.flinksupervisor.config.ConfigException;
import dev.flinksupervisor.config.SupervisorConfig;
import dev.flinksupervisor.config.SupervisorOptions;
import dev.flinksupervisor.store.KubernetesClients;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.flink.kubernetes.shaded.io.fabric8.kubernetes.client.KubernetesClient;

/** The admin API's ways to authenticate beside static tokens, from the configuration. */
final class AuthConfig {
  private AuthConfig() {}

  /**
   * The configured methods; what must be closed with the server (a Kubernetes client) is added to
   * {@code resources}.
   */
  static AuthMethods methods(
      SupervisorConfig config, Optional<PemTls> tls, Clock clock, List<AutoCloseable> resources) {
    Duration timeout = config.get(SupervisorOptions.AUTH_TIMEOUT);
    return new AuthMethods(
        certificates(config, tls),
        oidc(config, timeout, clock),
        kubernetes(config, timeout, clock, resources));
  }

  private static Optional<Authenticator> certificates(
      SupervisorConfig config, Optional<PemTls> tls) {
    Optional<String> operators = config.getOptional(SupervisorOptions.MTLS_OPERATORS);
    Optional<String> viewers = config.getOptional(SupervisorOptions.MTLS_VIEWERS);
    if (operators.isEmpty() && viewers.isEmpty()) {
      return Optional.empty();
    }
    if (tls.flatMap(PemTls::clientAuth).isEmpty()) {
      throw new ConfigException(
          "Options 'auth.mtls.operators' and 'auth.mtls.viewers' need client certificates: set"
              + " 'api.tls.client-ca-file' (and TLS).");
    }
    try {
      return Optional.of(
          new ClientCertificates(
              CertificateRules.parse(operators.orElse(null), viewers.orElse(null))));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(
          "Option 'auth.mtls.operators'/'auth.mtls.viewers': " + e.getMessage(), e);
    }
  }

  private static Optional<Authenticator> oidc(
      SupervisorConfig config, Duration timeout, Clock clock) {
    Optional<String> issuer = config.getOptional(SupervisorOptions.OIDC_ISSUER);
    if (issuer.isEmpty()) {
      return Optional.empty();
    }
    String audience =
        config
            .getOptional(SupervisorOptions.OIDC_AUDIENCE)
            .orElseThrow(
                () ->
                    new ConfigException(
                        "Option 'auth.oidc.issuer' needs 'auth.oidc.audience': the audience"
                            + " tokens for this API are issued for."));
    Optional<URI> jwks =
        config.getOptional(SupervisorOptions.OIDC_JWKS_URL).map(AuthConfig::httpUrl);
    httpUrl(issuer.get());
    return Optional.of(
        new OidcTokens(
            issuer.get(),
            audience,
            jwks,
            new RoleClaims(
                config.get(SupervisorOptions.OIDC_ROLE_CLAIM),
                values(config.get(SupervisorOptions.OIDC_OPERATOR_VALUES)),
                values(config.get(SupervisorOptions.OIDC_VIEWER_VALUES))),
            config.get(SupervisorOptions.OIDC_CLOCK_SKEW),
            timeout,
            clock));
  }

  private static Optional<Authenticator> kubernetes(
      SupervisorConfig config, Duration timeout, Clock clock, List<AutoCloseable> resources) {
    if (!config.get(SupervisorOptions.KUBERNETES_AUTH)) {
      return Optional.empty();
    }
    String namespace = config.get(SupervisorOptions.NAMESPACE);
    // A client of its own, for its own timeout: a review waits at most auth.timeout.
    KubernetesClient client =
        KubernetesClients.create(
            config.getOptional(SupervisorOptions.KUBECONFIG), namespace, timeout);
    resources.add(client);
    return Optional.of(
        new KubernetesTokenReview(
            client,
            namespace,
            config.get(SupervisorOptions.CLUSTER_ID),
            config.getOptional(SupervisorOptions.KUBERNETES_AUTH_AUDIENCE),
            config.get(SupervisorOptions.KUBERNETES_AUTH_CACHE_TTL),
            clock));
  }

  static Set<String> values(String commaSeparated) {
    Set<String> out = new LinkedHashSet<>();
    Arrays.stream(commaSeparated.split(","))
        .map(String::strip)
        .filter(v -> !v.isEmpty())
        .forEach(out::add);
    return out;
  }

  private static URI httpUrl(String text) {
    try {
      URI uri = URI.create(text);
      if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme())
          || uri.getHost() == null) {
        throw new IllegalArgumentException("not an http(s) URL");
      }
      return uri;
    } catch (IllegalArgumentException e) {
      throw new ConfigException("'" + text + "' is not an http(s) URL (auth.oidc.*)");
    }
  }
}
