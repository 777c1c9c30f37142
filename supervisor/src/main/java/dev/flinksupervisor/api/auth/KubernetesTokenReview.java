package dev.flinksupervisor.api.auth;

import dev.flinksupervisor.api.ApiRole;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
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
 * <p>Only tokens shaped as JWTs (as service-account tokens are) are reviewed. Answers, accepted and
 * refused, are kept for the cache TTL under the SHA-256 of the token, so a client polling the API
 * does not cost a review per request; accepted and refused answers are kept apart, each bounded
 * with the least recently used dropped first, so that a flood of bad tokens cannot push good
 * callers out. At most {@link #MAX_IN_FLIGHT} reviews run at once; beyond that, and when the API
 * server does not answer, the request gets 503 (errors are not kept). Calls are bounded by the
 * client's request timeout and never run under a lock (two requests with the same new token may
 * both ask).
 */
public final class KubernetesTokenReview implements Authenticator {
  private static final Logger LOG = LoggerFactory.getLogger(KubernetesTokenReview.class);
  public static final String GROUP = "flink-supervisor.dev";
  public static final String RESOURCE = "jobs";
  public static final String OPERATOR_VERB = "update";
  public static final String VIEWER_VERB = "get";

  /** How many accepted tokens are remembered; the least recently used go first. */
  static final int MAX_CACHED = 10_000;

  /** How many refused tokens are remembered, apart from the accepted ones. */
  static final int MAX_CACHED_REFUSALS = 1_000;

  /** How many reviews may be asked of the API server at once. */
  static final int MAX_IN_FLIGHT = 4;

  /** An answer as cached: the caller, or why the token was refused. */
  private record Answer(Optional<Caller> caller, String refusal, Instant expires) {}

  private final KubernetesClient client;
  private final String namespace;
  private final String clusterId;
  private final Optional<String> audience;
  private final Duration cacheTtl;
  private final Clock clock;
  private final Map<String, Answer> accepted = lru(MAX_CACHED);
  private final Map<String, Answer> refused = lru(MAX_CACHED_REFUSALS);
  private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);

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
    if (credentials.bearerToken().filter(OidcTokens::looksLikeJwt).isEmpty()) {
      return Optional.empty();
    }
    String token = credentials.bearerToken().get();
    String key = HexFormat.of().formatHex(StaticTokens.sha256(token));
    Instant now = clock.instant();
    Answer cached = cached(key, now);
    if (cached == null) {
      if (!inFlight.tryAcquire()) {
        throw new IdentityProviderUnavailable(
            "Too many Kubernetes token reviews are under way; try again shortly.");
      }
      try {
        cached = review(token, now.plus(cacheTtl));
      } finally {
        inFlight.release();
      }
      Map<String, Answer> cache = cached.caller().isPresent() ? accepted : refused;
      synchronized (cache) {
        cache.put(key, cached);
      }
    }
    if (cached.caller().isEmpty()) {
      throw new AuthenticationRefused(cached.refusal());
    }
    return cached.caller();
  }

  /** The answer kept for {@code key} that has not expired, or null. */
  private Answer cached(String key, Instant now) {
    for (Map<String, Answer> cache : List.of(accepted, refused)) {
      synchronized (cache) {
        Answer a = cache.get(key);
        if (a != null && now.isBefore(a.expires())) {
          return a;
        }
      }
    }
    return null;
  }

  private static Map<String, Answer> lru(int capacity) {
    return new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Answer> eldest) {
        return size() > capacity;
      }
    };
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
