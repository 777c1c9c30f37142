package dev.flinksupervisor.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flinksupervisor.api.ApiRole;
import dev.flinksupervisor.api.ProblemException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The pure parts of authentication, without a server: certificate patterns, role claims, and the
 * order and answers of the chain.
 */
class AuthRulesTest {

  private static CertificateIdentity identity(
      String subject, List<String> dns, List<String> uris, List<String> emails) {
    return new CertificateIdentity(
        subject,
        subject.isEmpty() ? List.of() : CertificateIdentity.attributesOf(subject),
        dns,
        uris,
        emails);
  }

  @Test
  void subject_patterns_need_every_attribute_they_name_in_any_order() {
    CertificateRules rules =
        CertificateRules.parse("CN=flink-controller,O=platform", "cn=grafana ; O=observability");

    assertThat(
            rules.roleOf(
                identity(
                    "OU=team-a,O=platform,CN=flink-controller", List.of(), List.of(), List.of())))
        .contains(ApiRole.OPERATOR);
    assertThat(rules.roleOf(identity("CN=flink-controller", List.of(), List.of(), List.of())))
        .as("O=platform is missing")
        .isEmpty();
    assertThat(
            rules.roleOf(identity("CN=flink-controller,O=other", List.of(), List.of(), List.of())))
        .isEmpty();
    assertThat(rules.roleOf(identity("CN=grafana,O=x", List.of(), List.of(), List.of())))
        .as("attribute types ignore case")
        .contains(ApiRole.VIEWER);
    assertThat(
            rules.roleOf(identity("CN=someone,O=observability", List.of(), List.of(), List.of())))
        .contains(ApiRole.VIEWER);
    assertThat(rules.roleOf(identity("CN=Grafana", List.of(), List.of(), List.of())))
        .as("values are exact")
        .isEmpty();
  }

  @Test
  void alternative_name_patterns_match_by_type_and_a_trailing_star_matches_the_rest() {
    CertificateRules rules =
        CertificateRules.parse(
            "SAN:spiffe://cluster.local/ns/flink/sa/controller",
            "URI:spiffe://cluster.local/ns/flink/sa/*;DNS:Dashboard.example.com;EMAIL:oncall@x.io");
    CertificateIdentity controller =
        identity(
            "", List.of(), List.of("spiffe://cluster.local/ns/flink/sa/controller"), List.of());
    CertificateIdentity other =
        identity("", List.of(), List.of("spiffe://cluster.local/ns/flink/sa/other"), List.of());

    assertThat(rules.roleOf(controller)).contains(ApiRole.OPERATOR);
    assertThat(rules.roleOf(other)).contains(ApiRole.VIEWER);
    assertThat(
            rules.roleOf(
                identity(
                    "", List.of(), List.of("spiffe://cluster.local/ns/kafka/sa/x"), List.of())))
        .isEmpty();
    assertThat(rules.roleOf(identity("", List.of("dashboard.EXAMPLE.com"), List.of(), List.of())))
        .as("DNS names ignore case")
        .contains(ApiRole.VIEWER);
    assertThat(
            rules.roleOf(
                identity(
                    "", List.of("spiffe://cluster.local/ns/flink/sa/x"), List.of(), List.of())))
        .as("a URI: pattern does not match a DNS name")
        .isEmpty();
    assertThat(rules.roleOf(identity("", List.of(), List.of(), List.of("oncall@x.io"))))
        .contains(ApiRole.VIEWER);
    assertThat(
            CertificateRules.parse(null, "*")
                .roleOf(identity("CN=anyone", List.of(), List.of(), List.of())))
        .contains(ApiRole.VIEWER);
    assertThat(controller.displayName()).isEqualTo("spiffe://cluster.local/ns/flink/sa/controller");
  }

  @Test
  void a_pattern_that_is_not_understood_is_refused_with_what_is_allowed() {
    assertThatThrownBy(() -> CertificateRules.parse("IP:10.0.0.1", null))
        .hasMessageContaining("SAN:, DNS:, URI: or EMAIL:");
    assertThatThrownBy(() -> CertificateRules.parse("not a name", null))
        .hasMessageContaining("not a distinguished name");
    assertThatThrownBy(() -> CertificateRules.parse("URI:", null)).hasMessageContaining("no value");
  }

  @Test
  void role_claims_are_a_string_an_array_or_a_nested_path() {
    RoleClaims roles =
        new RoleClaims(
            "roles", Set.of("flink-supervisor-operator"), Set.of("flink-supervisor-viewer"));
    assertThat(roles.roleOf(Map.of("roles", List.of("x", "flink-supervisor-operator"))))
        .contains(ApiRole.OPERATOR);
    assertThat(roles.roleOf(Map.of("roles", "x flink-supervisor-viewer"))).contains(ApiRole.VIEWER);
    assertThat(
            roles.roleOf(
                Map.of("roles", List.of("flink-supervisor-viewer", "flink-supervisor-operator"))))
        .as("operator wins")
        .contains(ApiRole.OPERATOR);
    assertThat(roles.roleOf(Map.of("roles", List.of("admin")))).isEmpty();
    assertThat(roles.roleOf(Map.of("groups", List.of("flink-supervisor-operator")))).isEmpty();
    assertThat(roles.roleOf(Map.of("roles", 42))).isEmpty();

    RoleClaims nested = new RoleClaims("realm_access.roles", Set.of("op"), Set.of("view"));
    assertThat(nested.roleOf(Map.of("realm_access", Map.of("roles", List.of("view")))))
        .contains(ApiRole.VIEWER);
    assertThat(nested.roleOf(Map.of("realm_access.roles", List.of("op"))))
        .as("a claim named with dots is looked up as it is first")
        .contains(ApiRole.OPERATOR);
    assertThat(nested.roleOf(Map.of("realm_access", "view"))).isEmpty();
  }

