package dev.flinksupervisor.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.flinksupervisor.api.auth.AuthMethods;
import dev.flinksupervisor.api.auth.OidcTokens;
import dev.flinksupervisor.api.auth.RoleClaims;
import dev.flinksupervisor.testing.HttpTestClient;
import dev.flinksupervisor.testing.HttpTestClient.Response;
import dev.flinksupervisor.testing.MutableClock;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * OIDC bearer tokens end to end: an issuer's discovery document and JWKS served by a JDK HTTP
 * server, tokens signed with nimbus, and the admin API verifying them.
 */
class OidcAuthITCase {
  private static final String AUDIENCE = "flink-supervisor";
  private static final String ACTION = "/api/v1/jobs/a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0/savepoints";
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private final MutableClock clock = new MutableClock(T0);
  private final AtomicReference<String> jwks = new AtomicReference<>();
  private final AtomicInteger jwksFetches = new AtomicInteger();
  private HttpServer issuerServer;
  private String issuer;
  private RSAKey rsa;
  private ECKey ec;
  private AdminApi api;
  private HttpTestClient http;

  @BeforeEach
  void startIssuer() throws Exception {
    rsa = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
    ec = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
    publish(rsa, ec);
    issuerServer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    issuer = "http://127.0.0.1:" + issuerServer.getAddress().getPort() + "/realms/flink";
    issuerServer.createContext(
        "/realms/flink/.well-known/openid-configuration",
        exchange ->
            reply(
                exchange,
                "{\"issuer\":\""
                    + issuer
                    + "\",\"jwks_uri\":\""
                    + issuer
                    + "/protocol/openid-connect/certs\"}"));
    issuerServer.createContext(
        "/realms/flink/protocol/openid-connect/certs",
        exchange -> {
          jwksFetches.incrementAndGet();
          reply(exchange, jwks.get());
        });
    issuerServer.start();
  }

