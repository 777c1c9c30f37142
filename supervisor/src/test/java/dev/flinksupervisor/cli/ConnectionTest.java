package dev.flinksupervisor.cli;

import static dev.flinksupervisor.cli.CliArgsTest.assertUsage;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConnectionTest {
  @TempDir Path home;

  private Connection resolve(Map<String, String> env, String... args) {
    return Connection.resolve(CliArgs.parse("jobs", List.of(args), CliArgs.Spec.common()), env);
  }

  private Map<String, String> env(String... pairs) {
    java.util.HashMap<String, String> env = new java.util.HashMap<>();
    env.put("HOME", home.toString());
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return env;
  }

  private Path config(String yaml) throws Exception {
    Path file = home.resolve(".config/flink-supervisor/cli.yaml");
    Files.createDirectories(file.getParent());
    return Files.writeString(file, yaml);
  }

  @Test
  void nothing_given_is_the_local_sidecar_without_a_token() {
    Connection c = resolve(env());
    assertThat(c.url()).hasToString("http://127.0.0.1:8085");
    assertThat(c.token()).isNull();
  }

  @Test
  void flags_win_over_the_environment_which_wins_over_the_config_file() throws Exception {
    config("url: https://from-file:8443\ntoken: file-token\n");

    assertThat(resolve(env()).url()).hasToString("https://from-file:8443");
    assertThat(resolve(env()).token()).isEqualTo("file-token");

    Map<String, String> env =
        env(Connection.ENV_URL, "http://from-env:8085/", Connection.ENV_TOKEN, "env-token");
    assertThat(resolve(env).url()).hasToString("http://from-env:8085");
    assertThat(resolve(env).token()).isEqualTo("env-token");

    Connection flags = resolve(env, "--url", "http://from-flag:1", "--token", "flag-token");
    assertThat(flags.url()).hasToString("http://from-flag:1");
    assertThat(flags.token()).isEqualTo("flag-token");
  }

  @Test
  void a_token_file_is_read_and_relative_to_the_config_file() throws Exception {
    Path cfg = config("token-file: token\nca-file: ca.pem\n");
    Files.writeString(cfg.resolveSibling("token"), "  s3cret\n");
    Path flagFile = Files.writeString(home.resolve("other"), "other-token\n");

    Connection c = resolve(env());
    assertThat(c.token()).isEqualTo("s3cret");
    assertThat(c.caFile()).isEqualTo(cfg.resolveSibling("ca.pem"));
    assertThat(resolve(env(), "--token-file", flagFile.toString()).token())
        .isEqualTo("other-token");
  }

  @Test
  void an_explicit_config_file_may_be_anywhere_and_must_exist() throws Exception {
    Path cfg = Files.writeString(home.resolve("x.yaml"), "url: http://elsewhere:9\n");
    assertThat(resolve(env(), "--cli-config", cfg.toString()).url())
        .hasToString("http://elsewhere:9");
    assertUsage(
        () -> resolve(env(), "--cli-config", home.resolve("absent.yaml").toString()),
        "does not exist");
  }

  @Test
  void mistakes_are_usage_errors_that_never_show_the_token() throws Exception {
    config("url: http://x:1\ntokn: typo\n");
    assertUsage(() -> resolve(env()), "unknown key 'tokn'");

    config("token: a\ntoken-file: b\n");
    assertUsage(() -> resolve(env()), "both token and token-file");

    config("");
    assertUsage(
        () -> resolve(env(), "--token", "a", "--token-file", "b"), "--token or --token-file");
    assertUsage(
        () -> resolve(env(), "--token-file", home.resolve("none").toString()), "does not exist");
    assertUsage(() -> resolve(env(), "--url", "localhost:8085"), "must be http(s)://host[:port]");
    assertUsage(
        () -> resolve(env(), "--token", "two words"), "spaces, control or non-ASCII characters");
    assertThat(resolve(env(), "--token", "hidden-value").toString()).doesNotContain("hidden-value");
  }
}
