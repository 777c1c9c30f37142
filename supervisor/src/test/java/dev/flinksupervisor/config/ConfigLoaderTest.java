package dev.flinksupervisor.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  private final ConfigLoader loader = new ConfigLoader();

  @TempDir Path dir;

  private Path yaml(String text) throws Exception {
    Path file = dir.resolve("supervisor.yaml");
    Files.writeString(file, text);
    return file;
  }

  @Test
  void nested_yaml_is_read_and_defaults_fill_the_rest() throws Exception {
    SupervisorConfig config =
        loader.load(
            yaml(
                """
                high-availability.storageDir: s3://bucket/ha
                kubernetes:
                  cluster-id: orders
                  namespace: flink
                admin.token: t0ken
                supervision:
                  poll-interval: 250ms
                """),
            Map.of());

    assertThat(config.get(SupervisorOptions.CLUSTER_ID)).isEqualTo("orders");
    assertThat(config.get(SupervisorOptions.NAMESPACE)).isEqualTo("flink");
    assertThat(config.get(SupervisorOptions.POLL_INTERVAL)).isEqualTo(Duration.ofMillis(250));
    assertThat(config.get(SupervisorOptions.API_PORT)).isEqualTo(8085);
    assertThat(config.getOptional(SupervisorOptions.KUBECONFIG)).isEmpty();
  }

  @Test
  void environment_wins_over_the_file() throws Exception {
    SupervisorConfig config =
        loader.load(
            yaml(
                "kubernetes.cluster-id: orders\napi.port: 9000\nadmin.token: a\nhigh-availability.storageDir: file:///ha\n"),
            Map.of("SUPERVISOR_API_PORT", "9100", "SUPERVISOR_ADMIN_TOKEN", "b", "HOME", "/root"));

    assertThat(config.get(SupervisorOptions.API_PORT)).isEqualTo(9100);
    assertThat(config.get(SupervisorOptions.ADMIN_TOKEN)).isEqualTo("b");
  }

  @Test
  void unknown_option_fails_with_its_name_and_the_known_ones() throws Exception {
    Path file =
        yaml(
            "kubernetes.cluster-id: orders\nadmin.token: a\nhigh-availability.storageDir: file:///ha\npoll-intervall: 1s\n");

    assertThatThrownBy(() -> loader.load(file, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("Unknown option 'poll-intervall'")
        .hasMessageContaining("supervision.poll-interval");
  }

  @Test
  void unknown_environment_variable_with_our_prefix_fails() throws Exception {
    Path file =
        yaml(
            "kubernetes.cluster-id: orders\nadmin.token: a\nhigh-availability.storageDir: file:///ha\n");

    assertThatThrownBy(() -> loader.load(file, Map.of("SUPERVISOR_API_PROT", "1")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("SUPERVISOR_API_PROT")
        .hasMessageContaining("SUPERVISOR_API_PORT");
  }

  @Test
  void invalid_value_fails_with_the_option_and_what_is_allowed() throws Exception {
    Path file =
        yaml(
            "kubernetes.cluster-id: orders\nadmin.token: a\nhigh-availability.storageDir: file:///ha\napi.port: 70000\n");

    assertThatThrownBy(() -> loader.load(file, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'api.port'")
        .hasMessageContaining("0 to 65535");
  }

  @Test
  void invalid_duration_names_the_accepted_forms() throws Exception {
    Path file =
        yaml(
            "kubernetes.cluster-id: orders\nadmin.token: a\nhigh-availability.storageDir: file:///ha\n");

    assertThatThrownBy(
            () -> loader.load(file, Map.of("SUPERVISOR_SUPERVISION_POLL_INTERVAL", "fast")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'supervision.poll-interval'")
        .hasMessageContaining("500ms");
  }

  @Test
  void missing_required_option_names_its_environment_variable() throws Exception {
    Path file = yaml("admin.token: a\nhigh-availability.storageDir: file:///ha\n");

    assertThatThrownBy(() -> loader.load(file, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'kubernetes.cluster-id' is required")
        .hasMessageContaining("SUPERVISOR_KUBERNETES_CLUSTER_ID");
  }

  @Test
  void secret_values_never_appear_in_errors() {
    ConfigOption<Integer> secretNumber =
        new ConfigOption<>("secret.number", "number", Values::port, 1, false, true, "a secret");
    ConfigLoader strict = new ConfigLoader(java.util.List.of(secretNumber));

    assertThatThrownBy(() -> strict.load(Map.of("secret.number", "hunter2"), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'secret.number'")
        .hasMessageNotContaining("hunter2");
  }

  @Test
  void flink_settings_pass_through_without_prefix() throws Exception {
    SupervisorConfig config =
        loader.load(
            yaml(
                """
                kubernetes.cluster-id: orders
                admin.token: a
                high-availability.storageDir: file:///ha
                flink:
                  security.ssl.rest.enabled: true
                """),
            Map.of());

    assertThat(config.flinkSettings()).containsEntry("security.ssl.rest.enabled", "true");
  }

  @Test
  void missing_file_and_broken_yaml_are_reported_clearly() throws Exception {
    assertThatThrownBy(() -> loader.load(dir.resolve("nope.yaml"), Map.of()))
        .hasMessageContaining("Configuration file not found");
    Path broken = yaml("kubernetes: [unclosed\n");
    assertThatThrownBy(() -> loader.load(broken, Map.of()))
        .hasMessageContaining("is not valid YAML");
  }

  @Test
  void list_values_are_refused() throws Exception {
    Path file =
        yaml(
            "kubernetes.cluster-id: [a, b]\nadmin.token: a\nhigh-availability.storageDir: file:///ha\n");

    assertThatThrownBy(() -> loader.load(file, Map.of()))
        .hasMessageContaining("'kubernetes.cluster-id' must be a single value");
  }
}
