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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The admin API's ways to authenticate beside static tokens, from the configuration. */
final class AuthConfig {
  private static final Logger LOG = LoggerFactory.getLogger(AuthConfig.class);

  /** Beyond this, an expired token would be taken long after it expired. */
  static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);

  private AuthConfig() {}

  /** Whether a method other than static tokens can make a caller an operator. */
  static boolean grantsOperator(SupervisorConfig config) {
    return config.getOptional(SupervisorOptions.MTLS_OPERATORS).isPresent()
        || (config.getOptional(SupervisorOptions.OIDC_ISSUER).isPresent()
            && !values(config.get(SupervisorOptions.OIDC_OPERATOR_VALUES)).isEmpty())
        || config.get(SupervisorOptions.KUBERNETES_AUTH);
  }

  /**
   * Warns of settings that work but expose bearer tokens that are good elsewhere: a Kubernetes
   * token without an audience is one the API server takes too, and any bearer token crosses the
   * network in clear text without TLS.
   */
  static void warnOfExposure(SupervisorConfig config, Optional<PemTls> tls) {
    boolean kubernetes = config.get(SupervisorOptions.KUBERNETES_AUTH);
    if (kubernetes && config.getOptional(SupervisorOptions.KUBERNETES_AUTH_AUDIENCE).isEmpty()) {
      LOG.warn(
          "auth.kubernetes.enabled without auth.kubernetes.audience: callers may send tokens the"
              + " Kubernetes API server itself accepts, which this sidecar could replay. Give"
              + " callers projected service-account tokens for an audience of their own and set"
              + " it here.");
    }
    String host = config.get(SupervisorOptions.API_HOST);
    boolean loopback = host.equals("127.0.0.1") || host.equals("localhost") || host.equals("::1");
    if (tls.isEmpty() && !loopback) {
      LOG.warn(
          "The admin API on {} speaks plain HTTP: bearer tokens{} cross the network in clear"
              + " text. Set api.tls.certificate-file and api.tls.key-file.",
          host,
          kubernetes || config.getOptional(SupervisorOptions.OIDC_ISSUER).isPresent()
              ? " (OIDC or Kubernetes tokens, good elsewhere too)"
              : "");
    }
  }

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
    Duration skew = config.get(SupervisorOptions.OIDC_CLOCK_SKEW);
    if (skew.isNegative() || skew.compareTo(MAX_CLOCK_SKEW) > 0) {
      throw new ConfigException(
          "Option 'auth.oidc.clock-skew' must be between 0 and "
              + MAX_CLOCK_SKEW.toMinutes()
              + " minutes, not "
              + skew
              + ".");
    }
    return Optional.of(
        new OidcTokens(
            issuer.get(),
            audience,
            jwks,
            new RoleClaims(
                config.get(SupervisorOptions.OIDC_ROLE_CLAIM),
                values(config.get(SupervisorOptions.OIDC_OPERATOR_VALUES)),
                values(config.get(SupervisorOptions.OIDC_VIEWER_VALUES))),
            skew,
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

  /**
   * An issuer's or its keys' URL: https, since keys fetched in clear text could be swapped on the
   * way; plain http only on this machine (tests, a local proxy).
   */
  private static URI httpUrl(String text) {
    URI uri;
    try {
      uri = URI.create(text);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("'" + text + "' is not a URL (auth.oidc.*)");
    }
    String host = uri.getHost();
    boolean loopback =
        host != null
            && (host.equals("127.0.0.1") || host.equals("localhost") || host.equals("[::1]"));
    if (host == null
        || !("https".equals(uri.getScheme()) || ("http".equals(uri.getScheme()) && loopback))) {
      throw new ConfigException(
          "'"
              + text
              + "' must be an https URL (auth.oidc.*): keys fetched in clear text could be"
              + " swapped on the way; http is taken only for this machine.");
    }
    return uri;
  }
}
