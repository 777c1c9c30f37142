package dev.flinksupervisor.api.auth;

import dev.flinksupervisor.api.ApiRole;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.kubernetes.shaded.io.fabric8.kubernetes.api.model.authentication.TokenReview;
import org.apache.flink.kubernetes.shaded.io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import org.apache.flink.kubernetes.shaded.io.fabric8.kubernetes.api.model.authentication.TokenReviewStatus;
import org.apache.flink.kubernetes.shaded.io.fabric8.kubernetes.api.model.authentication.UserInfo;
import org.apache.flink.kubernetes.shaded.io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import org.apache.flink.kubernetes.shaded.io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import org.apache.flink.kubernetes.shaded.io.fabric8.kubernetes.client.KubernetesClient;
import org.apache.flink.kubernetes.shaded.io.fabric8.kubernetes.client.KubernetesClientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes service-account tokens (and any other token the API server accepts): a TokenReview
 * ({@code authentication.k8s.io/v1}, with the audience when one is set) says who the token belongs
 * to, then SubjectAccessReviews ({@code authorization.k8s.io/v1}) ask whether that user and its
 * groups may {@code update} (operator) or else {@code get} (viewer) the virtual resource {@code
 * jobs} of API group {@code flink-supervisor.dev}, named after the cluster id, in the sidecar's
 * namespace. Ordinary RBAC Roles grant that; no such resource has to exist.
 *
 * <p>Answers, accepted and refused, are kept for the cache TTL under the SHA-256 of the token, so a
 * client polling the API does not cost a review per request. Errors of the API server are not kept:
 * the request gets 503. Calls are bounded by the client's request timeout and never run under a
 * lock (two requests with the same new token may both ask).
 */
public final class KubernetesTokenReview implements Authenticator {
  private static final Logger LOG = LoggerFactory.getLogger(KubernetesTokenReview.class);
  public static final String GROUP = "flink-supervisor.dev";
  public static final String RESOURCE = "jobs";
  public static final String OPERATOR_VERB = "update";
  public static final String VIEWER_VERB = "get";

  /** Beyond this many cached answers, expired ones are dropped, then all if still too many. */
  static final int MAX_CACHED = 10_000;

  /** An answer as cached: the caller, or why the token was refused. */
  private record Answer(Optional<Caller> caller, String refusal, Instant expires) {}

  private final KubernetesClient client;
  private final String namespace;
  private final String clusterId;
  private final Optional<String> audience;
  private final Duration cacheTtl;
  private final Clock clock;
  private final ConcurrentHashMap<String, Answer> cache = new ConcurrentHashMap<>();

  public KubernetesTokenReview(
      KubernetesClient client,
      String namespace,
      String clusterId,
      Optional<String> audience,
      Duration cacheTtl,
      Clock clock) {
    this.client = client;
    this.namespace = namespace;
    this.clusterId = clusterId;
    this.audience = audience;
    this.cacheTtl = cacheTtl;
    this.clock = clock;
  }

  @Override
  public Optional<Caller> authenticate(Credentials credentials) {
    if (credentials.bearerToken().isEmpty()) {
      return Optional.empty();
    }
    String token = credentials.bearerToken().get();
    String key = HexFormat.of().formatHex(StaticTokens.sha256(token));
    Instant now = clock.instant();
    Answer cached = cache.get(key);
    if (cached == null || !now.isBefore(cached.expires())) {
      cached = review(token, now.plus(cacheTtl));
      if (cache.size() >= MAX_CACHED) {
        cache.values().removeIf(a -> !now.isBefore(a.expires()));
        if (cache.size() >= MAX_CACHED) {
          cache.clear();
        }
      }
      cache.put(key, cached);
    }
    if (cached.caller().isEmpty()) {
      throw new AuthenticationRefused(cached.refusal());
    }
    return cached.caller();
  }

