package dev.flinksupervisor.api.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.BadJWSException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.jwt.proc.ExpiredJWTException;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OIDC/OAuth 2 access tokens: JWTs signed (RS256 or ES256) by the configured issuer with a key from
 * its JWKS, for the configured audience, within their {@code exp} and {@code nbf} (give or take the
 * clock skew), with a {@code sub}. Only tokens whose (not yet verified) {@code iss} is the
 * configured issuer are taken; others are left to the next authenticator. The role comes from
 * {@link RoleClaims}; the caller id is {@code oidc:<sub>}.
 *
 * <p>The JWKS is fetched on first use (from {@code auth.oidc.jwks-url}, or from the {@code
 * jwks_uri} of {@code <issuer>/.well-known/openid-configuration}) and cached for 5 minutes; a token
 * signed with a key id not in the cache fetches it again at once (a rotated key), at most twice per
 * 30 s. Every fetch is bounded by the timeout; when the keys cannot be fetched and none are cached,
 * the request gets 503.
 */
public final class OidcTokens implements Authenticator {
  private static final Logger LOG = LoggerFactory.getLogger(OidcTokens.class);
  private static final Pattern JWT_SHAPE =
      Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
  static final Duration KEYS_CACHED = Duration.ofMinutes(5);
  static final Duration REFRESH_AT_MOST_EVERY = Duration.ofSeconds(30);

  /** After a failed discovery, requests fail at once for this long instead of each trying again. */
  static final Duration DISCOVERY_BACKOFF = Duration.ofSeconds(5);

  private final String issuer;
  private final String audience;
  private final Optional<URI> jwksUrl;
  private final RoleClaims roles;
  private final Duration clockSkew;
  private final Duration timeout;
  private final Clock clock;
  private final AtomicReference<DefaultJWTProcessor<SecurityContext>> processor =
      new AtomicReference<>();
  private volatile Instant discoveryFailedAt = Instant.MIN;

  /**
   * @param jwksUrl the issuer's JWKS; empty: discovered from the issuer on first use
   * @param timeout the longest a fetch of the discovery document or of the JWKS may take
   */
  public OidcTokens(
      String issuer,
      String audience,
      Optional<URI> jwksUrl,
      RoleClaims roles,
      Duration clockSkew,
      Duration timeout,
      Clock clock) {
    this.issuer = issuer;
    this.audience = audience;
    this.jwksUrl = jwksUrl;
    this.roles = roles;
    this.clockSkew = clockSkew;
    this.timeout = timeout;
    this.clock = clock;
    jwksUrl.ifPresent(url -> processor.set(processor(url)));
  }

  /** Whether a bearer token has the shape of a signed JWT: three base64url parts. */
  public static boolean looksLikeJwt(String token) {
    return JWT_SHAPE.matcher(token).matches();
  }

  @Override
  public Optional<Caller> authenticate(Credentials credentials) {
    Optional<String> token = credentials.bearerToken().filter(OidcTokens::looksLikeJwt);
    if (token.isEmpty()) {
      return Optional.empty();
    }
    SignedJWT jwt;
    try {
      jwt = SignedJWT.parse(token.get());
      if (!issuer.equals(jwt.getJWTClaimsSet().getIssuer())) {
        return Optional.empty(); // another issuer's token, perhaps Kubernetes'
      }
    } catch (ParseException e) {
      return Optional.empty(); // shaped like a JWT, but not one
    }
    JWTClaimsSet claims;
    try {
      claims = processor().process(jwt, null);
    } catch (RateLimitReachedException e) {
      throw new AuthenticationRefused(
          "The OIDC token is signed with a key the issuer does not publish (the issuer's keys were"
              + " fetched again within the last "
              + REFRESH_AT_MOST_EVERY.toSeconds()
              + " s).");
    } catch (KeySourceException e) {
      LOG.warn("Cannot fetch the OIDC issuer's keys: {}", e.getMessage());
      throw new IdentityProviderUnavailable(
          "The OIDC issuer's keys (JWKS) could not be fetched; try again shortly.");
    } catch (ExpiredJWTException e) {
      throw new AuthenticationRefused("The OIDC token has expired.");
    } catch (BadJWTException e) {
      throw new AuthenticationRefused("The OIDC token was refused: " + claimProblem(e) + ".");
    } catch (BadJWSException e) {
      throw new AuthenticationRefused(
          "The OIDC token's signature does not verify with the issuer's keys.");
    } catch (BadJOSEException e) {
      throw new AuthenticationRefused(
          "The OIDC token is not signed with RS256 or ES256 by a key the issuer publishes, or its"
              + " type is not a JWT access token.");
    } catch (JOSEException e) {
      throw new AuthenticationRefused("The OIDC token could not be verified.");
    }
    String subject = claims.getSubject();
    return Optional.of(
        new Caller(
            roles
                .roleOf(claims.getClaims())
                .orElseThrow(
                    () ->
                        new AuthenticationRefused(
                            "The OIDC token is valid, but its claim '"
                                + roles.claim()
                                + "' holds none of the operator values "
                                + roles.operatorValues()
                                + " nor the viewer values "
                                + roles.viewerValues()
                                + ".")),
            "oidc:" + subject));
  }

