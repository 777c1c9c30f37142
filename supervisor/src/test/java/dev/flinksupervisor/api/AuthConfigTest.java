package dev.flinksupervisor.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flinksupervisor.api.auth.AuthMethods;
import dev.flinksupervisor.config.ConfigException;
import dev.flinksupervisor.config.ConfigLoader;
import dev.flinksupervisor.config.SupervisorConfig;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The authentication options: what turns each method on, and what does not go together. */
class AuthConfigTest {
  private static SupervisorConfig config(Map<String, String> settings) {
    Map<String, String> all = new HashMap<>(settings);
    all.put("kubernetes.cluster-id", "orders");
    all.put("high-availability.storageDir", "file:///tmp/ha");
    return new ConfigLoader().load(all, Map.of());
  }

  private static AuthMethods methods(Map<String, String> settings) {
    return AuthConfig.methods(
        config(settings), Optional.empty(), Clock.systemUTC(), new ArrayList<>());
  }

  @Test
  void nothing_beyond_static_tokens_by_default() {
    assertThat(methods(Map.of()).any()).isFalse();
  }

  @Test
  void oidc_needs_an_audience_and_http_urls() {
    assertThatThrownBy(() -> methods(Map.of("auth.oidc.issuer", "https://idp.example.com")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("auth.oidc.audience");
    assertThatThrownBy(
            () ->
                methods(
                    Map.of(
                        "auth.oidc.issuer", "idp.example.com",
                        "auth.oidc.audience", "flink-supervisor")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("must be an https URL");
    assertThatThrownBy(
            () ->
                methods(
                    Map.of(
                        "auth.oidc.issuer", "http://idp.example.com",
                        "auth.oidc.audience", "flink-supervisor")))
        .as("keys fetched in clear text could be swapped on the way")
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("must be an https URL");
    assertThatThrownBy(
            () ->
                methods(
                    Map.of(
                        "auth.oidc.issuer", "https://idp.example.com",
                        "auth.oidc.audience", "flink-supervisor",
                        "auth.oidc.clock-skew", "1h")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("auth.oidc.clock-skew");
    AuthMethods oidc =
        methods(
            Map.of(
                "auth.oidc.issuer", "https://idp.example.com/realms/flink",
                "auth.oidc.audience", "flink-supervisor",
                "auth.oidc.operator-values", "ops, platform-admins"));
    assertThat(oidc.oidc()).isPresent();
    assertThat(oidc.descriptions().get(0))
        .contains("https://idp.example.com/realms/flink", "discovery document");
    assertThat(AuthConfig.values("ops, platform-admins,,"))
        .containsExactly("ops", "platform-admins");
  }

  @Test
  void certificate_rules_need_client_certificates() {
    assertThatThrownBy(() -> methods(Map.of("auth.mtls.operators", "CN=controller")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("api.tls.client-ca-file");
    assertThatThrownBy(
            () -> AdminServer.tls(config(Map.of("api.tls.client-ca-file", "/etc/ca.pem"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("needs TLS");
  }

  @Test
  void kubernetes_tokens_get_a_client_that_is_closed_with_the_server() {
    List<AutoCloseable> resources = new ArrayList<>();
    AuthMethods kubernetes =
        AuthConfig.methods(
            config(
                Map.of(
                    "auth.kubernetes.enabled",
                    "true",
                    "kubernetes.config.file",
                    writeKubeconfig())),
            Optional.empty(),
            Clock.systemUTC(),
            resources);
    assertThat(kubernetes.kubernetes()).isPresent();
    assertThat(resources).hasSize(1);
    resources.forEach(
        r -> {
          try {
            r.close();
          } catch (Exception e) {
            throw new AssertionError(e);
          }
        });
  }

  private static String writeKubeconfig() {
    try {
      java.nio.file.Path file = java.nio.file.Files.createTempFile("kubeconfig", ".yaml");
      java.nio.file.Files.writeString(
          file,
          """
          apiVersion: v1
          kind: Config
          clusters: [{name: c, cluster: {server: "http://127.0.0.1:1"}}]
          contexts: [{name: c, context: {cluster: c, user: u}}]
          current-context: c
          users: [{name: u, user: {token: t}}]
          """);
      file.toFile().deleteOnExit();
      return file.toString();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
