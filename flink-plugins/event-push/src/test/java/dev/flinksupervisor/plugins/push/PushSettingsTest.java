package dev.flinksupervisor.plugins.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class PushSettingsTest {

  @Test
  void defaults_apply_when_only_the_token_file_is_given() {
    PushSettings settings = PushSettings.from(properties(Map.of("token-file", "/run/token")));

    assertThat(settings.url()).isEqualTo(URI.create("http://127.0.0.1:8091/push/v1/events"));
    assertThat(settings.tokenFile()).isEqualTo(Path.of("/run/token"));
    assertThat(settings.events())
        .containsExactlyInAnyOrder("JobStatusChangeEvent", "JobFailureEvent", "CheckpointEvent");
    assertThat(settings.queueCapacity()).isEqualTo(1000);
    assertThat(settings.batchSize()).isEqualTo(100);
    assertThat(settings.connectTimeout()).isEqualTo(Duration.ofMillis(200));
    assertThat(settings.timeout()).isEqualTo(Duration.ofSeconds(1));
    assertThat(settings.initialBackoff()).isEqualTo(Duration.ofMillis(100));
    assertThat(settings.maxBackoff()).isEqualTo(Duration.ofSeconds(5));
    assertThat(settings.tokenCheckInterval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(settings.reporterName()).isEmpty();
  }

  @Test
  void reads_text_values_in_flink_syntax() {
    PushSettings settings =
        PushSettings.from(
            properties(
                Map.of(
                    "token-file", " /run/token ",
                    "url", "https://localhost:9443/push/v1/events",
                    "events", "JobFailureEvent; CheckpointEvent ,",
                    "queue-capacity", "50",
                    "connect-timeout", "50ms",
                    "timeout", "2 s",
                    "max-backoff", "1 min",
                    "reporter-name", " jm-1 ")));

    assertThat(settings.url().getScheme()).isEqualTo("https");
    assertThat(settings.tokenFile()).isEqualTo(Path.of("/run/token"));
    assertThat(settings.events()).containsExactlyInAnyOrder("JobFailureEvent", "CheckpointEvent");
    assertThat(settings.queueCapacity()).isEqualTo(50);
    assertThat(settings.connectTimeout()).isEqualTo(Duration.ofMillis(50));
    assertThat(settings.timeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(settings.maxBackoff()).isEqualTo(Duration.ofMinutes(1));
    assertThat(settings.reporterName()).contains("jm-1");
  }

  @Test
  void reads_typed_values() {
    Properties properties = properties(Map.of("token-file", "/run/token"));
    properties.put("batch-size", 7);
    properties.put("timeout", Duration.ofMillis(1500));
    properties.put("connect-timeout", 300);
    properties.put("events", List.of("JobStatusChangeEvent", "JobFailureEvent"));

    PushSettings settings = PushSettings.from(properties);

    assertThat(settings.batchSize()).isEqualTo(7);
    assertThat(settings.timeout()).isEqualTo(Duration.ofMillis(1500));
    assertThat(settings.connectTimeout()).isEqualTo(Duration.ofMillis(300));
    assertThat(settings.events())
        .containsExactlyInAnyOrder("JobStatusChangeEvent", "JobFailureEvent");
  }

  @Test
  void reads_the_event_names_of_a_yaml_list() {
    // Flink turns `events: [JobFailureEvent, 'CheckpointEvent']` in config.yaml into this text.
    PushSettings settings =
        PushSettings.from(
            properties(
                Map.of("token-file", "/t", "events", "[JobFailureEvent, 'CheckpointEvent']")));

    assertThat(settings.events()).containsExactlyInAnyOrder("JobFailureEvent", "CheckpointEvent");
  }

  @Test
  void the_token_file_is_required() {
    assertThatThrownBy(() -> PushSettings.from(properties(Map.of())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'token-file' is required");
  }

  @Test
  void only_http_and_https_urls_are_accepted() {
    for (String url :
        List.of("ftp://127.0.0.1/x", "127.0.0.1:8091", "http:///no-host", "http://[bad")) {
      assertThatThrownBy(
              () -> PushSettings.from(properties(Map.of("token-file", "/t", "url", url))))
          .as(url)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'url'");
    }
  }

  @Test
  void invalid_values_name_their_option() {
    assertInvalid("queue-capacity", "0", "'queue-capacity' must be between 1 and");
    assertInvalid("queue-capacity", "many", "'queue-capacity'");
    assertInvalid("batch-size", "-1", "'batch-size' must be between 1 and");
    assertInvalid("timeout", "0 ms", "'timeout' must be a positive duration");
    assertInvalid("connect-timeout", "soon", "'connect-timeout'");
    assertInvalid("events", " , ", "'events' must name at least one event");
    assertInvalid("initial-backoff", "10 s", "'max-backoff' must not be shorter than");
  }

  @Test
  void the_display_url_leaves_out_user_info_and_query() {
    PushSettings settings =
        PushSettings.from(
            properties(
                Map.of("token-file", "/t", "url", "http://user:pw@127.0.0.1:8091/push?k=v")));

    assertThat(settings.displayUrl()).isEqualTo("http://127.0.0.1:8091/push");
  }

  private static void assertInvalid(String key, String value, String message) {
    assertThatThrownBy(() -> PushSettings.from(properties(Map.of("token-file", "/t", key, value))))
        .as(key + "=" + value)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }

  private static Properties properties(Map<String, String> values) {
    Properties properties = new Properties();
    properties.putAll(values);
    return properties;
  }
}