  /** What is wrong with the claims, in words that quote none of the token's values. */
  private static String claimProblem(BadJWTException e) {
    String message = String.valueOf(e.getMessage());
    if (message.contains("before use time")) {
      return "it is not valid yet (nbf)";
    }
    if (message.contains("aud")) {
      return "it is not meant for this audience (aud)";
    }
    if (message.contains("iss")) {
      return "it is from another issuer (iss)";
    }
    if (message.contains("missing required claims")) {
      return "it lacks a required claim (sub, exp)";
    }
    return "its claims are not acceptable";
  }

  private DefaultJWTProcessor<SecurityContext> processor() throws KeySourceException {
    DefaultJWTProcessor<SecurityContext> known = processor.get();
    if (known != null) {
      return known;
    }
    if (clock.instant().isBefore(discoveryFailedAt.plus(DISCOVERY_BACKOFF))) {
      throw new KeySourceException("discovery failed less than 5 s ago");
    }
    try {
      URI discovered = discoverJwksUrl();
      processor.compareAndSet(null, processor(discovered));
      LOG.info("OIDC issuer {} publishes its keys at {}", issuer, discovered);
      return processor.get();
    } catch (KeySourceException e) {
      discoveryFailedAt = clock.instant();
      throw e;
    } catch (RuntimeException e) { // a jwks_uri that is no URL, or not https
      discoveryFailedAt = clock.instant();
      throw new KeySourceException(
          "the discovery document's jwks_uri is unusable: " + e.getMessage());
    }
  }

  /** The {@code jwks_uri} of the issuer's discovery document, fetched within the timeout. */
  private URI discoverJwksUrl() throws KeySourceException {
    URI document =
        URI.create(
            (issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer)
                + "/.well-known/openid-configuration");
    try {
      HttpClient http = HttpClient.newBuilder().connectTimeout(timeout).build();
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(document)
                  .timeout(timeout)
                  .header("Accept", "application/json")
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new KeySourceException(document + " answered HTTP " + response.statusCode());
      }
      JsonNode json = new ObjectMapper().readTree(response.body());
      if (!issuer.equals(json.path("issuer").asText())) {
        throw new KeySourceException(
            document + " names another issuer: " + json.path("issuer").asText());
      }
      String jwks = json.path("jwks_uri").asText("");
      if (jwks.isEmpty()) {
        throw new KeySourceException(document + " has no jwks_uri");
      }
      return URI.create(jwks);
    } catch (IOException | IllegalArgumentException e) {
      throw new KeySourceException("Cannot read " + document + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KeySourceException("Interrupted while reading " + document, e);
    }
  }

  private DefaultJWTProcessor<SecurityContext> processor(URI jwks) {
    int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
    JWKSource<SecurityContext> keys;
    try {
      keys =
          JWKSourceBuilder.<SecurityContext>create(
                  jwks.toURL(), new DefaultResourceRetriever(millis, millis, 512 * 1024))
              .cache(KEYS_CACHED.toMillis(), millis + 1000L)
              .refreshAheadCache(false)
              .rateLimited(REFRESH_AT_MOST_EVERY.toMillis())
              .retrying(false)
              .outageTolerant(true)
              .build();
    } catch (MalformedURLException | IllegalArgumentException e) {
      throw new IllegalArgumentException("The JWKS URL " + jwks + " is not a URL: " + e, e);
    }
    DefaultJWTProcessor<SecurityContext> p = new DefaultJWTProcessor<>();
    p.setJWSTypeVerifier(
        new DefaultJOSEObjectTypeVerifier<>(
            JOSEObjectType.JWT,
            new JOSEObjectType("at+jwt"),
            new JOSEObjectType("application/at+jwt"),
            null));
    p.setJWSKeySelector(
        new JWSVerificationKeySelector<>(Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256), keys));
    DefaultJWTClaimsVerifier<SecurityContext> claims =
        new DefaultJWTClaimsVerifier<>(
            Set.of(audience),
            new JWTClaimsSet.Builder().issuer(issuer).build(),
            Set.of("sub", "exp"),
            null) {
          @Override
          protected Date currentTime() {
            return Date.from(clock.instant());
          }
        };
    claims.setMaxClockSkew((int) Math.min(Integer.MAX_VALUE, clockSkew.toSeconds()));
    p.setJWTClaimsSetVerifier(claims);
    return p;
  }

  @Override
  public String description() {
    return "OIDC tokens from issuer "
        + issuer
        + " for audience "
        + audience
        + " (keys from "
        + jwksUrl.map(URI::toString).orElse("the issuer's discovery document")
        + "; role from claim '"
        + roles.claim()
        + "')";
  }
}
