package dev.flinksupervisor.plugins.push;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenFileTest {

  private static final Duration INTERVAL = Duration.ofSeconds(10);

  @TempDir Path dir;
  private Path path;
  private final MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
  private TokenFile tokenFile;

  @BeforeEach
  void create() {
    path = dir.resolve("token");
    tokenFile = new TokenFile(path, INTERVAL, clock);
  }

  @Test
  void reads_the_trimmed_token() throws IOException {
    Files.writeString(path, "\n  abc.def-123  \n");

    assertThat(tokenFile.current()).isEqualTo("abc.def-123");
    assertThat(tokenFile.problem()).isNull();
  }

  @Test
  void a_rotated_token_is_read_once_the_check_interval_has_passed() throws IOException {
    write("first", 1);
    assertThat(tokenFile.current()).isEqualTo("first");

    write("second-token", 2);
    clock.advance(INTERVAL.minusMillis(1));
    assertThat(tokenFile.current()).isEqualTo("first");

    clock.advance(Duration.ofMillis(1));
    assertThat(tokenFile.current()).isEqualTo("second-token");
  }

  @Test
  void an_unchanged_file_is_not_read_again() throws IOException {
    write("first", 1);
    assertThat(tokenFile.current()).isEqualTo("first");

    // Same size and modification time: looks unchanged, so the old token stays.
    write("other", 1);
    clock.advance(INTERVAL);
    assertThat(tokenFile.current()).isEqualTo("first");

    tokenFile.reload();
    assertThat(tokenFile.current()).isEqualTo("other");
  }

  @Test
  void a_missing_or_empty_file_gives_no_token_until_it_is_filled() throws IOException {
    assertThat(tokenFile.current()).isNull();
    assertThat(tokenFile.problem()).isEqualTo("does not exist");

    Files.writeString(path, " \n");
    assertThat(tokenFile.current()).isNull();
    assertThat(tokenFile.problem()).isEqualTo("is empty");

    // Without a token the file is looked at on every call, not once per interval.
    Files.writeString(path, "now");
    assertThat(tokenFile.current()).isEqualTo("now");
    assertThat(tokenFile.problem()).isNull();
  }

  @Test
  void a_token_that_cannot_be_a_header_is_refused() throws IOException {
    Files.writeString(path, "two\nlines");

    assertThat(tokenFile.current()).isNull();
    assertThat(tokenFile.problem()).contains("characters");
  }

  @Test
  void a_deleted_file_takes_the_token_away_at_the_next_check() throws IOException {
    write("first", 1);
    assertThat(tokenFile.current()).isEqualTo("first");

    Files.delete(path);
    clock.advance(INTERVAL);
    assertThat(tokenFile.current()).isNull();
  }

  private void write(String token, long modifiedSecond) throws IOException {
    Files.writeString(path, token);
    Files.setLastModifiedTime(
        path, FileTime.from(Instant.ofEpochSecond(1_700_000_000L + modifiedSecond)));
  }
}
