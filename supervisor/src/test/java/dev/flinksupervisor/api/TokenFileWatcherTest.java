package dev.flinksupervisor.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenFileWatcherTest {
  @TempDir Path dir;

  @Test
  void tokens_are_read_with_their_roles_and_reloaded_when_the_file_changes() throws Exception {
    Path file = dir.resolve("tokens");
    Files.writeString(file, "# rotated by the platform\noperator op-1\nviewer view-1\n");
    List<Map<String, ApiRole>> applied = new ArrayList<>();
    TokenFileWatcher watcher =
        new TokenFileWatcher(file, Map.of("env-token", ApiRole.OPERATOR), applied::add);

    assertThat(watcher.load())
        .containsEntry("op-1", ApiRole.OPERATOR)
        .containsEntry("view-1", ApiRole.VIEWER)
        .containsEntry("env-token", ApiRole.OPERATOR);
    watcher.poll();
    assertThat(applied).as("unchanged file, nothing applied").isEmpty();

    Files.writeString(file, "operator op-2\n");
    watcher.poll();

    assertThat(applied)
        .singleElement()
        .satisfies(
            tokens -> {
              assertThat(tokens).containsOnlyKeys("op-2", "env-token");
            });
  }

  @Test
  void a_broken_file_keeps_the_tokens_in_force_and_never_names_a_token() throws Exception {
    Path file = dir.resolve("tokens");
    Files.writeString(file, "operator op-1\n");
    List<Map<String, ApiRole>> applied = new ArrayList<>();
    TokenFileWatcher watcher = new TokenFileWatcher(file, Map.of(), applied::add);
    watcher.load();

    Files.writeString(file, "admin s3cret-value\n");
    watcher.poll();

    assertThat(applied).isEmpty();
    assertThatThrownBy(() -> TokenFile.read(file))
        .hasMessageContaining("line 1")
        .hasMessageContaining("operator or viewer")
        .hasMessageNotContaining("s3cret-value");

    for (String broken :
        List.of("s3cret-value operator\n", "s3cret-value\n", "operator s3cret-value extra\n")) {
      Files.writeString(file, broken);
      assertThatThrownBy(() -> TokenFile.read(file))
          .as(broken)
          .hasMessageContaining("line 1")
          .hasMessageNotContaining("s3cret-value");
    }
  }
}