  private static void reply(com.sun.net.httpserver.HttpExchange exchange, String json)
      throws java.io.IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }

  private void publish(JWK... keys) {
    jwks.set(new JWKSet(List.of(keys)).toString(true));
  }

  @AfterEach
  void stop() {
    if (api != null) {
      api.close();
    }
    if (issuerServer != null) {
      issuerServer.stop(0);
    }
  }

  /** An API accepting this issuer's tokens; the JWKS is discovered unless given. */
  private void startApi(Optional<URI> jwksUrl) {
    OidcTokens oidc =
        new OidcTokens(
            issuer,
            AUDIENCE,
            jwksUrl,
            new RoleClaims(
                "realm_access.roles",
                Set.of("flink-supervisor-operator"),
                Set.of("flink-supervisor-viewer")),
            Duration.ofSeconds(30),
            Duration.ofSeconds(2),
            clock);
    api =
        TestAdminApis.started(
            TestAdminApis.settings(
                Map.of("static-token", ApiRole.OPERATOR),
                Optional.empty(),
                4,
                new AuthMethods(Optional.empty(), Optional.of(oidc), Optional.empty())),
            clock);
    http = new HttpTestClient(api.port());
  }

  private JWTClaimsSet.Builder claims(String subject, String... roles) {
    return new JWTClaimsSet.Builder()
        .issuer(issuer)
        .audience(List.of(AUDIENCE, "account"))
        .subject(subject)
        .issueTime(Date.from(clock.instant()))
        .expirationTime(Date.from(clock.instant().plus(Duration.ofMinutes(5))))
        .claim("realm_access", Map.of("roles", List.of(roles)));
  }

  private static String sign(JWTClaimsSet claims, JWK key) throws Exception {
    JWSAlgorithm algorithm = key instanceof RSAKey ? JWSAlgorithm.RS256 : JWSAlgorithm.ES256;
    JWSSigner signer = key instanceof RSAKey r ? new RSASSASigner(r) : new ECDSASigner((ECKey) key);
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(algorithm).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(),
            claims);
    jwt.sign(signer);
    return jwt.serialize();
  }

  private Response action(String token) {
    return http.postJson(ACTION, token, "{}");
  }

  private static void assertUnauthorized(Response response, String detail) {
    assertThat(response.status()).as(response.body()).isEqualTo(401);
    assertThat(response.json().get("detail").asText()).contains(detail);
  }

  @Test
  void roles_come_from_the_claim_and_bad_tokens_are_refused() throws Exception {
    startApi(Optional.empty()); // the JWKS from the issuer's discovery document
    String operator = sign(claims("alice", "flink-supervisor-operator").build(), rsa);
    String viewer = sign(claims("grafana", "flink-supervisor-viewer").build(), ec);

    assertThat(action(operator).status())
        .as("past the role check: the standby's answer")
        .isEqualTo(409);
    assertThat(action(viewer).status()).isEqualTo(403);
    assertThat(http.get("/api/v1/jobs", viewer).status()).isEqualTo(200);
    assertThat(http.get("/api/v1/jobs", "static-token").status())
        .as("static tokens stay")
        .isEqualTo(200);
    Response events = http.get("/api/v1/events", operator);
    assertThat(events.body()).contains("by oidc:alice: 409", "by oidc:grafana: 403");
    assertThat(events.body()).doesNotContain(operator.substring(0, 20));

    assertUnauthorized(
        http.get("/api/v1/jobs", sign(claims("bob", "admin").build(), rsa)),
        "holds none of the operator values");
    assertUnauthorized(
        http.get(
            "/api/v1/jobs",
            sign(
                claims("bob", "flink-supervisor-operator").issuer("https://elsewhere").build(),
                rsa)),
        "The bearer token is not valid.");
    assertUnauthorized(
        http.get(
            "/api/v1/jobs",
            sign(claims("bob", "flink-supervisor-operator").audience("other-api").build(), rsa)),
        "not meant for this audience");
    RSAKey forged = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
    assertUnauthorized(
        http.get(
            "/api/v1/jobs", sign(claims("mallory", "flink-supervisor-operator").build(), forged)),
        "signature does not verify");
    assertThat(http.get("/api/v1/jobs", "a.b.c").status()).isEqualTo(401);

    clock.advance(Duration.ofMinutes(5).plusSeconds(10));
    assertThat(http.get("/api/v1/jobs", viewer).status())
        .as("within the clock skew of its expiry")
        .isEqualTo(200);
    clock.advance(Duration.ofSeconds(30));
    assertUnauthorized(http.get("/api/v1/jobs", viewer), "expired");
  }

  @Test
  void a_rotated_key_is_fetched_when_a_token_names_it() throws Exception {
    startApi(Optional.of(URI.create(issuer + "/protocol/openid-connect/certs")));
    assertThat(
            http.get("/api/v1/jobs", sign(claims("alice", "flink-supervisor-viewer").build(), rsa))
                .status())
        .isEqualTo(200);
    assertThat(jwksFetches.get()).isEqualTo(1);
    assertThat(
            http.get("/api/v1/jobs", sign(claims("alice", "flink-supervisor-viewer").build(), rsa))
                .status())
        .as("the keys are cached")
        .isEqualTo(200);
    assertThat(jwksFetches.get()).isEqualTo(1);

    RSAKey rotated = new RSAKeyGenerator(2048).keyID("rsa-2").generate();
    publish(rotated, ec);

    assertThat(action(sign(claims("alice", "flink-supervisor-operator").build(), rotated)).status())
        .as("signed with the new key, accepted without a restart")
        .isEqualTo(409);
    assertThat(jwksFetches.get()).isEqualTo(2);
  }

  @Test
  void an_issuer_that_does_not_answer_is_503_not_401_nor_500() throws Exception {
    String token = sign(claims("alice", "flink-supervisor-operator").build(), rsa);
    issuerServer.stop(0);
    issuerServer = null;

    startApi(Optional.of(URI.create(issuer + "/protocol/openid-connect/certs")));
    Response keysDown = http.get("/api/v1/jobs", token);
    assertThat(keysDown.status()).as(keysDown.body()).isEqualTo(503);
    assertThat(keysDown.header("Retry-After")).isNotNull();
    assertThat(keysDown.body()).doesNotContain(token.substring(0, 20));
    api.close();

    startApi(Optional.empty());
    Response discoveryDown = http.get("/api/v1/jobs", token);
    assertThat(discoveryDown.status()).as(discoveryDown.body()).isEqualTo(503);
    assertThat(discoveryDown.header("Retry-After")).isNotNull();
    assertThat(http.get("/api/v1/jobs", "static-token").status())
        .as("static tokens do not need the issuer")
        .isEqualTo(200);
  }
}