  @Test
  void jwts_are_told_by_their_shape() {
    assertThat(OidcTokens.looksLikeJwt("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln")).isTrue();
    assertThat(OidcTokens.looksLikeJwt("s3cret-token")).isFalse();
    assertThat(OidcTokens.looksLikeJwt("a.b")).isFalse();
    assertThat(OidcTokens.looksLikeJwt("a.b.")).isFalse();
    assertThat(OidcTokens.looksLikeJwt("a.b.c d")).isFalse();
  }

  /** An authenticator that records that it was asked and answers as told. */
  private static final class Fake implements Authenticator {
    private final String name;
    private final List<String> asked;
    private final java.util.function.Function<Credentials, Optional<Caller>> answer;

    Fake(
        String name,
        List<String> asked,
        java.util.function.Function<Credentials, Optional<Caller>> answer) {
      this.name = name;
      this.asked = asked;
      this.answer = answer;
    }

    @Override
    public Optional<Caller> authenticate(Credentials credentials) {
      asked.add(name);
      return answer.apply(credentials);
    }

    @Override
    public String description() {
      return name;
    }
  }

  private static final String JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln";

  @Test
  void the_chain_tries_static_tokens_then_oidc_for_jwts_then_kubernetes() {
    List<String> asked = new ArrayList<>();
    AuthChain chain =
        new AuthChain(
            new StaticTokens(Map.of("static", ApiRole.VIEWER)),
            new AuthMethods(
                Optional.empty(),
                Optional.of(
                    new Fake(
                        "oidc",
                        asked,
                        c -> Optional.of(new Caller(ApiRole.OPERATOR, "oidc:alice")))),
                Optional.of(
                    new Fake(
                        "k8s",
                        asked,
                        c -> Optional.of(new Caller(ApiRole.VIEWER, "k8s:system:sa"))))));

    assertThat(chain.authenticate(Credentials.bearer("static")).id()).startsWith("viewer:");
    assertThat(asked).isEmpty();
    assertThat(chain.authenticate(Credentials.bearer(JWT)).id()).isEqualTo("oidc:alice");
    assertThat(asked).containsExactly("oidc");
    asked.clear();
    assertThat(chain.authenticate(Credentials.bearer("opaque-token")).id())
        .as("a token that is not a JWT never goes to OIDC")
        .isEqualTo("k8s:system:sa");
    assertThat(asked).containsExactly("k8s");
  }

  @Test
  void refusals_are_401_provider_failures_503_and_neither_names_the_token() {
    AuthChain refusing =
        new AuthChain(
            new StaticTokens(Map.of()),
            new AuthMethods(
                Optional.empty(),
                Optional.of(
                    new Fake(
                        "oidc",
                        new ArrayList<>(),
                        c -> {
                          throw new AuthenticationRefused("The OIDC token has expired.");
                        })),
                Optional.of(
                    new Fake(
                        "k8s",
                        new ArrayList<>(),
                        c -> {
                          throw new IdentityProviderUnavailable("The Kubernetes API is down.");
                        }))));
    assertThatThrownBy(() -> refusing.authenticate(Credentials.bearer(JWT)))
        .isInstanceOfSatisfying(
            ProblemException.class,
            e -> {
              assertThat(e.problem().status()).isEqualTo(401);
              assertThat(e.problem().detail()).isEqualTo("The OIDC token has expired.");
            });
    assertThatThrownBy(() -> refusing.authenticate(Credentials.bearer("opaque-token")))
        .isInstanceOfSatisfying(
            ProblemException.class,
            e -> {
              assertThat(e.problem().status()).isEqualTo(503);
              assertThat(e.retryAfterSeconds()).isPositive();
              assertThat(e.problem().detail()).doesNotContain("opaque");
            });

    AuthChain broken =
        new AuthChain(
            new StaticTokens(Map.of()),
            new AuthMethods(
                Optional.empty(),
                Optional.empty(),
                Optional.of(
                    new Fake(
                        "k8s",
                        new ArrayList<>(),
                        c -> {
                          throw new IllegalStateException("boom " + c.bearerToken().get());
                        }))));
    assertThatThrownBy(() -> broken.authenticate(Credentials.bearer("opaque-token")))
        .as("an unexpected failure is 503, never 500, and does not echo the token")
        .isInstanceOfSatisfying(
            ProblemException.class,
            e -> {
              assertThat(e.problem().status()).isEqualTo(503);
              assertThat(e.problem().detail()).doesNotContain("opaque");
            });

    AuthChain staticOnly =
        new AuthChain(new StaticTokens(Map.of("t", ApiRole.OPERATOR)), AuthMethods.NONE);
    assertThatThrownBy(() -> staticOnly.authenticate(Credentials.bearer(JWT)))
        .isInstanceOfSatisfying(
            ProblemException.class,
            e -> assertThat(e.problem().detail()).isEqualTo("The bearer token is not valid."));
    assertThatThrownBy(() -> staticOnly.authenticate(new Credentials(List.of(), Optional.empty())))
        .isInstanceOfSatisfying(
            ProblemException.class, e -> assertThat(e.problem().status()).isEqualTo(401));
  }
}