  /** Asks the API server; throws {@link IdentityProviderUnavailable} when it does not answer. */
  private Answer review(String token, Instant expires) {
    TokenReviewStatus status;
    try {
      TokenReview review =
          client
              .authentication()
              .v1()
              .tokenReviews()
              .create(
                  new TokenReviewBuilder()
                      .withNewSpec()
                      .withToken(token)
                      .withAudiences(audience.map(List::of).orElse(null))
                      .endSpec()
                      .build());
      status = review.getStatus();
    } catch (RuntimeException e) {
      throw unavailable("TokenReview", e);
    }
    if (status == null || !Boolean.TRUE.equals(status.getAuthenticated())) {
      return refused(
          "Kubernetes did not authenticate the bearer token (TokenReview)"
              + audience.map(a -> " for the audience '" + a + "'").orElse("")
              + ".",
          expires);
    }
    if (audience.isPresent()
        && (status.getAudiences() == null || !status.getAudiences().contains(audience.get()))) {
      return refused(
          "Kubernetes authenticated the bearer token, but not for the audience '"
              + audience.get()
              + "'.",
          expires);
    }
    UserInfo user = status.getUser();
    if (user == null || user.getUsername() == null) {
      return refused("Kubernetes authenticated the bearer token but named no user.", expires);
    }
    Optional<ApiRole> role;
    try {
      role =
          allowed(user, OPERATOR_VERB)
              ? Optional.of(ApiRole.OPERATOR)
              : allowed(user, VIEWER_VERB) ? Optional.of(ApiRole.VIEWER) : Optional.empty();
    } catch (RuntimeException e) {
      throw unavailable("SubjectAccessReview", e);
    }
    if (role.isEmpty()) {
      return refused(
          "Kubernetes user '"
              + Caller.printable(user.getUsername())
              + "' may neither update nor get "
              + RESOURCE
              + "."
              + GROUP
              + " '"
              + clusterId
              + "' in namespace '"
              + namespace
              + "' (SubjectAccessReview).",
          expires);
    }
    return new Answer(
        Optional.of(new Caller(role.get(), "k8s:" + user.getUsername())), null, expires);
  }

  private boolean allowed(UserInfo user, String verb) {
    SubjectAccessReview review =
        client
            .authorization()
            .v1()
            .subjectAccessReview()
            .create(
                new SubjectAccessReviewBuilder()
                    .withNewSpec()
                    .withUser(user.getUsername())
                    .withUid(user.getUid())
                    .withGroups(user.getGroups())
                    .withExtra(user.getExtra() == null ? Map.of() : user.getExtra())
                    .withNewResourceAttributes()
                    .withGroup(GROUP)
                    .withResource(RESOURCE)
                    .withNamespace(namespace)
                    .withName(clusterId)
                    .withVerb(verb)
                    .endResourceAttributes()
                    .endSpec()
                    .build());
    return review.getStatus() != null && Boolean.TRUE.equals(review.getStatus().getAllowed());
  }

  private static Answer refused(String reason, Instant expires) {
    return new Answer(Optional.empty(), reason, expires);
  }

  /** Logs the failure by its HTTP code and kind only: fabric8's messages may quote bodies. */
  private static IdentityProviderUnavailable unavailable(String call, RuntimeException e) {
    String what =
        e instanceof KubernetesClientException k && k.getCode() > 0
            ? "HTTP " + k.getCode()
            : e.getClass().getSimpleName()
                + (e.getCause() == null
                    ? ""
                    : " (" + e.getCause().getClass().getSimpleName() + ")");
    LOG.warn("The Kubernetes API did not answer a {}: {}", call, what);
    return new IdentityProviderUnavailable(
        "The Kubernetes API did not answer the " + call + " (" + what + "); try again shortly.");
  }

  @Override
  public String description() {
    return "Kubernetes tokens (TokenReview"
        + audience.map(a -> " for audience " + a).orElse("")
        + ", then SubjectAccessReview on "
        + RESOURCE
        + "."
        + GROUP
        + " '"
        + clusterId
        + "' in namespace "
        + namespace
        + "; answers cached "
        + cacheTtl.toSeconds()
        + " s)";
  }
}
